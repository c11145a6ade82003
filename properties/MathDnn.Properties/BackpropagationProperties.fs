namespace MathDnn.Properties

open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Losses
open MathDnn.Networks
open MathDnn.FSharp

/// Backpropagation: the fused softmax–cross-entropy gradient (003 Prop 5.3) and the objective's gradient (003 Def 5.2
/// and its Note, 001 Section 5) against central differences on random networks of every activation and loss.
module BackpropagationProperties =
    [<Property(MaxTest = 200)>]
    let ``003 Prop 5.3 fused softmax cross-entropy gradient S(z) − y* equals ∇ξ(S(z))·J_S(z) and central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 5.3", "fused softmax cross-entropy =")

    /// ∇_θ𝒪 by backpropagation (Objective.gradient) against the central-difference gradient of θ ↦ 𝒪(X, Y*, θ), both
    /// through the F# surface.
    let objectiveGradientAgrees (gradientOf: ObjectiveCase -> Parameters) (c: ObjectiveCase) =
        let layout = Network.parameters c.Network |> Parameters.layout
        let objectiveAt theta =
            Objective.value c.Loss c.Reduction (Network.withParameters (Parameters.ofVector layout theta) c.Network) c.Inputs c.Targets
        let theta = Network.parameters c.Network |> Parameters.toVector
        // See Agree.tolerance: the objective is a composition of the checked pieces, relative to max(1, |𝒪|).
        Agree.gradient Agree.tolerance $"𝒪 for {c.Network}" objectiveAt (gradientOf c |> Parameters.toVector) theta

    let private backpropagation (c: ObjectiveCase) = Objective.gradient c.Loss c.Reduction c.Network c.Inputs c.Targets

    [<Property(MaxTest = 100)>]
    let ``003 Def 5.2 backpropagation gradient of the softmax cross-entropy objective with sum reduction equals central differences`` () : Property =
        let gen = Generators.objectiveCase (Gen.choose (2, 16)) (Some Activation.softmax) Loss.categoricalCrossEntropy (Gen.constant Reduction.Sum)
        Prop.forAll (Arb.fromGen gen) (objectiveGradientAgrees backpropagation)

    [<Property(MaxTest = 100)>]
    let ``003 Def 5.2 backpropagation gradient of the softmax cross-entropy objective with mean reduction equals central differences`` () : Property =
        let gen = Generators.objectiveCase (Gen.choose (2, 16)) (Some Activation.softmax) Loss.categoricalCrossEntropy (Gen.constant Reduction.Mean)
        Prop.forAll (Arb.fromGen gen) (objectiveGradientAgrees backpropagation)

    /// The other (last activation, loss) pairs: regression heads with (mean) squared error (002 eqs. 3, 15), softmax
    /// with squared error (softmax backward unfused), sigmoid with binary cross-entropy (002 eq. 1, fused), sigmoid with
    /// categorical cross-entropy (unfused, 003 Prop 3.1), tanh with squared error, and the losses on logits.
    let private otherObjectives =
        let reductions = Gen.elements [ Reduction.Sum; Reduction.Mean ]
        Gen.oneof
            [ Generators.objectiveCase Generators.width None Loss.squaredError reductions
              Generators.objectiveCase Generators.width (Some Activation.identity) Loss.meanSquaredError reductions
              Generators.objectiveCase (Gen.choose (2, 16)) (Some Activation.softmax) Loss.squaredError reductions
              Generators.objectiveCase Generators.width (Some Activation.sigmoid) Loss.binaryCrossEntropy reductions
              Generators.objectiveCase (Gen.choose (2, 16)) (Some Activation.sigmoid) Loss.categoricalCrossEntropy reductions
              Generators.objectiveCase Generators.width (Some Activation.tanh) Loss.squaredError reductions
              Generators.objectiveCase (Gen.choose (2, 16)) None Loss.softmaxCrossEntropy reductions
              Generators.objectiveCase Generators.width None Loss.sigmoidBinaryCrossEntropy reductions ]

    [<Property(MaxTest = 200)>]
    let ``002 eqs 1 3 15 backpropagation gradient of objectives with other losses and heads equals central differences`` () : Property =
        Prop.forAll (Arb.fromGen otherObjectives) (objectiveGradientAgrees backpropagation)
