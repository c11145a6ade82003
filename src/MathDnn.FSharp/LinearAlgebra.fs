namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra

/// Builders over MathNet so that F# code reads like the mathematics: a vector is a row (003 Convention 2),
/// a batch is a matrix with one sample per row. MathNet's operators already read as the text does:
/// `u * J` is the row u times J (u·J), `J * v` is J·vᵀ, `A * B` is A·B (003 Notation 2).
[<AutoOpen>]
module LinearAlgebra =
    /// A row vector from its entries: `vector [1.0; 2.0]` (003 Convention 2).
    let vector (entries: seq<float>) : Vector<float> = Vector<float>.Build.DenseOfEnumerable entries

    /// A matrix from its rows: `matrix [[1.0; 2.0]; [3.0; 4.0]]` (003 Notation 1).
    let matrix (rows: seq<#seq<float>>) : Matrix<float> =
        Matrix<float>.Build.DenseOfRows(rows |> Seq.map (fun r -> r :> seq<float>))

    /// The batch holding the single sample x: x as a 1×n matrix (003 Convention 2).
    let batchOf (x: Vector<float>) : Matrix<float> = x.ToRowMatrix()

    /// The one-hot row e_k ∈ {0,1}ᵐ (k counted from 0), a target of 003 Def 5.2 (‖e_k‖ = 1).
    let oneHot (m: int) (k: int) : Vector<float> =
        if k < 0 || k >= m then invalidArg (nameof k) $"oneHot: the class index must be in [0, {m}), got {k}."
        Vector<float>.Build.Dense(m, fun j -> if j = k then 1.0 else 0.0)

/// Functions on row vectors (003 Convention 2); none mutates its argument.
module Vector =
    /// The zero row of ℝⁿ.
    let zeros (n: int) : Vector<float> = Vector<float>.Build.Dense n

    /// The row (f 0, …, f (n−1)).
    let init (n: int) (f: int -> float) : Vector<float> = Vector<float>.Build.Dense(n, f)

    /// The canonical basis vector e_j of ℝⁿ (003 Def 1.1 differentiates along it).
    let basis (n: int) (j: int) : Vector<float> = oneHot n j

    /// f applied to every entry (a new vector).
    let map (f: float -> float) (v: Vector<float>) : Vector<float> = v.Map(System.Func<_, _> f)

    /// The Euclidean inner product ⟨u, v⟩ = u·vᵀ.
    let dot (u: Vector<float>) (v: Vector<float>) : float = u.DotProduct v

    /// The Euclidean norm ‖v‖ (003 Notation 5).
    let norm (v: Vector<float>) : float = v.L2Norm()

    /// ‖v‖∞ = max_j |v_j| (0 for the empty vector).
    let maxAbs (v: Vector<float>) : float = if v.Count = 0 then 0.0 else v.AbsoluteMaximum()

    /// A copy of the entries.
    let toArray (v: Vector<float>) : float[] = v.ToArray()

    /// A row from an array (the array is copied).
    let ofArray (a: float[]) : Vector<float> = Vector<float>.Build.DenseOfArray(Array.copy a)

/// Functions on matrices (003 Notation 1–4); none mutates its argument.
module Matrix =
    /// The zero matrix of M_{r,c}.
    let zeros (rows: int) (columns: int) : Matrix<float> = Matrix<float>.Build.Dense(rows, columns)

    /// Iₙ (003 Notation 4).
    let identity (n: int) : Matrix<float> = Matrix<float>.Build.DenseIdentity n

    /// The matrix with entries f i j.
    let init (rows: int) (columns: int) (f: int -> int -> float) : Matrix<float> = Matrix<float>.Build.Dense(rows, columns, f)

    /// The matrix whose rows are the given vectors (a batch, one sample per row).
    let ofRows (rows: seq<Vector<float>>) : Matrix<float> = Matrix<float>.Build.DenseOfRowVectors rows

    /// Row i (a copy).
    let row (i: int) (a: Matrix<float>) : Vector<float> = a.Row i

    /// The rows, in order (copies).
    let rows (a: Matrix<float>) : Vector<float> list = [ for i in 0 .. a.RowCount - 1 -> a.Row i ]

    /// Column j (a copy).
    let column (j: int) (a: Matrix<float>) : Vector<float> = a.Column j

    /// Aᵀ (003 Notation 3).
    let transpose (a: Matrix<float>) : Matrix<float> = a.Transpose()

    /// max_{i,j} |a_{i,j}| (0 for an empty matrix).
    let maxAbs (a: Matrix<float>) : float = if a.RowCount = 0 || a.ColumnCount = 0 then 0.0 else a.Enumerate() |> Seq.map abs |> Seq.max

    /// The sums of each row (a column read as a row vector).
    let rowSums (a: Matrix<float>) : Vector<float> = a.RowSums()

    /// f applied to every entry (a new matrix).
    let map (f: float -> float) (a: Matrix<float>) : Matrix<float> = a.Map(System.Func<_, _> f)

    /// A copy of the entries in row-major order.
    let toRowMajorArray (a: Matrix<float>) : float[] = a.ToRowMajorArray()
