namespace MathDnn.Properties

open System
open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathDnn.Layers
open MathDnn.Testing
open MathDnn.FSharp

/// Every built-in primitive through the property kit's one-call check (MathDnn.Testing.PrimitiveCheck): at generated
/// batches, parameters and cotangents, in evaluation and in a training step, its input Jacobian (and diagonal hook) and
/// the parameter Jacobian implied by its backward pass against central differences (003 Thm 1.3, 003 Def 1.2), the
/// backward pass against u·J, the batch against one row at a time, float32 against float64, purity and determinism.
/// The tolerances are the kit's, derived in Primitives.fs; nothing here loosens them.
module PrimitiveProperties =
    [<Property(MaxTest = 100)>]
    let ``003 Def 4.1, Props 4.1-4.3 and 5.2: the dense layer passes the one-call primitive check`` () : Property =
        Verify.Primitive(Layer.dense 5 3)

    [<Property(MaxTest = 100)>]
    let ``004 maxout (3 pieces) passes the one-call primitive check away from ties`` () : Property =
        Verify.Primitive(Layer.maxout 4 3 3)

    [<Property(MaxTest = 100)>]
    let ``003 Def 2.1, Prop 2.1 and Prop 5.1: ReLU passes the one-call primitive check away from its kink`` () : Property =
        Verify.Primitive(Activation.relu)

    [<Property(MaxTest = 100)>]
    let ``004 leaky ReLU passes the one-call primitive check away from its kink`` () : Property =
        Verify.Primitive(Activation.leakyRelu 0.1)

    [<Property(MaxTest = 100)>]
    let ``004 ELU passes the one-call primitive check away from 0`` () : Property =
        Verify.Primitive(Activation.elu 1.0) .&. Verify.Primitive(Activation.elu 0.5)

    [<Property(MaxTest = 100)>]
    let ``002 eq 4: the sigmoid passes the one-call primitive check`` () : Property =
        Verify.Primitive(Activation.sigmoid)

    [<Property(MaxTest = 100)>]
    let ``002 eqs 6-7: tanh passes the one-call primitive check`` () : Property =
        Verify.Primitive(Activation.tanh)

    [<Property(MaxTest = 100)>]
    let ``002 Section 5.1: the identity passes the one-call primitive check`` () : Property =
        Verify.Primitive(Activation.identity)

    [<Property(MaxTest = 100)>]
    let ``003 Def 2.2 and Prop 2.2: softmax (not element-wise) passes the one-call primitive check`` () : Property =
        Verify.Primitive(Activation.softmax)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 and Prop 5.1: GELU passes the one-call primitive check`` () : Property =
        Verify.Primitive(Activation.gelu)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 and Prop 5.1: GELU's tanh approximation passes the one-call primitive check`` () : Property =
        Verify.Primitive(Activation.geluTanh)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 and Prop 5.1: SiLU passes the one-call primitive check`` () : Property =
        Verify.Primitive(Activation.silu)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 and Prop 5.1: softplus passes the one-call primitive check`` () : Property =
        Verify.Primitive(Activation.softplus)

    [<Property(MaxTest = 100)>]
    let ``003 Prop 5.1: dropout 0.3 passes the one-call primitive check, its training mask fixed by the Batch`` () : Property =
        Verify.Primitive(Layer.dropout 0.3)

    [<Property(MaxTest = 100)>]
    let ``003 Prop 5.1: dropout 0 passes the one-call primitive check`` () : Property =
        Verify.Primitive(Layer.dropout 0.0)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 and Def 1.2: layer normalisation (not element-wise, with gain and bias) passes the one-call primitive check`` () : Property =
        Verify.Primitive(Layer.layerNorm 6)

    /// Runs a property that must fail and returns FsCheck's message (the shrunk counterexample's label).
    let private failureOf (property: Property) : string =
        try
            FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), property)
            failwith "the property passed"
        with e when e.Message <> "the property passed" -> e.Message

    [<Fact>]
    let ``003 Thm 1.3: the property form catches a derivative off by 1 %, shrinks it and labels the check, the point and both sides`` () =
        // tanh with f′ = 1.01·(1 − y²): every Jacobian entry is 1 % off, far beyond the central differences' ~1e-9.
        let wrong = Activation.elementwise "tanh-wrong-derivative" Math.Tanh (fun _ y -> 1.01 * (1.0 - y * y))
        let message = failureOf (Verify.Primitive(wrong))
        // The label names the layer, the check, the mode, the entry and both sides with the tolerance.
        for expected in [ "tanh-wrong-derivative"; "1. Jacobian vs central differences"; "evaluation (Batch.Training = false)"
                          "at sample 0, J[0, 0]"; "InputJacobians: 1.01"; "central difference of Forward: 0.99999999"; "> tolerance" ] do
            Assert.Contains(expected, message)
        // Every point fails (f′ is wrong everywhere), so shrinking ends at the simplest one: one row of width 1, X = U = 0.
        let shrunk = message.Substring(message.IndexOf("Shrunk:", StringComparison.Ordinal))
        Assert.Contains("k = 1 rows of width 1 → 1", shrunk)
        Assert.Contains("X[0] = (0)", shrunk)
        Assert.Contains("U[0] = (0)", shrunk)

    [<Fact>]
    let ``the property form fails on a layer whose forward pass is nowhere smooth at the central differences' scale`` () =
        // x + 1e-4·|sin(πx·10⁵)|: a kink every 1e-5, within every probe's reach 2h ≈ 1.2e-5, so the fourth-difference
        // test discards the points and FsCheck gives up ("exhausted"). A rare point slips through (the fourth differences
        // of the kinks in reach can cancel); its central differences straddle kinks, so it is falsified instead.
        let wiggly =
            Activation.elementwise "wiggly" (fun z -> z + 1e-4 * abs (sin (Math.PI * 1e5 * z)))
                (fun z _ -> 1.0 + 1e-4 * Math.PI * 1e5 * cos (Math.PI * 1e5 * z) * float (sign (sin (Math.PI * 1e5 * z))))
        let message = failureOf (Verify.Primitive(wiggly))
        Assert.True(message.Contains "Arguments exhausted" || (message.Contains "PrimitiveCheck: wiggly" && message.Contains "FAILED"), message)
