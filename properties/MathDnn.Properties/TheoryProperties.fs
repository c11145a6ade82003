namespace MathDnn.Properties

open System
open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Layers
open MathDnn.Losses
open MathDnn.Networks
open MathDnn.Theory
open MathDnn.Testing
open MathDnn.FSharp

/// 003 Section 6 applied with the public property kit (MathDnn.Testing): softmax cross-entropy and the mean squared error
/// of a linear model are convex and L-smooth, a one-hidden-layer network's objective is not convex, and the kit's
/// generators and estimators do what they say.
module TheoryProperties =
    module Kit = MathDnn.Testing.Generators

    /// One-hot targets of width 2..8.
    let private oneHots = Arb.fromGen (Gen.choose (2, 8) |> Gen.bind Kit.oneHot)

    /// Softmax cross-entropy in the logits for target y: convex and ½-smooth, because its Hessian is diag(p) − ppᵀ
    /// (003 Prop 2.2): u·H·uᵀ = Var_p(u) ≥ 0, and ≤ (max u − min u)²/4 ≤ ½ for ‖u‖ = 1 (Popoviciu).
    let private softmax (y: Vector<float>) = TheoryFunctions.SoftmaxCrossEntropy y

    /// Logits in [-5, 5]ᵐ.
    let private logits (y: Vector<float>) = Arbitraries.Vector(y.Count, 5.0)

    [<Property(MaxTest = 100)>]
    let ``003 Def 6.1: softmax cross-entropy is convex in the logits`` () : Property =
        Prop.forAll oneHots (fun y -> Verify.Convex((softmax y).Function, logits y))

    [<Property(MaxTest = 100)>]
    let ``003 Prop 6.1: softmax cross-entropy lies above its tangent planes`` () : Property =
        Prop.forAll oneHots (fun y -> Verify.ConvexFirstOrder((softmax y).Function, logits y))

    [<Property(MaxTest = 100)>]
    let ``003 Def 6.2: softmax cross-entropy is one-half-smooth in the logits (Hessian diag(p) - ppT)`` () : Property =
        Prop.forAll oneHots (fun y -> Verify.Smooth((softmax y).Function, 0.5, logits y))

    [<Property(MaxTest = 100)>]
    let ``003 Prop 6.2: descent lemma for softmax cross-entropy with L = 1/2`` () : Property =
        Prop.forAll oneHots (fun y -> Verify.DescentLemma((softmax y).Function, 0.5, logits y))

    [<Property(MaxTest = 100)>]
    let ``003 Prop 6.3: softmax cross-entropy gradients are co-coercive with L = 1/2`` () : Property =
        Prop.forAll oneHots (fun y -> Verify.CoCoercive((softmax y).Function, 0.5, logits y))

    [<Property(MaxTest = 100)>]
    let ``003 Def 6.2: the power-iteration estimate of softmax cross-entropy's L never exceeds 1/2`` () : Property =
        // Tolerance: the Rayleigh quotient of a symmetric H is ≤ λ_max exactly; the central-difference products add ≈ 1e-10 relative.
        Prop.forAll oneHots (fun y ->
            Prop.forAll (logits y) (fun z ->
                let e = Smoothness.Estimate((softmax y).Function, z)
                e.L <= 0.5 + 1e-8 |> Prop.label (string e)))

    /// (X, y) with X n×d of condition number κ ∈ [1, 100] and largest singular value in [0.5, 3], y ∈ [-2, 2]ⁿ.
    let private linearProblems =
        gen {
            let! d = Gen.choose (1, 5)
            let! n = Gen.choose (d, 12)
            let! kappa = Kit.between 1.0 100.0
            let! scale = Kit.between 0.5 3.0
            let! x = Kit.conditioned n d kappa scale
            let! y = Kit.vectorOf n 2.0
            return x, y
        }
        |> Arb.fromGen

    let private linear (x: Matrix<float>, y: Vector<float>) = TheoryFunctions.LinearLeastSquares(x, y)

    [<Property(MaxTest = 100)>]
    let ``003 Def 6.1: the mean squared error of a linear model is convex`` () : Property =
        Prop.forAll linearProblems (fun (x, y) -> Verify.Convex((linear (x, y)).Function, Arbitraries.Vector(x.ColumnCount, 3.0)))

    [<Property(MaxTest = 100)>]
    let ``003 Def 6.2: the mean squared error of a linear model is L-smooth with L = 2 lambda_max(XTX)/n`` () : Property =
        Prop.forAll linearProblems (fun (x, y) ->
            let f = linear (x, y)
            Verify.Smooth(f.Function, f.L, Arbitraries.Vector(x.ColumnCount, 3.0)))

    [<Property(MaxTest = 100)>]
    let ``003 Prop 6.2 and 003 Prop 6.3: descent lemma and co-coercivity for the linear model's mean squared error`` () : Property =
        Prop.forAll linearProblems (fun (x, y) ->
            let f = linear (x, y)
            let points = Arbitraries.Vector(x.ColumnCount, 3.0)
            Verify.DescentLemma(f.Function, f.L, points) .&. Verify.CoCoercive(f.Function, f.L, points))

    [<Property(MaxTest = 100)>]
    let ``003 Def 6.2: L = 2 lambda_max(XTX)/n is the best constant, found by power iteration`` () : Property =
        // Tolerance 1e-5: the stopping residual 1e-6·L bounds the eigenvalue error (Bauer–Fike), plus ≈ 1e-10 from the differences.
        Prop.forAll linearProblems (fun (x, y) ->
            let f = linear (x, y)
            let e = Smoothness.Estimate(f.Function, Vector<float>.Build.Dense x.ColumnCount, maxIterations = 5000)
            abs (e.L - f.L) <= 1e-5 * f.L |> Prop.label $"{e}; 2λ_max(XᵀX)/n = {f.L:G17}")

    [<Fact>]
    let ``003 Def 6.1: a one-hidden-layer network's objective in theta is not convex; the checker finds and prints a counterexample`` () =
        let net = Network.create 2 7 [ Layer.dense 2 3; Activation.tanh; Layer.dense 3 1 ]
        let x = matrix [ [ 1.0; -1.0 ]; [ 0.5; 2.0 ]; [ -1.5; 0.3 ]; [ 0.0; 1.0 ] ]
        let y = matrix [ [ 1.0 ]; [ -0.5 ]; [ 0.2 ]; [ 2.0 ] ]
        let f = TheoryFunctions.NetworkObjective(net, x, y, SquaredError())
        let e = Assert.ThrowsAny<Exception>(fun () -> Verify.Check(Verify.Convex(f, Arbitraries.Vector(f.Dimension, 3.0)), 300))
        printfn "%s" e.Message
        Assert.Contains("003 Def 6.1 (15)", e.Message)
        Assert.Contains("VIOLATED", e.Message)
        Assert.Contains("Shrunk", e.Message)

    [<Fact>]
    let ``Verify.Convex shrinks a concave counterexample to a small one with both sides printed`` () =
        let f = RealFunction.Of("−‖x‖²", 3, (fun x -> -(x.DotProduct x)), (fun x -> -2.0 * x))
        let e = Assert.ThrowsAny<Exception>(fun () -> Verify.Check(Verify.Convex(f, Arbitraries.Vector(3, 5.0))))
        printfn "%s" e.Message
        // Shrinking sets entries to 0 or rounds them: the shrunk instance has τ = ½ and one-decimal entries.
        let shrunk = e.Message.Substring(e.Message.IndexOf "Shrunk")
        Assert.Contains("τ = 0.5", shrunk)
        Assert.Contains("left", e.Message)
        Assert.Contains("right", e.Message)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3: sampled Jacobian norms of random networks never exceed the product of the layers' Lipschitz constants`` () : Property =
        Prop.forAll (Arbitraries.Network(6, 3, 8, 4)) (fun spec ->
            let net = spec.Network
            Prop.forAll (Arbitraries.Matrix(5, net.InputSize, 3.0)) (fun samples ->
                let b = LipschitzBounds.Of(net, samples)
                // Both bounds are products of singular values with relative rounding ≲ 1e-14 per factor.
                b.Lower <= b.Upper * (1.0 + 1e-12) |> Prop.label $"{spec}: lower {b.Lower:G17} > upper {b.Upper:G17}"))

    [<Property(MaxTest = 100)>]
    let ``003 Def 1.2: Verify.JacobianMatchesFiniteDifferences on random networks at points away from kinks`` () : Property =
        // The network and the point are drawn together and redrawn together: filtering points for a fixed network can
        // never succeed when a kinked unit is constant at its kink (e.g. 6 → 3 relu → 1 relu → 3 leaky-relu with the
        // width-1 unit's weights all negative: the leaky units then sit at 0 for every x), and would loop for ever.
        let cases =
            gen {
                let! spec = (Arbitraries.Network(6, 3, 8, 4)).Generator
                let! x = (Arbitraries.Vector(spec.Network.InputSize, 2.0)).Generator
                return spec, x
            }
            |> Gen.where (fun (spec, x) -> Kinks.network true false spec.Network (batchOf x))
        Prop.forAll (Arb.fromGen cases) (fun (spec, x) ->
            Verify.JacobianMatchesFiniteDifferences(spec.Network.AsFunction(), Arb.fromGen (Gen.constant x), Agree.tolerance))

    [<Fact>]
    let ``000 Def 3.1: the losses the verdicts say satisfy the axiom satisfy it, the others are caught`` () =
        for v in LossVerdicts.All do
            let targets = Arb.fromGen (Gen.choose (2, 5) |> Gen.bind (fun m -> LossConvexityProperties.targetsFor v.Loss m))
            let property =
                Prop.forAll targets (fun y -> Verify.LossAxiom(v.Loss, Arb.fromGen (Gen.constant y), LossConvexityProperties.outputsFor v y.Count))
            if v.SatisfiesAxiom then Verify.Check(property, 100)
            else
                let e = Assert.ThrowsAny<Exception>(fun () -> Verify.Check(property, 300))
                Assert.Contains("000 Def 3.1", e.Message)

    // ---- the kit's generators ----

    [<Property(MaxTest = 100)>]
    let ``Arbitraries.Conditioned has the requested condition number`` () : Property =
        let cases = gen { let! r = Gen.choose (1, 6) in let! c = Gen.choose (1, 6) in let! k = Kit.between 1.0 1e4 in return r, c, k } |> Arb.fromGen
        Prop.forAll cases (fun (r, c, kappa) ->
            Prop.forAll (Arbitraries.Conditioned(r, c, kappa, 2.0)) (fun a ->
                let s = a.Svd(false).S
                // U·Σ·Vᵀ in floating point perturbs singular values by ≈ ε·‖A‖·dims: relative 1e-12 on σ_max = 2, 1e-8 on κ ≤ 1e4.
                let measured = if min r c = 1 then 1.0 else s[0] / s[min r c - 1]
                (abs (s[0] - 2.0) <= 1e-12 && abs (measured - (if min r c = 1 then 1.0 else kappa)) <= 1e-8 * kappa)
                |> Prop.label $"σ = {s}, κ wanted {kappa}"))

    [<Property(MaxTest = 100)>]
    let ``Arbitraries.Probability gives vectors on the simplex with entries above the minimum`` () : Property =
        Prop.forAll (Arb.fromGen (Gen.choose (1, 10))) (fun m ->
            Prop.forAll (Arbitraries.Probability(m, 0.01)) (fun p ->
                // m ≤ 10 entries, each rounded by the normalisation and the mixing (≤ 2 roundings of ε/2) and summed with
                // m roundings: |Σ − 1| ≤ 2m·ε ≈ 4.4e-15 ≤ 1e-14. minimum + (non-negative) rounds to ≥ minimum: compared exactly.
                (abs (Seq.sum p - 1.0) <= 1e-14 && Seq.forall (fun x -> x >= 0.01) p)
                |> Prop.label $"p = {p}"))

    [<Property(MaxTest = 100)>]
    let ``Arbitraries.AwayFromKinks keeps every entry and every shrink the margin away from the kinks`` () : Property =
        let arb = Arbitraries.AwayFromKinks(5, 2.0, [| 0.0; 1.0 |], 0.01)
        Prop.forAll arb (fun v ->
            let ok (w: Vector<float>) = w |> Seq.forall (fun x -> abs x >= 0.01 && abs (x - 1.0) >= 0.01 && abs x <= 2.0)
            (ok v && Seq.forall ok (Arb.toShrink arb v)) |> Prop.label $"{v}")

    [<Property(MaxTest = 100)>]
    let ``Arbitraries.Network shrinks to smaller valid architectures`` () : Property =
        let arb = Arbitraries.Network(6, 3, 8, 4)
        Prop.forAll arb (fun spec ->
            let smaller = Arb.toShrink arb spec |> Seq.toList
            smaller
            |> List.forall (fun s ->
                // each candidate is simpler: fewer hidden layers, or as many with a smaller total width; and it builds
                let size (n: NetworkSpec) = n.Hidden.Length, n.InputWidth + List.sumBy fst n.Hidden
                size s < size spec && s.OutputWidth = spec.OutputWidth && s.Network.OutputSize = spec.OutputWidth)
            |> Prop.label $"{spec}")
