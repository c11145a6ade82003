namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.Layers

/// Layers as values for a network's layer list: `[ dense 4 8; relu; dense 8 3; softmax ]` (003 Def 5.1). A list's
/// element type is fixed by its first element, so start the list with a layer from here (or annotate it `Layer list`).
module Layer =
    /// The dense layer 𝕃(y, W, b) = y·Wᵀ + b from ℝⁿ to ℝᵐ, W ∈ M_{m,n}, b ∈ ℝᵐ (003 Def 4.1); m(n + 1) parameters.
    let dense (inputs: int) (outputs: int) : Layer = MathDnn.Layers.Dense(inputs, outputs)

    /// Maxout from ℝⁿ to ℝᵐ with k affine pieces, yⱼ = maxᵢ (x·W⁽ⁱ⁾ᵀ + b⁽ⁱ⁾)ⱼ (004); k·m(n + 1) parameters.
    let maxout (inputs: int) (outputs: int) (pieces: int) : Layer = MathDnn.Layers.Maxout(inputs, outputs, pieces)

    /// Inverted dropout with rate p ∈ [0, 1): in a training step x ⊙ m/(1 − p) with the mask m drawn from the step's
    /// seed, the identity when the network is evaluated.
    let dropout (rate: float) : Layer = MathDnn.Layers.Dropout rate

    /// Layer normalisation of n features with learned gain γ (starts at 1) and bias β (starts at 0):
    /// y = γ ⊙ (x − μ)/√(v + ε) + β, ε = 1e-5.
    let layerNorm (features: int) : Layer = MathDnn.Layers.LayerNorm features

    /// A user's layer from an object implementing ILayerDefinition (forward and backward passes on row-major spans,
    /// generic over the element type): a full peer of the library's layers.
    let ofDefinition (definition: ILayerDefinition) : Layer = CustomLayer definition

    /// A user's layer written one sample at a time in double (the simple form): `apply θ x` = ℓ(x; θ) and
    /// `pullback θ x y u` = (u·J_x, u·J_θ); `inputSize` and `outputSize` are its widths and `shapes` lays out θ.
    let perSample (name: string) (inputSize: int) (outputSize: int) (shapes: ParameterShape list)
                  (apply: Vector<float> -> Vector<float> -> Vector<float>)
                  (pullback: Vector<float> -> Vector<float> -> Vector<float> -> Vector<float> -> Vector<float> * Vector<float>) : Layer =
        FunctionLayer(
            name,
            System.Func<_, _, _>(fun theta x -> apply theta x),
            System.Func<_, _, _, _, _>(fun theta x y u -> let gx, gt = pullback theta x y u in struct (gx, gt)),
            System.Func<int, int>(fun n -> if n = inputSize then outputSize else invalidArg "inputSize" (sprintf "%s takes rows of width %d, got %d." name inputSize n)),
            ResizeArray shapes,
            System.Nullable inputSize)

    /// The number of parameters of the layer (m(n + 1) for a dense layer, 003 Def 5.1 Corollary; 0 for activations).
    let parameterCount (layer: Layer) : int = layer.ParameterCount

    /// The output width for rows of width `inputSize` (throws ArgumentException when the width is not accepted).
    let outputSize (inputSize: int) (layer: Layer) : int = layer.OutputSize inputSize

/// The mathematics of one dense layer on one sample (003 Section 4 and Prop 5.2).
module Dense =
    /// 𝕃(y, W, b) = y·Wᵀ + b (003 Def 4.1).
    let apply (y: Vector<float>) (w: Matrix<float>) (b: Vector<float>) : Vector<float> = MathDnn.Layers.Dense.Apply(y, w, b)

    /// Y·Wᵀ + b for a batch Y with one sample per row (003 Def 4.1, 003 Convention 2).
    let applyRows (y: Matrix<float>) (w: Matrix<float>) (b: Vector<float>) : Matrix<float> = MathDnn.Layers.Dense.Apply(y, w, b)

    /// J_{𝕃(·, W, b)}(y) = W (003 Prop 4.1).
    let inputJacobian (w: Matrix<float>) : Matrix<float> = MathDnn.Layers.Dense.InputJacobian w

    /// The Jacobian with respect to row i* of W (counted from 0): y at row i*, zeros elsewhere, in M_{m,n} (003 Prop 4.2).
    let rowJacobian (y: Vector<float>) (outputs: int) (row: int) : Matrix<float> = MathDnn.Layers.Dense.RowJacobian(y, outputs, row)

    /// J_{𝕃(y, W, ·)}(b) = Iₘ (003 Prop 4.3).
    let biasJacobian (outputs: int) : Matrix<float> = MathDnn.Layers.Dense.BiasJacobian outputs

    /// The simplified backward pass of 003 Prop 5.2 on a batch Y (k×n) with upstream gradient δ (k×m):
    /// dW = δᵀ·Y (row i* of dW is δ_{i*}·y for one sample), db = Σ_rows δ, dY = δ·W.
    let backward (y: Matrix<float>) (w: Matrix<float>) (delta: Matrix<float>) : Matrix<float> * Vector<float> * Matrix<float> =
        let struct (dW, db, dY) = MathDnn.Layers.Dense.Backward(y, w, delta)
        dW, db, dY

    /// y ↦ y·Wᵀ + b as a differentiable function with Jacobian W (003 Prop 4.1).
    let asFunction (w: Matrix<float>) (b: Vector<float>) : DifferentiableFunction = MathDnn.Layers.Dense.AsFunction(w, b)

    /// w ↦ 𝕃(y, W with row i* replaced by w, b) as a differentiable function (003 Prop 4.2).
    let asFunctionOfRow (y: Vector<float>) (w: Matrix<float>) (b: Vector<float>) (row: int) : DifferentiableFunction =
        MathDnn.Layers.Dense.AsFunctionOfRow(y, w, b, row)

    /// b ↦ 𝕃(y, W, b) as a differentiable function (003 Prop 4.3).
    let asFunctionOfBias (y: Vector<float>) (w: Matrix<float>) : DifferentiableFunction = MathDnn.Layers.Dense.AsFunctionOfBias(y, w)
