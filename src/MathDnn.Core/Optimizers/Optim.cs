using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// Short names for the optimizers and transformations of this namespace (each returns the record of the same
/// meaning; see it for the exact update, the defaults and the step counter, which starts at t = 0 on the first
/// update). Learning rates are <see cref="Schedule"/>s; a double converts to a constant one, and <see cref="Lr"/>
/// builds the others.
/// </summary>
public static class Optim
{
    /// <summary><see cref="GradientDescent"/>: u = −η_t·g (004 Algorithm 8.1).</summary>
    public static GradientDescent Sgd(Schedule learningRate) => new(learningRate);

    /// <summary><see cref="Optimizers.Momentum"/> without Nesterov (Keras/Sutskever convention unless told otherwise).</summary>
    public static Momentum Momentum(Schedule learningRate, double mu, MomentumConvention convention = MomentumConvention.Sutskever) =>
        new(learningRate, mu, convention, nesterov: false);

    /// <summary><see cref="Optimizers.Momentum"/> in Nesterov's form.</summary>
    public static Momentum Nesterov(Schedule learningRate, double mu, MomentumConvention convention = MomentumConvention.Sutskever) =>
        new(learningRate, mu, convention, nesterov: true);

    /// <summary>003's "stochastic gradient descent optimizer with decay and momentum": Keras's legacy SGD(lr, momentum, decay), η_t = η/(1 + decay·t).</summary>
    public static Momentum KerasSgd(double learningRate = 0.01, double mu = 0, double decay = 0, bool nesterov = false) =>
        new(new InverseTimeDecay(learningRate, decay), mu, MomentumConvention.Sutskever, nesterov);

    /// <summary><see cref="Optimizers.RmsProp"/> (ε inside the root unless told otherwise, 002 eq. 9).</summary>
    public static RmsProp RmsProp(Schedule learningRate, double beta = 0.9, double epsilon = 1e-8, EpsilonPlacement placement = EpsilonPlacement.InsideRoot) =>
        new(learningRate, beta, epsilon, placement);

    /// <summary><see cref="Optimizers.Adam"/> (PyTorch's defaults).</summary>
    public static Adam Adam(Schedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool biasCorrection = true) =>
        new(learningRate, beta1, beta2, epsilon, biasCorrection);

    /// <summary><see cref="Optimizers.AdamW"/> (PyTorch's defaults; <paramref name="mask"/> null decays every entry).</summary>
    public static AdamW AdamW(Schedule learningRate, double weightDecay = 0.01, Parameters? mask = null) =>
        new(learningRate, weightDecay: weightDecay, mask: mask);

    /// <summary><see cref="Optimizers.AdaGrad"/> (PyTorch's defaults).</summary>
    public static AdaGrad AdaGrad(Schedule learningRate, double epsilon = 1e-10) => new(learningRate, epsilon);

    /// <summary><see cref="Optimizers.ClipByGlobalNorm"/>: u = g·min(1, c/‖g‖₂).</summary>
    public static ClipByGlobalNorm ClipByGlobalNorm(double maxNorm) => new(maxNorm);

    /// <summary><see cref="Optimizers.AddDecayedWeights"/>: u = g + λ·M⊙θ.</summary>
    public static AddDecayedWeights AddDecayedWeights(double weightDecay, Parameters? mask = null) => new(weightDecay, mask);

    /// <summary><see cref="Optimizers.ScaleBySchedule"/>: u = η_t·d.</summary>
    public static ScaleBySchedule ScaleBySchedule(Schedule schedule) => new(schedule);

    /// <summary>The mask that decays the weights ("W" blocks) and spares the biases.</summary>
    public static Parameters WeightsOnly(ParameterLayout layout) => Optimizers.AddDecayedWeights.WeightsOnly(layout);

    /// <summary><see cref="Optimizer.Chain"/>: the transformations applied left to right.</summary>
    public static Optimizer Chain(params Optimizer[] transformations) => Optimizer.Chain(transformations);
}
