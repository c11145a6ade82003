namespace MathDnn.Properties

open System
open Xunit
open FsCheck.Xunit
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Losses
open MathDnn.Theory
open MathDnn.Testing

/// The losses of the 004 table (and the cross-entropies and squared errors) classified as convex in their output or
/// not (003 Def 6.1), one test per verdict of LossVerdicts: a convex loss passes Verify.Convex on 100 generated chords (a [<Property>]);
/// for a non-convex one the checker must find (and shrink) a counterexample.
module LossConvexityProperties =
    module Kit = MathDnn.Testing.Generators

    /// Targets of the loss's encoding, width m.
    let targetsFor (loss: Loss) (m: int) : Gen<Vector<float>> =
        match loss.Encoding with
        | TargetEncoding.OneHot -> Kit.oneHot m
        | TargetEncoding.PlusMinusOne -> Kit.plusMinusOne m
        | TargetEncoding.UnitInterval -> Kit.box m 0.0 1.0
        | _ -> Kit.vectorOf m 3.0

    /// Outputs in the loss's domain: probabilities in [0.02, 0.98] (a convex box inside ]0,1[ᵐ) or reals in [−4, 4].
    let outputsFor (verdict: LossVerdict) (m: int) : Arbitrary<Vector<float>> =
        if verdict.TakesProbabilities then Arbitraries.Box(m, 0.02, 0.98) else Arbitraries.Vector(m, 4.0)

    /// Chords of the loss's domain for targets of widths 2..5 (003 Def 6.1).
    let chords (loss: Loss) =
        let targets = Arb.fromGen (Gen.choose (2, 5) |> Gen.bind (targetsFor loss))
        Prop.forAll targets (fun y -> Verify.Convex(RealFunction.From(loss.AsFunction y), outputsFor (LossVerdicts.Of loss) y.Count))

    /// A loss the verdicts call convex: the verdict, then 003 Def 6.1 on generated chords (the [<Property>] runs them).
    let convex (loss: Loss) : Property =
        Assert.True((LossVerdicts.Of loss).Convex, $"{loss.Name}: the verdict says not convex")
        chords loss

    /// A loss the verdicts call not convex: the checker must find (and shrink) a counterexample in 500 chords.
    let notConvex (loss: Loss) =
        Assert.False((LossVerdicts.Of loss).Convex, $"{loss.Name}: the verdict says convex")
        let e = Assert.ThrowsAny<Exception>(fun () -> Verify.Check(chords loss, 500))
        Assert.Contains("003 Def 6.1 (15)", e.Message)
        Assert.Contains("VIOLATED", e.Message)

    [<Property(MaxTest = 100)>]
    let ``004 loss table: l1 is convex in its output (003 Def 6.1)`` () : Property = convex (L1Loss())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: l2 is convex in its output (003 Def 6.1)`` () : Property = convex (L2Loss())

    [<Fact>]
    let ``004 loss table: expectation is not convex in its output (a counterexample is found) (003 Def 6.1)`` () = notConvex (ExpectationLoss())

    [<Fact>]
    let ``004 loss table: regularised-expectation is not convex in its output (a counterexample is found) (003 Def 6.1)`` () = notConvex (RegularisedExpectationLoss())

    [<Fact>]
    let ``004 loss table: chebyshev is not convex in its output (a counterexample is found) (003 Def 6.1)`` () = notConvex (ChebyshevLoss())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: hinge is convex in its output (003 Def 6.1)`` () : Property = convex (HingeLoss())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: squared-hinge is convex in its output (003 Def 6.1)`` () : Property = convex (SquaredHingeLoss())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: cubed-hinge is convex in its output (003 Def 6.1)`` () : Property = convex (CubedHingeLoss())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: log is convex in its output (003 Def 6.1)`` () : Property = convex (LogLoss())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: squared-log is convex in its output (003 Def 6.1)`` () : Property = convex (SquaredLogLoss())

    [<Fact>]
    let ``004 loss table: tanimoto is not convex in its output (a counterexample is found) (003 Def 6.1)`` () = notConvex (TanimotoLoss())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: cauchy-schwarz-divergence is convex in its output (003 Def 6.1)`` () : Property = convex (CauchySchwarzDivergence())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: categorical-cross-entropy is convex in its output (003 Def 6.1)`` () : Property = convex (CategoricalCrossEntropy())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: softmax-cross-entropy is convex in its output (003 Def 6.1)`` () : Property = convex (SoftmaxCrossEntropy())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: binary-cross-entropy is convex in its output (003 Def 6.1)`` () : Property = convex (BinaryCrossEntropy())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: sigmoid-binary-cross-entropy is convex in its output (003 Def 6.1)`` () : Property = convex (SigmoidBinaryCrossEntropy())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: squared-error is convex in its output (003 Def 6.1)`` () : Property = convex (SquaredError())

    [<Property(MaxTest = 100)>]
    let ``004 loss table: mean-squared-error is convex in its output (003 Def 6.1)`` () : Property = convex (MeanSquaredError())
