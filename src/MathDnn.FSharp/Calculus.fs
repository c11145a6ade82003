namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus

/// Differentiable functions as F# values (003 Section 1).
module Calculus =
    /// J_f(a), m×n (003 Def 1.2).
    let jacobian (f: DifferentiableFunction) (a: Vector<float>) : Matrix<float> = f.Jacobian a

    /// g ∘ f with the chain-rule Jacobian (003 Thm 1.3).
    let compose (g: DifferentiableFunction) (f: DifferentiableFunction) = DifferentiableFunction.Compose(g, f)

    /// The central-difference Jacobian of any map.
    let numericJacobian (f: Vector<float> -> Vector<float>) (a: Vector<float>) = FiniteDifferences.Jacobian(System.Func<_, _> f, a)
