namespace MathDnn.Optimizers;

/// <summary>
/// Short names for the learning-rate schedules t ↦ η_t (t = the optimizer's count before the update, 0 at the first
/// step); see each record for its formula, defaults and its verdict on 004's conditions Σ η_t = ∞, Σ η_t² &lt; ∞.
/// </summary>
public static class Lr
{
    /// <summary><see cref="ConstantSchedule"/>: η_t = η.</summary>
    public static ConstantSchedule Constant(double learningRate) => new(learningRate);

    /// <summary><see cref="InverseTimeDecay"/>: η_t = η/(1 + d·t)^p (p = 1: Keras's legacy decay).</summary>
    public static InverseTimeDecay InverseTime(double learningRate, double decay, double power = 1) => new(learningRate, decay, power);

    /// <summary><see cref="ExponentialDecay"/>: η_t = η·γᵗ.</summary>
    public static ExponentialDecay Exponential(double learningRate, double gamma) => new(learningRate, gamma);

    /// <summary><see cref="StepDecay"/>: η_t = η·γ^⌊t/s⌋.</summary>
    public static StepDecay Step(double learningRate, long stepSize, double gamma = 0.1) => new(learningRate, stepSize, gamma);

    /// <summary><see cref="CosineDecay"/>: from η to η_min over T steps, η_min afterwards.</summary>
    public static CosineDecay Cosine(double learningRate, long decaySteps, double minimum = 0) => new(learningRate, decaySteps, minimum);
}
