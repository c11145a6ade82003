namespace MathDnn.Properties

open System
open System.Collections.Generic
open System.Numerics
open Xunit
open FsCheck
open FsCheck.Xunit
open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Layers
open MathDnn.Networks
open MathDnn.Testing
open MathDnn.FSharp

// Primitives written as a user would write them, on the public API only (this project has no InternalsVisibleTo).
// F# spells out the constraints C#'s `where T : unmanaged, IFloatingPointIeee754<T>` implies (unmanaged is a struct with
// a default constructor), so a generic member implementing the interfaces restates them all; and the result of an
// operator on such a 'T is annotated before it feeds another operator (F# infers a chain like a + b * c only through
// annotated intermediates).

/// (a) An element-wise activation given by its f and f′, generic over the element type: swish with slope β,
/// f(z) = z·σ(βz), f′(z) = σ(βz) + βz·σ(βz)(1 − σ(βz)) = σ(βz) + β·f(z)(1 − σ(βz)).
type Swish(beta: float) =
    member _.Beta = beta

    interface IElementwiseDefinition with
        member _.Name = "swish"

        member _.Value<'T when 'T: unmanaged and 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> IFloatingPointIeee754<'T>>(z: 'T) : 'T =
            z * Sigmoid.Logistic('T.CreateTruncating beta * z)

        member _.Derivative<'T when 'T: unmanaged and 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> IFloatingPointIeee754<'T>>(z: 'T, y: 'T) : 'T =
            let b = 'T.CreateTruncating beta
            let s : 'T = Sigmoid.Logistic(b * z)
            let by : 'T = b * y
            s + by * ('T.One - s)

/// (b) A layer with parameters, given by its forward and backward passes on row-major spans: a per-feature affine map
/// y = x ⊙ s + t (scale s ∈ ℝⁿ, shift t ∈ ℝⁿ). J_x = diag(s); ∂y_j/∂s_j = x_j, ∂y_j/∂t_j = 1, so the backward pass is
/// dX = δ ⊙ s, ds = Σ_rows δ ⊙ x, dt = Σ_rows δ. Its scale starts in [0.5, 1.5), its shift at 0.
type FeatureAffine(features: int) =
    member _.Features = features

    interface ILayerDefinition with
        member _.Name = "feature-affine"
        member _.InputSize = Nullable features

        member _.OutputSize(inputSize: int) =
            if inputSize <> features then invalidArg (nameof inputSize) $"feature-affine takes rows of width {features}, got {inputSize}."
            features

        member _.ParameterShapes = [| ParameterShape.Vector("scale", features); ParameterShape.Vector("shift", features) |] :> IReadOnlyList<_>

        member _.Initialize(parameters: Span<float>, _inputSize: int, _scheme: Initialization, rng: byref<Rng>) =
            for j in 0 .. features - 1 do parameters[j] <- rng.Uniform(0.5, 1.5)
            parameters.Slice(features, features).Clear()

        member _.Forward<'T when 'T: unmanaged and 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> IFloatingPointIeee754<'T>>(parameters: ReadOnlySpan<'T>, x: ReadOnlySpan<'T>, y: Span<'T>, batch: Batch) =
            for s in 0 .. batch.Rows - 1 do
                for j in 0 .. features - 1 do
                    let scaled : 'T = x[s * features + j] * parameters[j]
                    y[s * features + j] <- scaled + parameters[features + j]

        member _.Backward<'T when 'T: unmanaged and 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> IFloatingPointIeee754<'T>>(parameters: ReadOnlySpan<'T>, x: ReadOnlySpan<'T>, _y: ReadOnlySpan<'T>,
                                                                                   dy: ReadOnlySpan<'T>, dx: Span<'T>, gradient: Span<'T>, batch: Batch) =
            gradient.Clear()
            for s in 0 .. batch.Rows - 1 do
                for j in 0 .. features - 1 do
                    let d = dy[s * features + j]
                    let dScale : 'T = d * x[s * features + j]
                    gradient[j] <- gradient[j] + dScale
                    gradient[features + j] <- gradient[features + j] + d
                    if not dx.IsEmpty then dx[s * features + j] <- d * parameters[j]

/// The user's primitives: each passes the kit's one-call check, and (a) and (b) train inside a network.
module UserPrimitive =
    let swish = Activation.ofDefinition (Swish 1.5)
    let featureAffine (n: int) = Layer.ofDefinition (FeatureAffine n)

    let private sigma (v: float) = 1.0 / (1.0 + exp -v)

    /// (c) The simple double form, one sample at a time: a learned gate y = x ⊙ σ(g), g ∈ ℝⁿ, with
    /// (u·J_x, u·J_g) = (u ⊙ σ(g), u ⊙ x ⊙ σ(g)(1 − σ(g))).
    let gate (n: int) =
        Layer.perSample "gate" n n [ ParameterShape.Vector("g", n) ]
            (fun g x -> x.PointwiseMultiply(g.Map sigma))
            (fun g x _ u ->
                let s = g.Map sigma
                u.PointwiseMultiply s, u.PointwiseMultiply(x).PointwiseMultiply(s.Map(fun v -> v * (1.0 - v))))

    /// (c′) An element-wise activation from two double functions: the bent identity f(z) = (√(z² + 1) − 1)/2 + z,
    /// f′(z) = z/(2√(z² + 1)) + 1.
    let bentIdentity =
        Activation.elementwise "bent-identity" (fun z -> (sqrt (z * z + 1.0) - 1.0) / 2.0 + z) (fun z _ -> z / (2.0 * sqrt (z * z + 1.0)) + 1.0)

    [<Property(MaxTest = 100)>]
    let ``003 Prop 5.1: a user's generic element-wise activation (IElementwiseDefinition) passes the one-call primitive check`` () : Property =
        Verify.Primitive(swish)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 and Def 1.2: a user's layer with parameters (ILayerDefinition) passes the one-call primitive check`` () : Property =
        Verify.Primitive(featureAffine 5)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3: a user's per-sample double layer (Layer.perSample) passes the one-call primitive check`` () : Property =
        Verify.Primitive(gate 4)

    [<Property(MaxTest = 100)>]
    let ``003 Prop 5.1: a user's double element-wise activation (Activation.elementwise) passes the one-call primitive check`` () : Property =
        Verify.Primitive(bentIdentity)

    /// 120 points of ℝ⁴ in three classes: a seeded Gaussian cloud around each of three centres.
    let private blobs () =
        let mutable rng = Rng(7)
        let centres = [| [| 1.0; 0.0; -1.0; 0.5 |]; [| -1.0; 1.0; 0.0; -0.5 |]; [| 0.0; -1.0; 1.0; 1.0 |] |]
        let labels = [ for i in 0 .. 119 -> i % 3 ]
        let rows = [| for c in labels -> [| for j in 0 .. 3 -> centres[c][j] + 0.4 * rng.NextNormal() |] |]
        Dataset.ofLabels 3 (Matrix<float>.Build.DenseOfRowArrays rows) labels

    [<Fact>]
    let ``003 Def 5.2: a network with the user's activation and layer trains, lowering the objective`` () =
        let net = [ Layer.dense 4 8; swish; featureAffine 8; Layer.dense 8 3; Activation.softmax ] |> Network.create 4 42
        let data = blobs ()
        let options =
            Training.options Loss.categoricalCrossEntropy (Optimizer.adam 0.01)
            |> Training.epochs 5 |> Training.batch 16 |> Training.seed 3
        let before, _ = net |> Training.evaluate Loss.categoricalCrossEntropy data
        let result = net |> Training.fit options data
        let after, _ = result.Model |> Training.evaluate Loss.categoricalCrossEntropy data
        Assert.True(after < before, $"the loss went from {before} to {after}")
        // The user's layer learned: its scale and shift (layer 2, counting from 0) moved away from their initial values.
        let block (name: string) (n: Network) = let p = Network.parameters n in p.Block(p.Layout.Block(2, name)).ToRowMajorArray()
        for name in [ "scale"; "shift" ] do
            Assert.NotEqual<float[]>(block name net, block name result.Model)
