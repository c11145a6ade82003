namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.Losses
open MathDnn.Networks

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
