namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Networks

/// θ, a network's parameters (the W⁽ᵏ⁾ and b⁽ᵏ⁾ of 003 Def 5.1, flattened layer after layer, W row-major then b), as
/// an immutable vector: every function returns a new value and leaves its operands unchanged.
module Parameters =
    /// a + b.
    let add (a: Parameters) (b: Parameters) : Parameters = a.Add b

    /// a − b.
    let sub (a: Parameters) (b: Parameters) : Parameters = a.Subtract b

    /// c·θ.
    let scale (c: float) (theta: Parameters) : Parameters = theta.Scale c

    /// θ + c·d (one pass), the step of a descent method.
    let addScaled (c: float) (d: Parameters) (theta: Parameters) : Parameters = theta.AddScaled(c, d)

    /// ⟨a, b⟩.
    let dot (a: Parameters) (b: Parameters) : float = a.Dot b

    /// ‖θ‖₂ (003 Notation 5).
    let norm (theta: Parameters) : float = theta.Norm()

    /// max_i |θᵢ|.
    let maxAbs (theta: Parameters) : float = theta.MaxAbs()

    /// f applied to every entry.
    let map (f: float -> float) (theta: Parameters) : Parameters = theta.Map(System.Func<_, _> f)

    /// |θ|, the number of parameters (Σₖ mₖ(mₖ₋₁ + 1) for 𝒩_c+, Corollary of 003 Def 5.1).
    let count (theta: Parameters) : int = theta.Count

    /// Where each block lives in the flat vector.
    let layout (theta: Parameters) : ParameterLayout = theta.Layout

    /// θ flattened to one row (a copy, in the order of the layout).
    let toVector (theta: Parameters) : Vector<float> = theta.ToVector()

    /// θ from a flat row laid out as `layout` says (the vector is copied).
    let ofVector (layout: ParameterLayout) (theta: Vector<float>) : Parameters = Parameters.FromVector(layout, theta)

    /// The zero vector of a layout.
    let zeros (layout: ParameterLayout) : Parameters = Parameters.Zeros layout

    /// W⁽ᵏ⁾ of layer k (counted from 0 over all layers, activations included), m×n (003 Def 4.1).
    let weights (layer: int) (theta: Parameters) : Matrix<float> = theta.Weights layer

    /// b⁽ᵏ⁾ of layer k, a 1×m row (003 Def 4.1).
    let bias (layer: int) (theta: Parameters) : Vector<float> = theta.Bias layer
