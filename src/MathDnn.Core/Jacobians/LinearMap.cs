using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Jacobians;

/// <summary>
/// A linear map A: ℝⁿ → ℝᵐ, an m×n matrix (003 Def 1.2) held as a chain of structured factors A = F_1·F_2 ⋯ F_q — the
/// form the chain rule gives a Jacobian, J_{ℓ_p∘…∘ℓ_1}(x) = J_{ℓ_p} ⋯ J_{ℓ_1} (003 Thm 1.3). Each factor keeps its
/// structure: dense (a dense layer's W, 003 Prop 4.1), diagonal (element-wise activations, 003 Props 2.1, 5.1), diagonal
/// minus rank one (softmax, diag(s) − sᵀs, 003 Prop 2.2), selection (maxout), identity. A·vᵀ (<see cref="Jvp(Vector{double})"/>,
/// forward mode) and u·A (<see cref="Vjp(Vector{double})"/>, reverse mode) apply the factors one by one without forming
/// A; <see cref="ToMatrix"/> multiplies them out in the cheapest association order, found by dynamic programming over
/// the factors' real costs (a diagonal factor costs a scaling, not a product), on the library's GEMM kernels.
/// Vectors are rows (003 Convention 2). Immutable: no operation changes a map or its arguments.
/// </summary>
public sealed class LinearMap
{
    internal LinearMap(Factor<double>[] factors)
    {
        if (factors.Length == 0) throw new ArgumentException("Linear map: at least one factor is needed.");
        for (int i = 0; i + 1 < factors.Length; i++)
            if (factors[i].Cols != factors[i + 1].Rows)
                throw new ArgumentException(
                    $"Linear map: factor {i + 1} ({factors[i].Structure}) takes 1×{factors[i].Cols} but factor {i + 2} ({factors[i + 1].Structure}) gives 1×{factors[i + 1].Rows}.");
        Factors = factors;
    }

    internal Factor<double>[] Factors { get; }

    /// <summary>m, the output dimension.</summary>
    public int Rows => Factors[0].Rows;

    /// <summary>n, the input dimension.</summary>
    public int Columns => Factors[^1].Cols;

    /// <summary>q, the number of factors.</summary>
    public int FactorCount => Factors.Length;

    /// <summary>The structure of each factor, F_1 first (e.g. "softmax diag(s) − sᵀs 10", "dense 10×128", "diagonal 128").</summary>
    public IReadOnlyList<string> Structure => [.. Factors.Select(f => f.Structure)];

    /// <summary>Factor F_{i+1} alone, as a linear map.</summary>
    public LinearMap Factor(int i)
    {
        if (i < 0 || i >= Factors.Length) throw new ArgumentOutOfRangeException(nameof(i), i, $"Linear map: the factor index must be in [0, {Factors.Length}).");
        return new LinearMap([Factors[i]]);
    }

    // ---- building ----

