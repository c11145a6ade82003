namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.Losses
open MathDnn.Networks
open MathDnn.Training

/// The objective 𝒪(X, Y*, θ) = Σᵢ ξ(N(xᵢ; θ), yᵢ*) of 003 Def 5.2 (or its mean over the batch) and its gradient in θ
/// by backpropagation (001 Section 5, 003 Props 5.1–5.3), curried as loss → reduction → network → X → Y*.
module Objective =
    /// 𝒪(X, Y*, θ) at the network's parameters (003 Def 5.2).
    let value (loss: Loss) (reduction: Reduction) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : float =
        Objective(loss, reduction).Value(net, x, targets)

    /// ∇_θ𝒪(X, Y*, θ) by backpropagation, laid out like θ (003 Def 5.2 Note).
    let gradient (loss: Loss) (reduction: Reduction) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : Parameters =
        Objective(loss, reduction).Gradient(net, x, targets)

    /// 𝒪 and ∇_θ𝒪 from one forward and one backward pass.
    let valueAndGradient (loss: Loss) (reduction: Reduction) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : float * Parameters =
        let struct (v, g) = Objective(loss, reduction).ValueAndGradient(net, x, targets)
        v, g

    /// θ ↦ 𝒪(X, Y*, θ) as a differentiable function ℝ^{|θ|} → ℝ (003 Def 5.2 Corollary).
    let asFunction (loss: Loss) (reduction: Reduction) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : DifferentiableFunction =
        Objective(loss, reduction).AsFunctionOfParameters(net, x, targets)

    /// Whether the network's last activation is fused into the loss (softmax with cross-entropy, 003 Prop 5.3;
    /// sigmoid with binary cross-entropy).
    let isFused (loss: Loss) (net: Network) : bool = Objective(loss).IsFused net

    /// g_i = ∇_θ ξ(N(x_i; θ), y_i*) for every sample, the terms of 003 Def 5.2 before the sum, as the rows of a
    /// k × |θ| matrix (columns in the order of θ); unreduced, so the rows sum to `gradient loss Reduction.Sum`. One
    /// batched pass: a dense layer's share of g_i is the outer product δ_i ⊗ y_i (003 Prop 5.2), its bias share δ_i
    /// (003 Prop 4.3).
    let perSampleGradientsIn (precision: Precision) (loss: Loss) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : Matrix<float> =
        Objective(loss).PerSampleGradients(net, x, targets, precision)

    /// `perSampleGradientsIn Precision.Float64`.
    let perSampleGradients (loss: Loss) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : Matrix<float> =
        perSampleGradientsIn Precision.Float64 loss net x targets

    /// ‖g_i‖ for every sample, from ‖δ_i‖²(‖y_i‖² + 1) per dense layer (003 Props 4.3, 5.2): the g_i are never formed.
    let perSampleGradientNormsIn (precision: Precision) (loss: Loss) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : Vector<float> =
        Objective(loss).PerSampleGradientNorms(net, x, targets, precision)

    /// `perSampleGradientNormsIn Precision.Float64`.
    let perSampleGradientNorms (loss: Loss) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : Vector<float> =
        perSampleGradientNormsIn Precision.Float64 loss net x targets

    /// (Σ_i g_i·min(1, c/‖g_i‖), (‖g_i‖)_i): the per-sample gradients each clipped to norm at most c = `clip` and
    /// summed (the step of DP-SGD before its noise), with their norms; no k × |θ| array is formed.
    let clippedGradientSumIn (precision: Precision) (loss: Loss) (clip: float) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : Parameters * Vector<float> =
        let struct (sum, norms) = Objective(loss).ClippedGradientSum(net, x, targets, clip, precision)
        sum, norms

    /// `clippedGradientSumIn Precision.Float64`.
    let clippedGradientSum (loss: Loss) (clip: float) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : Parameters * Vector<float> =
        clippedGradientSumIn Precision.Float64 loss clip net x targets

    /// ∇_X𝒪(X, Y*, θ), k × m_0 (row i = ∂𝒪/∂x_i), with the given reduction: the backward pass of 001 Section 5 carried
    /// down to the input (003 Thm 1.3).
    let inputGradient (loss: Loss) (reduction: Reduction) (net: Network) (x: Matrix<float>) (targets: Matrix<float>) : Matrix<float> =
        Objective(loss, reduction).InputGradient(net, x, targets)
