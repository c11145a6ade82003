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
module Optimizer =
    /// Plain gradient descent θ ← θ − η_t·g (004 Algorithm 8.1).
    let sgd (learningRate: Schedule) : Optimizer = Optim.Sgd learningRate
    /// Momentum, Keras/Sutskever convention: v ← μv − η_t·g, θ ← θ + v.
    let momentum (learningRate: Schedule) (mu: float) : Optimizer = Optim.Momentum(learningRate, mu)
    /// Momentum, PyTorch convention: b ← μb + g, θ ← θ − η_t·b.
    let momentumPyTorch (learningRate: Schedule) (mu: float) : Optimizer = Optim.Momentum(learningRate, mu, MomentumConvention.PyTorch)
    /// Nesterov momentum (Keras/Sutskever convention).
    let nesterov (learningRate: Schedule) (mu: float) : Optimizer = Optim.Nesterov(learningRate, mu)
    /// 003's SGD "with decay and momentum": Keras's SGD(lr, momentum, decay), η_t = η/(1 + decay·t).
    let kerasSgd (learningRate: float) (mu: float) (decay: float) : Optimizer = Optim.KerasSgd(learningRate, mu, decay)
    /// RMSprop with ε inside the square root (002 eqs. 8–10).
    let rmsprop (learningRate: Schedule) : Optimizer = Optim.RmsProp learningRate
    /// Adam (Kingma &amp; Ba 2015, bias-corrected; 002 eq. 13 is garbled).
    let adam (learningRate: Schedule) : Optimizer = Optim.Adam learningRate
    /// AdamW (decoupled weight decay λ).
    let adamw (learningRate: Schedule) (weightDecay: float) : Optimizer = Optim.AdamW(learningRate, weightDecay)
    /// AdaGrad.
    let adagrad (learningRate: Schedule) : Optimizer = Optim.AdaGrad learningRate
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
