using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// AdamW, Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019), per entry, with t the state's count before
/// the update (t = 0 at the first step) and the moments of <see cref="Adam"/>:
/// u = −η_t·(m̂/(√v̂ + ε) + λ·M⊙θ), where M is the optional 0/1 <see cref="Mask"/> (null: every entry; use
/// <see cref="AddDecayedWeights.WeightsOnly"/> to spare the biases). This is PyTorch's AdamW,
/// θ ← θ·(1 − η_t·λ) − η_t·m̂/(√v̂ + ε), written as one update. Unlike an L2 term added to the gradient, the decay
/// does not pass through the adaptive scaling. Buffers "m" and "v".
/// Defaults as PyTorch's AdamW: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0.01, bias correction on.
/// </summary>
public sealed record AdamW : Optimizer
{
    /// <summary>AdamW with the constant learning rate η.</summary>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01,
        Parameters? mask = null, bool biasCorrection = true)
        : this(new ConstantSchedule(learningRate), beta1, beta2, epsilon, weightDecay, mask, biasCorrection) { }

    /// <summary>AdamW with the schedule t ↦ η_t.</summary>
    public AdamW(Schedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01,
        Parameters? mask = null, bool biasCorrection = true)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        LearningRate = learningRate;
        Beta1 = OptimizerCheck.UnitInterval("AdamW", "β₁", beta1);
        Beta2 = OptimizerCheck.UnitInterval("AdamW", "β₂", beta2);
        Epsilon = OptimizerCheck.Positive("AdamW", "ε", epsilon);
        WeightDecay = OptimizerCheck.NonNegative("AdamW", "the weight decay λ", weightDecay);
        Mask = OptimizerCheck.Mask("AdamW", mask);
        BiasCorrection = biasCorrection;
    }

    /// <summary>t ↦ η_t.</summary>
    public Schedule LearningRate { get; }

    /// <summary>β₁ ∈ [0, 1).</summary>
    public double Beta1 { get; }

    /// <summary>β₂ ∈ [0, 1).</summary>
    public double Beta2 { get; }

    /// <summary>ε &gt; 0.</summary>
    public double Epsilon { get; }

    /// <summary>λ ≥ 0.</summary>
    public double WeightDecay { get; }

    /// <summary>The 0/1 mask M of the decayed entries, or null for all of them.</summary>
    public Parameters? Mask { get; }

    /// <summary>Divide the moments by 1 − βᵗ⁺¹ or not.</summary>
    public bool BiasCorrection { get; }

    /// <inheritdoc/>
    public override string Name => "adamw";

    /// <summary>Count 0 and the buffers "m" and "v" at 0.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0, "m", "v");

    /// <summary>Adam's moments, then u = −η_t·(m̂/(√v̂ + ε) + λ·M⊙θ).</summary>
    /// <exception cref="ArgumentException">The gradient's layout differs from θ's, the gradient has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count, or the mask's layout differs from θ's.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (Mask is not null) OptimizerCheck.MaskLayout(Name, Mask, parameters.Layout);
        return UpdateByKernel(gradient, state, parameters);
    }

    internal override bool HasKernel => true;

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers) =>
        Adam.Kernel(gradient, parameters, update, buffers, LearningRate.At(buffers.Count), Beta1, Beta2, Epsilon, BiasCorrection, WeightDecay, Mask);

    /// <summary>The fused pass of <see cref="Adam"/> with the decay term when every entry decays; with a mask, Transform and θ + u.</summary>
    internal override bool Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers) =>
        Mask is null
            ? Adam.Fused(gradient, parameters, next, buffers,
                new Adam.Coefficients<T>(LearningRate.At(buffers.Count), Beta1, Beta2, Epsilon, BiasCorrection, WeightDecay, buffers.Count))
            : base.Apply(gradient, parameters, next, scratch, buffers);
}
