namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.Losses

/// How per-sample losses combine over a batch: `Reduction.Sum` (the objective of 003 Def 5.2) or `Reduction.Mean`.
type Reduction = MathDnn.Losses.Reduction

/// Losses ξ(o, y*) of one sample's output o against its target y* (003 Section 3, 002, 004 loss table) with their
/// gradients ∇_o ξ (1×m rows).
[<RequireQualifiedAccess>]
module Loss =
    /// Categorical cross-entropy ξ(y, y*) = −Σₖ y*ₖ log yₖ on probabilities in ]0,1[ᵐ (003 Def 3.1), gradient −y*/y
    /// (003 Prop 3.1). After a softmax layer the objective fuses it with the softmax (003 Prop 5.3).
    let categoricalCrossEntropy : Loss = CategoricalCrossEntropy()

    /// Softmax and categorical cross-entropy on logits z: log Σₖ e^{zₖ} − ⟨y*, z⟩, gradient 𝓢(z) − y* (003 Prop 5.3).
    let softmaxCrossEntropy : Loss = SoftmaxCrossEntropy()

    /// Binary cross-entropy −Σⱼ [yⱼ log pⱼ + (1 − yⱼ) log(1 − pⱼ)] on probabilities (002 eq. 1, as corrected in the spec README).
    let binaryCrossEntropy : Loss = BinaryCrossEntropy()

    /// The sigmoid fused with binary cross-entropy, on logits: Σⱼ [softplus(zⱼ) − yⱼzⱼ], gradient σ(z) − y (002 eq. 1 with 002 eq. 4).
    let sigmoidBinaryCrossEntropy : Loss = SigmoidBinaryCrossEntropy()

    /// Squared error Σⱼ (yⱼ − ŷⱼ)² (002 eq. 3), gradient 2(ŷ − y).
    let squaredError : Loss = SquaredError()

    /// Mean squared error (1/m)·Σⱼ (yⱼ − ŷⱼ)² over one sample's m outputs (002 eq. 15), gradient (2/m)(ŷ − y).
    let meanSquaredError : Loss = MeanSquaredError()

    /// L₁ loss ‖y − o‖₁ on one-hot targets (004 loss table).
    let l1 : Loss = L1Loss()
    /// L₂ loss ‖y − o‖₂² on one-hot targets (004 loss table).
    let l2 : Loss = L2Loss()
    /// Expectation loss ‖y − σ(o)‖₁, σ the softmax of the logits (004 loss table).
    let expectation : Loss = ExpectationLoss()
    /// Regularised expectation loss ‖y − σ(o)‖₂² (004 loss table).
    let regularisedExpectation : Loss = RegularisedExpectationLoss()
    /// Chebyshev loss maxⱼ |σ(o)ⱼ − yⱼ| (004 loss table).
    let chebyshev : Loss = ChebyshevLoss()
    /// Hinge loss Σⱼ max(0, ½ − ŷⱼoⱼ) on ±1 targets (004 loss table).
    let hinge : Loss = HingeLoss()
    /// Squared hinge loss Σⱼ max(0, ½ − ŷⱼoⱼ)² (004 loss table).
    let squaredHinge : Loss = SquaredHingeLoss()
    /// Cubed hinge loss Σⱼ max(0, ½ − ŷⱼoⱼ)³ (004 loss table).
    let cubedHinge : Loss = CubedHingeLoss()
    /// Log loss −Σⱼ yⱼ log σ(o)ⱼ (004 loss table; the cross-entropy on logits).
    let log : Loss = LogLoss()
    /// Squared log loss Σⱼ [yⱼ log σ(o)ⱼ]² (004 loss table, sign slip corrected).
    let squaredLog : Loss = SquaredLogLoss()
    /// Tanimoto loss −Σσy / (‖σ‖² + ‖y‖² − Σσy) (004 loss table).
    let tanimoto : Loss = TanimotoLoss()
    /// Cauchy–Schwarz divergence −log(Σσy / (‖σ‖₂‖y‖₂)) (004 loss table).
    let cauchySchwarz : Loss = CauchySchwarzDivergence()

    /// Every loss of the library (the catalogue the command line's --loss reads).
    let all : Loss list = List.ofSeq LossCatalogue.All

    /// The loss with this kebab-case name, e.g. "categorical-cross-entropy"; the error lists the known names.
    let byName (name: string) : Loss = LossCatalogue.Parse name

    /// ξ(output, target) for one sample.
    let value (loss: Loss) (output: Vector<float>) (target: Vector<float>) : float = loss.Value(output, target)

    /// ∇_o ξ(output, target), a 1×m row (003 Prop 3.1 for cross-entropy).
    let gradient (loss: Loss) (output: Vector<float>) (target: Vector<float>) : Vector<float> = loss.Gradient(output, target)

    /// Σᵢ ξ(Oᵢ, Tᵢ) or its mean over the rows of a batch (003 Def 5.2 for the sum).
    let batchValue (loss: Loss) (reduction: Reduction) (outputs: Matrix<float>) (targets: Matrix<float>) : float =
        loss.Value(outputs, targets, reduction)

    /// The gradient of the reduced batch loss with respect to every output row (k×m).
    let batchGradient (loss: Loss) (reduction: Reduction) (outputs: Matrix<float>) (targets: Matrix<float>) : Matrix<float> =
        loss.Gradient(outputs, targets, reduction)

    /// o ↦ ξ(o, target) as a differentiable function ℝᵐ → ℝ whose Jacobian is the 1×m gradient (003 Def 1.2).
    let asFunction (loss: Loss) (target: Vector<float>) : DifferentiableFunction = loss.AsFunction target
