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
