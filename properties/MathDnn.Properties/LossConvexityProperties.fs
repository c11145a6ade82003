namespace MathDnn.Properties

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Losses
open MathDnn.Theory
open MathDnn.Testing

/// The losses of the 004 table (and the cross-entropies and squared errors) classified as convex in their output or
/// not (003 Def 6.1), one fact per verdict of LossVerdicts: a convex loss passes Verify.Convex on 100 generated chords;
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

    /// Checks the convexity verdict of `loss` (003 Def 6.1 on chords of its domain, targets of widths 2..5).
    let convexity (loss: Loss) =
        let v = LossVerdicts.Of loss
        let targets = Arb.fromGen (Gen.choose (2, 5) |> Gen.bind (targetsFor loss))
        let property = Prop.forAll targets (fun y -> Verify.Convex(RealFunction.From(loss.AsFunction y), outputsFor v y.Count))
        if v.Convex then property |> Check.cases 100
        else
            let e = Assert.ThrowsAny<Exception>(fun () -> Verify.Check(property, 500))
            Assert.Contains("003 Def 6.1 (15)", e.Message)
            Assert.Contains("VIOLATED", e.Message)

    [<Fact>]
    let ``004 loss table: l1 is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(L1Loss())).Convex)
        convexity (L1Loss())

    [<Fact>]
    let ``004 loss table: l2 is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(L2Loss())).Convex)
        convexity (L2Loss())

    [<Fact>]
    let ``004 loss table: expectation is not convex in its output (a counterexample is found) (003 Def 6.1)`` () =
        Assert.Equal(false, (LossVerdicts.Of(ExpectationLoss())).Convex)
        convexity (ExpectationLoss())

    [<Fact>]
    let ``004 loss table: regularised-expectation is not convex in its output (a counterexample is found) (003 Def 6.1)`` () =
        Assert.Equal(false, (LossVerdicts.Of(RegularisedExpectationLoss())).Convex)
        convexity (RegularisedExpectationLoss())

    [<Fact>]
    let ``004 loss table: chebyshev is not convex in its output (a counterexample is found) (003 Def 6.1)`` () =
        Assert.Equal(false, (LossVerdicts.Of(ChebyshevLoss())).Convex)
        convexity (ChebyshevLoss())

    [<Fact>]
    let ``004 loss table: hinge is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(HingeLoss())).Convex)
        convexity (HingeLoss())

    [<Fact>]
    let ``004 loss table: squared-hinge is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(SquaredHingeLoss())).Convex)
        convexity (SquaredHingeLoss())

    [<Fact>]
    let ``004 loss table: cubed-hinge is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(CubedHingeLoss())).Convex)
        convexity (CubedHingeLoss())

    [<Fact>]
    let ``004 loss table: log is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(LogLoss())).Convex)
        convexity (LogLoss())

    [<Fact>]
    let ``004 loss table: squared-log is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(SquaredLogLoss())).Convex)
        convexity (SquaredLogLoss())

    [<Fact>]
    let ``004 loss table: tanimoto is not convex in its output (a counterexample is found) (003 Def 6.1)`` () =
        Assert.Equal(false, (LossVerdicts.Of(TanimotoLoss())).Convex)
        convexity (TanimotoLoss())

    [<Fact>]
    let ``004 loss table: cauchy-schwarz-divergence is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(CauchySchwarzDivergence())).Convex)
        convexity (CauchySchwarzDivergence())

    [<Fact>]
    let ``004 loss table: categorical-cross-entropy is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(CategoricalCrossEntropy())).Convex)
        convexity (CategoricalCrossEntropy())

    [<Fact>]
    let ``004 loss table: softmax-cross-entropy is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(SoftmaxCrossEntropy())).Convex)
        convexity (SoftmaxCrossEntropy())

    [<Fact>]
    let ``004 loss table: binary-cross-entropy is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(BinaryCrossEntropy())).Convex)
        convexity (BinaryCrossEntropy())

    [<Fact>]
    let ``004 loss table: sigmoid-binary-cross-entropy is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(SigmoidBinaryCrossEntropy())).Convex)
        convexity (SigmoidBinaryCrossEntropy())

    [<Fact>]
    let ``004 loss table: squared-error is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(SquaredError())).Convex)
        convexity (SquaredError())

    [<Fact>]
    let ``004 loss table: mean-squared-error is convex in its output (003 Def 6.1)`` () =
        Assert.Equal(true, (LossVerdicts.Of(MeanSquaredError())).Convex)
        convexity (MeanSquaredError())
