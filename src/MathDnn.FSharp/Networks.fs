namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.Layers
open MathDnn.Networks

/// Networks as immutable values composed with pipelines (003 Section 5):
/// `[ dense 4 8; relu; dense 8 3; softmax ] |> Network.create 4 42`. Batches have one sample per row.
module Network =
    /// The network ℓ_p ∘ … ∘ ℓ_1 (003 Notation 7) of `layers` on inputs of width `inputSize`, its parameters drawn
    /// from `seed` (same seed → bit-identical parameters; biases 0, weights He or Glorot as the next layer suggests).
    let create (inputSize: int) (seed: int) (layers: Layer list) : Network =
        Network.Create(inputSize, layers, Initialization.Auto, seed)

    /// As `create`, with an explicit initialisation scheme.
    let createWith (initialization: Initialization) (inputSize: int) (seed: int) (layers: Layer list) : Network =
        Network.Create(inputSize, layers, initialization, seed)

    /// The network of `layers` with the given parameters (their layout must be the layers').
    let ofParameters (inputSize: int) (layers: Layer list) (theta: Parameters) : Network =
        Network.Create(inputSize, layers, theta)

    /// The parameter layout of `layers` on inputs of width `inputSize` (checks every width).
    let layoutOf (inputSize: int) (layers: Layer list) : ParameterLayout =
        let struct (layout, _) = Network.LayoutOf(inputSize, ResizeArray layers)
        layout

    /// 𝒩_c+ of 003 Def 5.1 for sizes [m₀; …; m_p]: dense layers with ReLU between them and softmax at the end.
    let multiClass (seed: int) (sizes: int list) : Network = Network.MultiClass(List.toArray sizes, seed)

    /// N(X) row by row for a batch X (003 Convention 2).
    let forward (x: Matrix<float>) (net: Network) : Matrix<float> = net.Forward x

    /// N(x) for one sample.
    let apply (x: Vector<float>) (net: Network) : Vector<float> = net.Apply x

    /// argmax of each output row: the predicted class of each sample (counted from 0).
    let predict (x: Matrix<float>) (net: Network) : int[] = net.Predict x

    /// J_N(x) ∈ M_{m_p, m_0}, the product of the layers' Jacobians, last on the left (003 Thm 1.3).
    let inputJacobian (x: Vector<float>) (net: Network) : Matrix<float> = net.InputJacobian x

    /// The Jacobian of θ ↦ N(x; θ), m_p × |θ|, columns in the order of θ (003 Thm 1.3 with 003 Props 4.2–4.3).
    let parameterJacobian (x: Vector<float>) (net: Network) : Matrix<float> = net.ParameterJacobian x

    /// |θ| = Σₖ mₖ(mₖ₋₁ + 1) for dense layers (Corollary of 003 Def 5.1).
    let parameterCount (net: Network) : int = net.ParameterCount

    /// θ.
    let parameters (net: Network) : Parameters = net.Parameters

    /// The same architecture with other parameters (a new network; the layout must match).
    let withParameters (theta: Parameters) (net: Network) : Network = net.WithParameters theta

    /// The layers, in order of application.
    let layers (net: Network) : Layer list = List.ofSeq net.Layers

    /// [m₀; …; m_p]: the input width and the width after each layer.
    let widths (net: Network) : int list = List.ofSeq net.Widths

    /// m₀.
    let inputSize (net: Network) : int = net.InputSize

    /// m_p.
    let outputSize (net: Network) : int = net.OutputSize

    /// x ↦ N(x) as a differentiable function (003 Def 5.1 Corollary: a composition of differentiable maps).
    let asFunction (net: Network) : DifferentiableFunction = net.AsFunction()

    /// θ ↦ N(x; θ) as a differentiable function of the flattened parameters.
    let asFunctionOfParameters (x: Vector<float>) (net: Network) : DifferentiableFunction = net.AsFunctionOfParameters x
