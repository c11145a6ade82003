namespace MathDnn.Properties

open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.FSharp
open MathDnn.FSharp.Calculus

/// The calculus of 003 Section 1 on random expressions: composition (003 Thm 1.3), sums (003 Prop 1.2), and the
/// backward and forward passes, all against central differences; and the demonstration that the checker fails on
/// wrong Jacobians.
module CalculusProperties =
    // See Agree.tolerance for the derivation (central differences on these generators err by ≲ 1e-7).
    let tolerance = Agree.tolerance

    [<Property(MaxTest = 200)>]
    let ``003 Thm 1.3 chain rule: the Jacobian of a random composition of dense maps and activations equals central differences`` () : Property =
        Prop.forAll (Arb.fromGen (Generators.expressionAndPoint Generators.chain)) (fun (e, x) ->
            Agree.jacobian tolerance e.Function x)

    [<Property(MaxTest = 200)>]
    let ``003 Prop 1.2 sum rule: the Jacobian of a sum of random compositions equals central differences`` () : Property =
        let sums n m = Gen.map2 (fun f g -> Plus(f, g)) (Generators.expression n m 1) (Generators.expression n m 1)
        Prop.forAll (Arb.fromGen (Generators.expressionAndPoint sums)) (fun (e, x) ->
            Agree.jacobian tolerance e.Function x)

    [<Property(MaxTest = 200)>]
    let ``003 Thm 1.3 backward pass u·J of a random expression equals the central-difference gradient of u·f`` () : Property =
        let gen =
            gen {
                let! e, x = Generators.expressionAndPoint (fun n m -> Generators.expression n m 2)
                let! u = Generators.vectorOf e.Function.OutputDimension 2.0
                return e, x, u
            }
        Prop.forAll (Arb.fromGen gen) (fun (e, x, u) ->
            let f = e.Function
            Agree.gradient tolerance $"u·{f.Name}" (fun y -> Vector.dot u (apply f y)) (vjp f x u) x)

    [<Property(MaxTest = 200)>]
    let ``003 Def 1.1 forward pass J·vᵀ of a random expression equals the central-difference directional derivative`` () : Property =
        let gen =
            gen {
                let! e, x = Generators.expressionAndPoint (fun n m -> Generators.expression n m 2)
                let! v = Generators.vectorOf x.Count 1.0
                return e, x, v
            }
        Prop.forAll (Arb.fromGen gen) (fun (e, x, v) ->
            let f = e.Function
            // t ↦ f(x + t·v) at t = 0, a map ℝ → ℝᵐ whose Jacobian (m×1) is J_f(x)·vᵀ (003 Def 1.1).
            let along = create $"{f.Name} along v" 1 f.OutputDimension (fun t -> apply f (x + t[0] * v)) (fun _ -> (jvp f x v).ToColumnMatrix())
            // Its only input is t = 0, so the probes are x ± ε^{1/3}·v with ‖v‖∞ ≤ 1, which the δ of
            // Generators.expressionAwayFromKinks keeps on one side of every kink; tolerance as Agree.tolerance.
            Agree.jacobian tolerance along (vector [ 0.0 ]))
