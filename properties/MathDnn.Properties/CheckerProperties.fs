namespace MathDnn.Properties

open System
open System.Text.RegularExpressions
open Xunit
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.FSharp


/// The checkers can fail: deliberately wrong derivatives, run through the same generators, comparisons and
/// comparisons as the properties, run by the kit's Verify.Check (FsCheck, as FsCheck.Xunit's [<Property>] runs the
/// properties), must be reported — with the failing comparison and FsCheck's replay seed.
module CheckerProperties =
    /// f with its Jacobian replaced by `wrong (J_f(a))`.
    let private withWrongJacobian (wrong: Matrix<float> -> Matrix<float>) (f: MathDnn.Calculus.DifferentiableFunction) =
        Calculus.create $"wrong {f.Name}" f.InputDimension f.OutputDimension (Calculus.apply f) (fun a -> wrong (Calculus.jacobian f a))

    /// Runs `check` and returns the failure message it must throw.
    let private failureOf (check: unit -> unit) = (Assert.ThrowsAny<Exception>(Action check)).Message

    [<Fact>]
    let ``the chain-rule check fails on a composition whose Jacobian has its sign flipped, and its seed replays the failure`` () =
        let property =
            Prop.forAll (Arb.fromGen (Generators.expressionAndPoint Generators.chain)) (fun (e, x) ->
                Agree.jacobian Agree.tolerance (withWrongJacobian (fun j -> -j) e.Function) x)
        let message = failureOf (fun () -> MathDnn.Testing.Verify.Check(property, 100))
        Assert.Contains("Falsifiable", message)
        // The property returned false (its label is the comparison), not an exception.
        Assert.Contains("Label of failing property: J of wrong", message)
        // Replaying the failing step (its size and seed, as FsCheck prints them) fails again on the same instance: the
        // label (the point and the discrepancy) is the same.
        let label (m: string) = Regex.Match(m, "Label of failing property: (.*)").Groups[1].Value
        let step = Regex.Match(message, @"Last step was invoked with size of (\d+) and seed of \((\d+),\s*(\d+)\)")
        Assert.True(step.Success, message)
        let replay = { Rnd = Rnd(UInt64.Parse step.Groups[2].Value, UInt64.Parse step.Groups[3].Value); Size = Some(Int32.Parse step.Groups[1].Value) }
        let replayed = failureOf (fun () -> Check.One(Config.QuickThrowOnFailure.WithMaxTest(1).WithReplay(Some replay), property))
        Assert.NotEqual<string>("", label message)
        Assert.Equal(label message, label replayed)

    [<Fact>]
    let ``the Jacobian check fails on a sigmoid derivative that is off by a relative 1e-4`` () =
        let gen = Generators.width |> Gen.bind (fun m -> Generators.vectorOf m 5.0)
        let message =
            failureOf (fun () ->
                Prop.forAll (Arb.fromGen gen) (fun z ->
                    let f = withWrongJacobian (fun j -> j * (1.0 + 1e-4)) (Activation.asFunction Activation.sigmoid z.Count)
                    // A relative error of 1e-4 on σ'(z) ≥ σ'(5) ≈ 6.6e-3 is ≥ 6.6e-7 absolute; at |z| ≤ 2 (σ' ≥ 0.1) it is
                    // ≥ 1e-5 ≫ Agree.tolerance, and such z occur in nearly every one of 100 cases.
                    Agree.jacobian Agree.tolerance f z)
                |> fun p -> MathDnn.Testing.Verify.Check(p, 100))
        Assert.Contains("Label of failing property: J of wrong sigmoid", message)

    [<Fact>]
    let ``the objective-gradient check fails on a backpropagation gradient with one sign flipped`` () =
        let gen = Generators.objectiveCase (Gen.choose (2, 16)) (Some Activation.softmax) Loss.categoricalCrossEntropy (Gen.constant Reduction.Sum)
        // The gradient of the last bias is Σᵢ (𝓢(zᵢ) − yᵢ*)ₘ, of order 0.1–1 in nearly every instance (it is 0 only if the
        // probabilities of class m cancel the targets exactly); flipping it is a discrepancy of 2 in relative terms.
        let wrong (c: ObjectiveCase) =
            let g = Objective.gradient c.Loss c.Reduction c.Network c.Inputs c.Targets
            let v = Parameters.toVector g
            v[v.Count - 1] <- -v[v.Count - 1]
            Parameters.ofVector (Parameters.layout g) v
        let message =
            failureOf (fun () ->
                Prop.forAll (Arb.fromGen gen) (BackpropagationProperties.objectiveGradientAgrees wrong)
                |> fun p -> MathDnn.Testing.Verify.Check(p, 100))
        Assert.Contains("Label of failing property: gradient of 𝒪", message)

    [<Fact>]
    let ``central differences across a ReLU kink disagree with 003 Prop 2.1, which is why the generators avoid kinks`` () =
        // At z = 0: J_R = 0 (003 Assumption 1) but (max(0, h) − max(0, −h))/(2h) = 1/2, a discrepancy of 1/2 against
        // max(1, ‖f‖∞) = 1.
        let r = Calculus.jacobianCheck (Activation.asFunction Activation.relu 1) (vector [ 0.0 ])
        Assert.Equal(0.5, r.MaxRelativeError)
        Assert.False(Generators.expressionAwayFromKinks (Primitive(Activation.asFunction Activation.relu 1, true)) (vector [ 0.0 ]))

    [<Fact>]
    let ``a spec row run as a property (Verify.Spec) fails when an instance exceeds the row's tolerance, and names the row and the seed`` () =
        // A row whose instance errs by 1e-3 against a tolerance of 1e-6: every generated seed must fail it.
        let wrong = MathDnn.Theory.SpecCheck("003 Prop 2.2", "a deliberately wrong check", 1, 1e-6, fun _ -> 1e-3)
        let message = failureOf (fun () -> MathDnn.Testing.Verify.Check(MathDnn.Testing.Verify.Spec wrong, 100))
        Assert.Contains("003 Prop 2.2 (a deliberately wrong check): error 0.001 > tolerance 1E-06 on the instance of seed", message)
        // A NaN error fails too (NaN ≤ tolerance is false), as in the table where NaN counts as +∞.
        let nanRow = MathDnn.Theory.SpecCheck("003 Prop 2.2", "NaN", 1, 1e-6, fun _ -> nan)
        Assert.Contains("Falsifiable", failureOf (fun () -> MathDnn.Testing.Verify.Check(MathDnn.Testing.Verify.Spec nanRow, 10)))
