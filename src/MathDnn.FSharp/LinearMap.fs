namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Jacobians

/// Linear maps A: ℝⁿ → ℝᵐ kept as chains of structured factors A = F_1·F_2 ⋯ F_q, the form the chain rule gives a
/// Jacobian, J_{ℓ_p∘…∘ℓ_1}(x) = J_{ℓ_p} ⋯ J_{ℓ_1} (003 Thm 1.3): dense (a layer's W, 003 Prop 4.1), diagonal (element-wise
/// activations, 003 Props 2.1, 5.1), diagonal minus rank one (softmax, 003 Prop 2.2), identity. `jvp` and `vjp` apply the
/// factors one by one without forming A; `toMatrix` multiplies them out in the cheapest association order. Vectors are
/// rows (003 Convention 2). The map comes last, so `J |> LinearMap.jvp v` reads as J·vᵀ. Composition has no operator
/// here: the library's `A * B` already is A·B (as MathNet's `*` is for matrices), and `andThen` reads left to right in
/// pipelines. Every function leaves its arguments unchanged.
module LinearMap =
    /// The matrix A itself (copied), one dense factor.
    let dense (a: Matrix<float>) : LinearMap = LinearMap.Dense a

    /// diag(d) ∈ M_{m,m}, the Jacobian of an element-wise map (003 Prop 2.1).
    let diagonal (d: Vector<float>) : LinearMap = LinearMap.Diagonal d

    /// diag(d) − aᵀb ∈ M_{m,m} for rows d, a, b; softmax's Jacobian is d = a = b = 𝓢(z) (003 Prop 2.2).
    let diagonalMinusRankOne (d: Vector<float>) (a: Vector<float>) (b: Vector<float>) : LinearMap =
        LinearMap.DiagonalMinusRankOne(d, a, b)

    /// Iₙ (003 Notation 4).
    let identity (n: int) : LinearMap = LinearMap.Identity n

    /// A·B, the map of A ∘ B (003 Thm 1.3): the chains are concatenated, nothing is multiplied. `a * b` is the same.
    let compose (a: LinearMap) (b: LinearMap) : LinearMap = LinearMap.Compose(a, b)

    /// `b |> LinearMap.andThen a` is a·b: apply b, then a (a network's layer order, 003 Thm 1.3).
    let andThen (next: LinearMap) (a: LinearMap) : LinearMap = LinearMap.Compose(next, a)

    /// Aᵀ = F_qᵀ ⋯ F_1ᵀ, each factor keeping its structure.
    let transpose (a: LinearMap) : LinearMap = a.Transpose()

    /// A·vᵀ ∈ ℝᵐ for a direction v ∈ ℝⁿ (forward mode), A never formed.
    let jvp (v: Vector<float>) (a: LinearMap) : Vector<float> = a.Jvp v

    /// u·A ∈ ℝⁿ for a row u ∈ ℝᵐ (reverse mode, the backward pass), A never formed.
    let vjp (u: Vector<float>) (a: LinearMap) : Vector<float> = a.Vjp u

    /// V·Aᵀ: A·vᵀ for every row v of V (k×n), as a k×m matrix.
    let jvpRows (v: Matrix<float>) (a: LinearMap) : Matrix<float> = a.Jvp v

    /// U·A: u·A for every row u of U (k×m), as a k×n matrix.
    let vjpRows (u: Matrix<float>) (a: LinearMap) : Matrix<float> = a.Vjp u

    /// A as an m×n matrix, multiplied out in the cheapest order (dynamic programming over the factors' real costs).
    let toMatrix (a: LinearMap) : Matrix<float> = a.ToMatrix JacobianOrder.Auto

    /// A as an m×n matrix multiplied out in `order`: from the output side (reverse mode), from the input side
    /// (forward mode) or the cheapest (JacobianOrder.Auto). Every order gives A, up to rounding.
    let toMatrixIn (order: JacobianOrder) (a: LinearMap) : Matrix<float> = a.ToMatrix order

    /// How `toMatrixIn order` multiplies the chain out: the association (e.g. "(F1·F2)·F3") and its cost in flops.
    let plan (order: JacobianOrder) (a: LinearMap) : ChainPlan = a.Plan order

    /// The structure of each factor, F_1 first (e.g. ["softmax diag(s) − sᵀs 3"; "dense 3×8"; …]).
    let structure (a: LinearMap) : string list = List.ofSeq a.Structure

    /// Factor F_{i+1} alone (counted from 0), as a linear map.
    let factor (i: int) (a: LinearMap) : LinearMap = a.Factor i

    /// q, the number of factors.
    let factorCount (a: LinearMap) : int = a.FactorCount

    /// m, the output dimension.
    let rows (a: LinearMap) : int = a.Rows

    /// n, the input dimension.
    let columns (a: LinearMap) : int = a.Columns
