namespace MathDnn.FSharp

open MathDnn.Networks
open MathDnn.Optimizers

/// Learning-rate schedules t ↦ η_t as values (t = the optimizer's step count before the update, 0 at the first step).
module Schedule =
    /// η_t = η.
    let constant (eta: float) : Schedule = Lr.Constant eta
    /// η_t = η / (1 + decay·t), the "decay" of 003's abstract.
    let inverseTime (eta: float) (decay: float) : Schedule = Lr.InverseTime(eta, decay)
    /// η_t = η·γᵗ.
    let exponential (eta: float) (gamma: float) : Schedule = Lr.Exponential(eta, gamma)
    /// η_t = η·γ^⌊t/s⌋.
    let step (eta: float) (stepSize: int64) (gamma: float) : Schedule = Lr.Step(eta, stepSize, gamma)
    /// Cosine decay from η to η_min over T steps, η_min after.
    let cosine (eta: float) (steps: int64) (minimum: float) : Schedule = Lr.Cosine(eta, steps, minimum)
    /// η_t.
    let at (t: int64) (schedule: Schedule) : float = schedule.At t
    /// The verdict on 004's conditions Σ η_t = ∞ and Σ η_t² &lt; ∞.
    let robbinsMonro (schedule: Schedule) : RobbinsMonro = schedule.Conditions

/// Optimizers as pure state transitions (θ, v) → (θ′, v′), Optax style: `init` then `step`, composed with `chain`.
/// Each optimizer takes a constant learning rate η as a float (`Optimizer.adam 0.01`); its `…With` variant takes a
/// schedule t ↦ η_t (`Optimizer.adamWith (Schedule.cosine 0.01 1000L 0.0)`).
module Optimizer =
    /// Plain gradient descent θ ← θ − η_t·g (004 Algorithm 8.1) on a schedule.
    let sgdWith (learningRate: Schedule) : Optimizer = Optim.Sgd learningRate
    /// Plain gradient descent θ ← θ − η·g (004 Algorithm 8.1).
    let sgd (learningRate: float) : Optimizer = sgdWith (Schedule.constant learningRate)
    /// Momentum, Keras/Sutskever convention: v ← μv − η_t·g, θ ← θ + v, on a schedule.
    let momentumWith (learningRate: Schedule) (mu: float) : Optimizer = Optim.Momentum(learningRate, mu)
    /// Momentum, Keras/Sutskever convention: v ← μv − η·g, θ ← θ + v.
    let momentum (learningRate: float) (mu: float) : Optimizer = momentumWith (Schedule.constant learningRate) mu
    /// Momentum, PyTorch convention: b ← μb + g, θ ← θ − η_t·b, on a schedule.
    let momentumPyTorchWith (learningRate: Schedule) (mu: float) : Optimizer =
        Optim.Momentum(learningRate, mu, MomentumConvention.PyTorch)
    /// Momentum, PyTorch convention: b ← μb + g, θ ← θ − η·b.
    let momentumPyTorch (learningRate: float) (mu: float) : Optimizer = momentumPyTorchWith (Schedule.constant learningRate) mu
    /// Nesterov momentum (Keras/Sutskever convention) on a schedule.
    let nesterovWith (learningRate: Schedule) (mu: float) : Optimizer = Optim.Nesterov(learningRate, mu)
    /// Nesterov momentum (Keras/Sutskever convention).
    let nesterov (learningRate: float) (mu: float) : Optimizer = nesterovWith (Schedule.constant learningRate) mu
    /// 003's SGD "with decay and momentum": Keras's SGD(lr, momentum, decay), η_t = η/(1 + decay·t).
    let kerasSgd (learningRate: float) (mu: float) (decay: float) : Optimizer = Optim.KerasSgd(learningRate, mu, decay)
    /// RMSprop with ε inside the square root (002 eqs. 8–10) on a schedule.
    let rmspropWith (learningRate: Schedule) : Optimizer = Optim.RmsProp learningRate
    /// RMSprop with ε inside the square root (002 eqs. 8–10).
    let rmsprop (learningRate: float) : Optimizer = rmspropWith (Schedule.constant learningRate)
    /// Adam (Kingma &amp; Ba 2015, bias-corrected; 002 eq. 13 is garbled) on a schedule.
    let adamWith (learningRate: Schedule) : Optimizer = Optim.Adam learningRate
    /// Adam (Kingma &amp; Ba 2015, bias-corrected; 002 eq. 13 is garbled).
    let adam (learningRate: float) : Optimizer = adamWith (Schedule.constant learningRate)
    /// AdamW (decoupled weight decay λ) on a schedule.
    let adamwWith (learningRate: Schedule) (weightDecay: float) : Optimizer = Optim.AdamW(learningRate, weightDecay)
    /// AdamW (decoupled weight decay λ).
    let adamw (learningRate: float) (weightDecay: float) : Optimizer = adamwWith (Schedule.constant learningRate) weightDecay
    /// AdaGrad on a schedule.
    let adagradWith (learningRate: Schedule) : Optimizer = Optim.AdaGrad learningRate
    /// AdaGrad.
    let adagrad (learningRate: float) : Optimizer = adagradWith (Schedule.constant learningRate)
    /// u = g·min(1, c/‖g‖₂).
    let clipByGlobalNorm (maxNorm: float) : Optimizer = Optim.ClipByGlobalNorm maxNorm
    /// u = g + λ·M⊙θ; `None` decays every entry, `Some mask` only where the mask is 1 (see `weightsOnly`).
    let addDecayedWeights (weightDecay: float) (mask: Parameters option) : Optimizer =
        Optim.AddDecayedWeights(weightDecay, Option.toObj mask)
    /// The mask of the weight blocks ("W"), sparing the biases.
    let weightsOnly (layout: ParameterLayout) : Parameters = Optim.WeightsOnly layout
    /// The transformations applied left to right (Optax's chain).
    let chain (transformations: Optimizer list) : Optimizer = Optim.Chain(List.toArray transformations)
    /// v₀ = init θ.
    let init (theta: Parameters) (optimizer: Optimizer) : OptimizerState = optimizer.Init theta
    /// (θ, g, v) ↦ (θ′, v′).
    let step (optimizer: Optimizer) (theta: Parameters) (gradient: Parameters) (state: OptimizerState) : Parameters * OptimizerState =
        let struct (t, s) = optimizer.Step(theta, gradient, state)
        t, s
    /// (g, v, θ) ↦ (u, v′): the update to add to θ and the next state.
    let update (optimizer: Optimizer) (gradient: Parameters) (state: OptimizerState) (theta: Parameters) : Parameters * OptimizerState =
        let struct (u, s) = optimizer.Update(gradient, state, theta)
        u, s