    /// <summary>The matrix A itself (copied), one dense factor.</summary>
    public static LinearMap Dense(Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.RowCount < 1 || a.ColumnCount < 1) throw new ArgumentException($"Linear map: a matrix of {Guard.Shape(a)} has no entries.");
        return new LinearMap([DenseFactor<double>.Shared(a.ToRowMajorArray(), a.RowCount, a.ColumnCount)]);
    }

    /// <summary>diag(d) ∈ M_{m,m} (the Jacobian of an element-wise map, 003 Prop 2.1).</summary>
    public static LinearMap Diagonal(Vector<double> d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Count < 1) throw new ArgumentException("Linear map: the diagonal has no entries.");
        return new LinearMap([new DiagonalFactor<double>(d.ToArray(), d.Count, 0)]);
    }

    /// <summary>diag(d) − aᵀb ∈ M_{m,m} for rows d, a, b (softmax's Jacobian is d = a = b = 𝓢(z), 003 Prop 2.2).</summary>
    public static LinearMap DiagonalMinusRankOne(Vector<double> d, Vector<double> a, Vector<double> b)
    {
        Guard.SameLength("Linear map diag(d) − aᵀb", d, "d", a, "a");
        Guard.SameLength("Linear map diag(d) − aᵀb", d, "d", b, "b");
        if (d.Count < 1) throw new ArgumentException("Linear map: the diagonal has no entries.");
        return new LinearMap([new DiagonalMinusRankOneFactor<double>(d.ToArray(), a.ToArray(), b.ToArray(), d.Count, 0)]);
    }

    /// <summary>Iₙ.</summary>
    public static LinearMap Identity(int n)
    {
        if (n < 1) throw new ArgumentException($"Linear map: the identity needs a positive dimension, got {n}.");
        return new LinearMap([new IdentityFactor<double>(n)]);
    }

    /// <summary>A·B, the map of A ∘ B (003 Thm 1.3): the chains are concatenated, nothing is multiplied.</summary>
    public static LinearMap Compose(LinearMap a, LinearMap b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Columns != b.Rows)
            throw new ArgumentException($"Linear map composition: A is {a.Rows}×{a.Columns} but B is {b.Rows}×{b.Columns}; A·B needs B to have {a.Columns} rows.");
        return new LinearMap([.. a.Factors, .. b.Factors]);
    }

    /// <summary>A·B.</summary>
    public static LinearMap operator *(LinearMap a, LinearMap b) => Compose(a, b);

    /// <summary>next ∘ this, written left to right: <c>this.Then(next)</c> is next·this.</summary>
    public LinearMap Then(LinearMap next) => Compose(next, this);

    /// <summary>Aᵀ = F_qᵀ ⋯ F_1ᵀ, each factor keeping its structure.</summary>
    public LinearMap Transpose() => new([.. Factors.Reverse().Select(f => f.Transpose())]);

    // ---- applying ----

    /// <summary>A·vᵀ for a direction v ∈ ℝⁿ (forward mode): the factors applied from the right, A never formed.</summary>
    public Vector<double> Jvp(Vector<double> v)
    {
        Guard.Length("Linear map A·vᵀ", "v", v, Columns);
        var r = new double[Rows];
        ChainProduct.ApplyLeft(Factors, v.AsArrayOrCopy(), 1, r);
        return Vector<double>.Build.Dense(r);
    }

    /// <summary>u·A for a row u ∈ ℝᵐ (reverse mode, the backward pass): the factors applied from the left, A never formed.</summary>
    public Vector<double> Vjp(Vector<double> u)
    {
        Guard.Length("Linear map u·A", "u", u, Rows);
        var r = new double[Columns];
        ChainProduct.ApplyRight(Factors, u.AsArrayOrCopy(), 1, 1, r);
        return Vector<double>.Build.Dense(r);
    }

    /// <summary>V·Aᵀ: A·vᵀ for every row v of V (k×n), as a k×m matrix.</summary>
    public Matrix<double> Jvp(Matrix<double> v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (v.ColumnCount != Columns) throw new ArgumentException($"Linear map V·Aᵀ: A is {Rows}×{Columns} but V is {Guard.Shape(v)}; V must be k×{Columns}.");
        var r = new double[v.RowCount * Rows];
        ChainProduct.ApplyLeft(Factors, v.ToRowMajorArray(), v.RowCount, r);
        return Mat.ToMatrix(r, v.RowCount, Rows);
    }

    /// <summary>U·A: u·A for every row u of U (k×m), as a k×n matrix.</summary>
    public Matrix<double> Vjp(Matrix<double> u)
    {
        ArgumentNullException.ThrowIfNull(u);
        if (u.ColumnCount != Rows) throw new ArgumentException($"Linear map U·A: A is {Rows}×{Columns} but U is {Guard.Shape(u)}; U must be k×{Rows}.");
        var r = new double[u.RowCount * Columns];
        ChainProduct.ApplyRight(Factors, u.ToRowMajorArray(), u.RowCount, 1, r);
        return Mat.ToMatrix(r, u.RowCount, Columns);
    }

    // ---- materialising ----

    /// <summary>How <see cref="ToMatrix"/> multiplies the chain out in <paramref name="order"/>: the association and its cost.</summary>
    public ChainPlan Plan(JacobianOrder order = JacobianOrder.Auto)
    {
        CheckOrder(order);
        var tree = ChainProduct.Plan(Factors, order);
        return new ChainPlan(Factors.Length == 1 ? "F1" : ChainProduct.Describe(tree, 0, Factors.Length - 1), tree.Cost, order);
    }

    /// <summary>
    /// A as an m×n matrix, multiplied out in <paramref name="order"/> (by default the cheapest), row-major on the GEMM
    /// kernels, then copied once into MathNet's column-major layout.
    /// </summary>
    public Matrix<double> ToMatrix(JacobianOrder order = JacobianOrder.Auto)
    {
        CheckOrder(order);
        return Materialize(Factors, order);
    }

    internal static Matrix<double> Materialize(IReadOnlyList<Factor<double>> factors, JacobianOrder order)
    {
        int rows = factors[0].Rows, cols = factors[^1].Cols;
        var data = System.Buffers.ArrayPool<double>.Shared.Rent(rows * cols);
        try
        {
            ChainProduct.Materialize(factors, 1, order, data.AsSpan(0, rows * cols));
            return Mat.ToMatrix(data.AsSpan(0, rows * cols), rows, cols);
        }
        finally { System.Buffers.ArrayPool<double>.Shared.Return(data); }
    }

    internal static void CheckOrder(JacobianOrder order)
    {
        if (!Enum.IsDefined(order)) throw new ArgumentException($"Linear map: {(int)order} is not a Jacobian order (Auto, FromOutput, FromInput).", nameof(order));
    }

    /// <summary>"rows×columns linear map: " followed by its factors' structure.</summary>
    public override string ToString() => $"{Rows}×{Columns} linear map: {string.Join(" · ", Structure)}";
}
