namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus

/// Differentiable functions f: ℝⁿ → ℝᵐ as F# values (003 Section 1): their map, Jacobian (003 Def 1.2, m×n),
/// backward pass u ↦ u·J_f(a) and forward pass v ↦ J_f(a)·vᵀ; composition by the chain rule (003 Thm 1.3) and sums
/// by the sum rule (003 Prop 1.2). Every function here leaves its arguments unchanged.
module Calculus =
    /// f from its map and its Jacobian (003 Def 1.1–1.2); the backward and forward passes default to u·J and J·vᵀ.
    let create (name: string) (inputDimension: int) (outputDimension: int)
               (map: Vector<float> -> Vector<float>) (jacobian: Vector<float> -> Matrix<float>) : DifferentiableFunction =
        DifferentiableFunction(name, inputDimension, outputDimension, System.Func<_, _> map, System.Func<_, _> jacobian)

    /// f(a) ∈ ℝᵐ (003 Def 1.1).
    let apply (f: DifferentiableFunction) (a: Vector<float>) : Vector<float> = f.Apply a

    /// J_f(a) ∈ M_{m,n}: entry (i, j) is ∂f_i/∂e_j(a) (003 Def 1.2).
    let jacobian (f: DifferentiableFunction) (a: Vector<float>) : Matrix<float> = f.Jacobian a

    /// The backward pass u·J_f(a) ∈ ℝⁿ for a row u ∈ ℝᵐ: the gradient of u·f at a (003 Thm 1.3 with m = 1 downstream).
    let vjp (f: DifferentiableFunction) (a: Vector<float>) (u: Vector<float>) : Vector<float> = f.VectorJacobianProduct(a, u)

    /// The forward pass J_f(a)·vᵀ ∈ ℝᵐ: the directional derivative ∂f/∂v(a) (003 Def 1.1).
    let jvp (f: DifferentiableFunction) (a: Vector<float>) (v: Vector<float>) : Vector<float> = f.JacobianVectorProduct(a, v)

    /// J_f(a) as a structured linear map (003 Def 1.2): for a composition, the chain of its parts' factors
    /// J_g(f(a))·J_f(a) kept unmultiplied (003 Thm 1.3); for a function given only by its Jacobian, one dense factor.
    let linearize (f: DifferentiableFunction) (a: Vector<float>) : MathDnn.Jacobians.LinearMap = f.Linearize a

    /// g ∘ f (003 Notation 7) with J_{g∘f}(a) = J_g(f(a))·J_f(a) (003 Thm 1.3, the chain rule).
    let compose (g: DifferentiableFunction) (f: DifferentiableFunction) : DifferentiableFunction = DifferentiableFunction.Compose(g, f)

    /// `g <<. f` is g ∘ f (003 Notation 7, 003 Thm 1.3), read right to left like F#'s `<<`.
    let (<<.) (g: DifferentiableFunction) (f: DifferentiableFunction) : DifferentiableFunction = compose g f

    /// `f >>. g` is g ∘ f (003 Notation 7, 003 Thm 1.3), read left to right like F#'s `>>`: a network's layer order.
    let (>>.) (f: DifferentiableFunction) (g: DifferentiableFunction) : DifferentiableFunction = compose g f

    /// f + g with J_{f+g} = J_f + J_g (003 Prop 1.2); `f + g` is the same.
    let sum (f: DifferentiableFunction) (g: DifferentiableFunction) : DifferentiableFunction = DifferentiableFunction.Sum(f, g)

    /// The identity of ℝⁿ, whose Jacobian is Iₙ (003 Notation 4).
    let identity (n: int) : DifferentiableFunction = DifferentiableFunction.Identity n

    /// The linear map x ↦ x·Aᵀ, whose Jacobian is A ∈ M_{m,n} (as 003 Prop 4.1).
    let linear (a: Matrix<float>) : DifferentiableFunction = DifferentiableFunction.Linear a

    /// The central-difference Jacobian of any map at a, m×n (003 Def 1.2), with step hⱼ = ε^{1/3}·max(1, |aⱼ|).
    let numericJacobian (f: Vector<float> -> Vector<float>) (a: Vector<float>) : Matrix<float> =
        FiniteDifferences.Jacobian(System.Func<_, _> f, a)

    /// The central-difference gradient (a 1×n row, 003 Def 1.2 with m = 1) of a scalar function at x.
    let numericGradient (f: Vector<float> -> float) (x: Vector<float>) : Vector<float> =
        FiniteDifferences.Gradient(System.Func<_, _> f, x)

    /// The largest discrepancy |aᵢⱼ − dᵢⱼ| / max(|aᵢⱼ|, |dᵢⱼ|, scale) between an analytic and a numeric matrix, where
    /// it is and both values there. `scale` is the size below which errors are absolute rather than relative.
    let discrepancy (scale: float) (analytic: Matrix<float>) (numeric: Matrix<float>) : GradientCheckResult =
        if analytic.RowCount <> numeric.RowCount || analytic.ColumnCount <> numeric.ColumnCount then
            invalidArg (nameof numeric)
                $"Jacobian check: the analytic Jacobian is {analytic.RowCount}×{analytic.ColumnCount} but the numeric one is {numeric.RowCount}×{numeric.ColumnCount}."
        let mutable worst = GradientCheckResult(0.0, 0, 0, 0.0, 0.0)
        for i in 0 .. analytic.RowCount - 1 do
            for j in 0 .. analytic.ColumnCount - 1 do
                let a, d = analytic[i, j], numeric[i, j]
                let e = abs (a - d) / max scale (max (abs a) (abs d))
                if e > worst.MaxRelativeError || (System.Double.IsNaN e && not (System.Double.IsNaN worst.MaxRelativeError)) then
                    worst <- GradientCheckResult(e, i, j, a, d)
        worst

    /// Compares J_f(a) with the central-difference Jacobian of f's map. Errors are relative to
    /// max(|aᵢⱼ|, |dᵢⱼ|, 1, ‖f(a)‖∞): a central difference carries an absolute rounding error of about ε·‖f‖/h
    /// = ε^{2/3}·‖f‖ ≈ 4e-11·‖f‖, so entries much smaller than the function itself can only be checked absolutely.
    let jacobianCheck (f: DifferentiableFunction) (a: Vector<float>) : GradientCheckResult =
        let value = f.Apply a
        let scale = if value.Count = 0 then 1.0 else max 1.0 (value.AbsoluteMaximum())
        discrepancy scale (f.Jacobian a) (numericJacobian f.Apply a)

    /// Compares an analytic gradient (a 1×n row) of the scalar function f at x with its central-difference gradient;
    /// errors are relative to max(|gⱼ|, |dⱼ|, 1, |f(x)|) (see <see cref="jacobianCheck"/>).
    let gradientCheck (f: Vector<float> -> float) (gradient: Vector<float>) (x: Vector<float>) : GradientCheckResult =
        if gradient.Count <> x.Count then
            invalidArg (nameof gradient) $"Gradient check: the gradient is 1×{gradient.Count} but the point is 1×{x.Count}."
        let scale = max 1.0 (abs (f x))
        discrepancy scale (gradient.ToRowMatrix()) ((numericGradient f x).ToRowMatrix())
