namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Calculus

/// Activation functions ℝᵐ → ℝᵐ as values (003 Section 2, 004 activation catalogue): each is also a layer, so it can
/// stand in a network's layer list. The module requires qualified access (`Activation.tanh`, `Activation.identity`), so
/// it never shadows FSharp.Core's scalar `tanh` or other functions of the same name.
[<RequireQualifiedAccess>]
module Activation =
    /// ReLU 𝓡(z) = (max(0, zᵢ))ᵢ (003 Def 2.1), with J_𝓡(z) = diag(𝟙_{ℝ++}(zᵢ)) (003 Prop 2.1; derivative 0 at 0,
    /// 003 Assumption 1).
    let relu : Activation = Relu()

    /// Leaky ReLU f(z) = z for z > 0 and slope·z otherwise (004; the catalogue's max(0.1z, z) is slope 0.1),
    /// f'(z) = 1 for z > 0 and slope for z ≤ 0.
    let leakyRelu (slope: float) : Activation = LeakyRelu slope

    /// ELU f(z) = z for z ≥ 0 and α(eᶻ − 1) for z < 0 (004), f'(z) = 1 for z ≥ 0 and α·eᶻ for z < 0.
    let elu (alpha: float) : Activation = Elu alpha

    /// The logistic sigmoid σ(z) = 1/(1 + e^{−z}) (002 eq. 4, 004), σ' = σ(1 − σ).
    let sigmoid : Activation = Sigmoid()

    /// tanh (002 eqs. 6–7, 004), tanh' = 1 − tanh².
    let tanh : Activation = Tanh()

    /// The linear unit f(z) = z (002 Section 5.1), with Jacobian Iₘ.
    let identity : Activation = Identity()

    /// Softmax 𝓢(z)ᵢ = e^{zᵢ}/Σₖ e^{zₖ} (003 Def 2.2), J_𝓢(z)ᵢⱼ = 𝓢ᵢ(δᵢⱼ − 𝓢ⱼ) (003 Prop 2.2).
    let softmax : Activation = Softmax()

    /// GELU f(z) = z·Φ(z), Φ the standard normal distribution function (computed with erfc), f′ = Φ + z·φ.
    let gelu : Activation = Gelu()

    /// GELU's tanh approximation ½z(1 + tanh(√(2/π)(z + 0.044715z³))), evaluated as z·σ(2u).
    let geluTanh : Activation = GeluTanh()

    /// SiLU (swish) f(z) = z·σ(z), f′ = σ + f·(1 − σ).
    let silu : Activation = Silu()

    /// Softplus f(z) = log(1 + eᶻ) = max(z, 0) + log1p(e^{−|z|}) (stable), f′ = σ.
    let softplus : Activation = Softplus()

    /// A user's element-wise activation from f and f′(z, y) on doubles (y = f(z)): the simple form (float32 runs
    /// through double). Its Jacobian is diag(f′(z)) and its backward pass u ⊙ f′(z) (003 Prop 5.1).
    let elementwise (name: string) (f: float -> float) (derivative: float -> float -> float) : Activation =
        FunctionActivation(name, System.Func<float, float> f, System.Func<float, float, float> derivative)

    /// A user's element-wise activation from an object implementing IElementwiseDefinition (f and f′ generic over the
    /// element type: full speed in float32 and float64).
    let ofDefinition (definition: IElementwiseDefinition) : Activation = CustomActivation definition

    /// The activation of one sample z (a row).
    let apply (activation: Activation) (z: Vector<float>) : Vector<float> = activation.Apply z

    /// The activation of every row of a batch Z (003 Convention 2).
    let applyRows (activation: Activation) (z: Matrix<float>) : Matrix<float> = activation.Apply z

    /// The explicit Jacobian J(z) ∈ M_{m,m} (003 Props 2.1–2.2; diagonal for element-wise activations).
    let jacobian (activation: Activation) (z: Vector<float>) : Matrix<float> = activation.Jacobian z

    /// J(z) as a structured linear map: diag(f'(z)) for element-wise activations (003 Prop 2.1), diag(s) − sᵀs for
    /// softmax (003 Prop 2.2).
    let jacobianMap (activation: Activation) (z: Vector<float>) : MathDnn.Jacobians.LinearMap = activation.JacobianMap z

    /// The backward pass u·J(z) computed without the matrix: u ⊙ f'(z) for element-wise activations (003 Prop 5.1),
    /// 𝓢 ⊙ (u − ⟨u, 𝓢⟩) for softmax.
    let backward (activation: Activation) (z: Vector<float>) (upstream: Vector<float>) : Vector<float> =
        activation.Backward(z, upstream)

    /// The activation on ℝᵐ as a differentiable function (003 Def 1.1), to compose with `Calculus.compose`.
    let asFunction (activation: Activation) (m: int) : DifferentiableFunction = activation.AsFunction m
