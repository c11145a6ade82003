using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// AdaGrad (Duchi, Hazan &amp; Singer 2011), per entry, with t the state's count before the update (t = 0 at the
/// first step): s ← s + g², u = −η_t·g/(√s + ε), with s₀ = the initial accumulator value. PyTorch's lr_decay is the
/// schedule <see cref="InverseTimeDecay"/>(η, lr_decay). Buffer "s".
/// Defaults as PyTorch's Adagrad: η = 0.01, initial accumulator 0, ε = 1e-10.
/// </summary>
public sealed record AdaGrad : Optimizer
{
    /// <summary>AdaGrad with the constant learning rate η.</summary>
    public AdaGrad(double learningRate = 0.01, double epsilon = 1e-10, double initialAccumulator = 0)
        : this(new ConstantSchedule(learningRate), epsilon, initialAccumulator) { }

    /// <summary>AdaGrad with the schedule t ↦ η_t.</summary>
    public AdaGrad(Schedule learningRate, double epsilon = 1e-10, double initialAccumulator = 0)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        LearningRate = learningRate;
        Epsilon = OptimizerCheck.Positive("AdaGrad", "ε", epsilon);
        InitialAccumulator = OptimizerCheck.NonNegative("AdaGrad", "the initial accumulator s₀", initialAccumulator);
    }

    /// <summary>t ↦ η_t.</summary>
    public Schedule LearningRate { get; }

    /// <summary>ε &gt; 0, added to √s.</summary>
    public double Epsilon { get; }

    /// <summary>s₀ ≥ 0, every entry of the initial sum of squares.</summary>
    public double InitialAccumulator { get; }

    public override string Name => "adagrad";

    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, InitialAccumulator, "s");

    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters)
    {
        OptimizerCheck.Inputs(Name, gradient, state, parameters);
        double eta = LearningRate.At(state.Count), eps = Epsilon;
        var g = gradient.AsSpan();
        var previous = OptimizerCheck.Buffer(Name, state, "s", gradient.Layout).AsSpan();
        var s = new double[g.Length];
        var u = new double[g.Length];
        for (int i = 0; i < u.Length; i++)
        {
            s[i] = previous[i] + g[i] * g[i];
            u[i] = -eta * (g[i] / (Math.Sqrt(s[i]) + eps));
        }
        var layout = gradient.Layout;
        return (Parameters.Own(layout, u), OptimizerCheck.Next(state, ("s", Parameters.Own(layout, s))));
    }
}
