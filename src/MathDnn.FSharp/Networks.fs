namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.Jacobians
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

    /// J_N(x) multiplied out in `order`: from the output side (reverse mode), from the input side (forward mode) or
    /// the cheapest (JacobianOrder.Auto, what `inputJacobian` does); every order gives J_N(x) (003 Thm 1.3).
    let inputJacobianIn (order: JacobianOrder) (x: Vector<float>) (net: Network) : Matrix<float> = net.InputJacobian(x, order)

    /// J_N(x) as a chain of structured factors (003 Thm 1.3): W_k dense (003 Prop 4.1), diagonal for element-wise
    /// activations (003 Props 2.1, 5.1), diag(s) − sᵀs for softmax (003 Prop 2.2), selection·W for maxout. Apply it
    /// with `LinearMap.jvp` / `LinearMap.vjp` without forming it, or multiply it out with `LinearMap.toMatrix`.
    let inputJacobianMap (x: Vector<float>) (net: Network) : LinearMap = net.InputJacobianMap x

    /// The association and cost `inputJacobianIn order x` follows (the plan of `inputJacobianMap x`).
    let inputJacobianPlan (order: JacobianOrder) (x: Vector<float>) (net: Network) : ChainPlan = net.InputJacobianPlan(x, order)

    /// J_N(x_s) for every row x_s of X, multiplied out in `order`.
    let inputJacobiansIn (order: JacobianOrder) (x: Matrix<float>) (net: Network) : Matrix<float>[] = net.InputJacobians(x, order)

    /// J_N(x_s) for every row x_s of X, computed together in the cheapest order (003 Thm 1.3).
    let inputJacobians (x: Matrix<float>) (net: Network) : Matrix<float>[] = inputJacobiansIn JacobianOrder.Auto x net

    /// J_N(x_s) for every row of X in float32 (the passes and products in single precision), each m_p × m_0.
    let inputJacobiansSingle (x: Matrix<float>) (net: Network) : Matrix<float32>[] =
        let k, m, n = x.RowCount, net.OutputSize, net.InputSize
        let inputs = x.ToRowMajorArray() |> Array.map float32
        let blocks = Array.zeroCreate<float32> (k * m * n)
        net.InputJacobians<float32>(System.ReadOnlySpan inputs, System.Span blocks, JacobianOrder.Auto)
        Array.init k (fun s -> Matrix<float32>.Build.DenseOfRowMajor(m, n, Array.sub blocks (s * m * n) (m * n)))

    /// The parameter Jacobian at every row x_s of X, each m_p × |θ| (003 Thm 1.3 with 003 Props 4.2–4.3).
    let parameterJacobians (x: Matrix<float>) (net: Network) : Matrix<float>[] = net.ParameterJacobians x

    /// θ ↦ N(x; θ) linearised at the network's θ: `.Jvp v` = J_θ·vᵀ and `.Vjp u` = u·J_θ (laid out like θ) at the cost
    /// of a forward and a backward pass, `.ToMatrix()` = `parameterJacobian x` (003 Thm 1.3 with 003 Props 4.2–4.3).
    let parameterJacobianMap (x: Vector<float>) (net: Network) : ParameterLinearMap = net.ParameterJacobianMap x

    /// J_N(x)·vᵀ ∈ ℝ^{m_p}, the directional derivative of N at x along v (003 Def 1.1, forward mode, J never formed).
    let jvp (x: Vector<float>) (v: Vector<float>) (net: Network) : Vector<float> = net.Jvp(x, v)

    /// u·J_N(x) ∈ ℝ^{m_0}, the gradient of u·N at x (003 Thm 1.3, reverse mode: one backward pass, 001 Section 5).
    let vjp (x: Vector<float>) (u: Vector<float>) (net: Network) : Vector<float> = net.Vjp(x, u)

    /// Forward mode on a batch: (N(X), T) with row s of T = J_N(x_s)·v_sᵀ for row s of V (k × m_0).
    let jvpRows (x: Matrix<float>) (v: Matrix<float>) (net: Network) : Matrix<float> * Matrix<float> =
        let struct (output, tangent) = net.Jvp(x, v)
        output, tangent

    /// Reverse mode on a batch: row s is u_s·J_N(x_s) for row s of U (k × m_p).
    let vjpRows (x: Matrix<float>) (u: Matrix<float>) (net: Network) : Matrix<float> = net.Vjp(x, u)

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
