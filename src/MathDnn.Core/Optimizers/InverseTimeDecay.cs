namespace MathDnn.Optimizers;

/// <summary>
/// Inverse-time decay η_t = η / (1 + d·t)^p, t = 0 at the first update (so η₀ = η). With p = 1 (the default) this is
/// the "decay" of 003's abstract ("stochastic gradient descent optimizer with decay and momentum"): Keras's legacy
/// SGD(lr, decay) computes lr/(1 + decay·iterations) with iterations = 0 at the first update; PyTorch's Adagrad
/// lr_decay is the same schedule. Defaults: d = 0 (Keras's default decay), p = 1.
/// 004 conditions: for η &gt; 0 and d &gt; 0, η_t ~ (η/dᵖ)·t⁻ᵖ, so Σ η_t = ∞ iff p ≤ 1 and Σ η_t² &lt; ∞ iff p &gt; ½:
/// the Keras decay (p = 1) satisfies both; d = 0 is the constant schedule.
/// </summary>
public sealed record InverseTimeDecay : Schedule
{
    /// <summary>η_t = η/(1 + d·t)^p with η = <paramref name="learningRate"/> (default 0.01), d = <paramref name="decay"/> (default 0), p = <paramref name="power"/> (default 1).</summary>
    /// <exception cref="ArgumentException">η or d is negative or not finite, or p is not positive and finite.</exception>
    public InverseTimeDecay(double learningRate = 0.01, double decay = 0, double power = 1)
    {
        LearningRate = Rate("Inverse-time decay", "η", learningRate);
        if (!double.IsFinite(decay) || decay < 0) throw new ArgumentException($"Inverse-time decay: the decay d must be finite and ≥ 0, got {decay}.", nameof(decay));
        if (!double.IsFinite(power) || power <= 0) throw new ArgumentException($"Inverse-time decay: the power p must be finite and > 0, got {power}.", nameof(power));
        Decay = decay;
        Power = power;
    }

    /// <summary>η = η₀.</summary>
    public double LearningRate { get; }

    /// <summary>d ≥ 0.</summary>
    public double Decay { get; }

    /// <summary>p &gt; 0 (1 for Keras's decay).</summary>
    public double Power { get; }

    /// <inheritdoc/>
    public override string Name => "inverse-time";

    /// <summary>For η, d &gt; 0: Σ η_t = ∞ iff p ≤ 1 and Σ η_t² &lt; ∞ iff p &gt; ½; d = 0 or η = 0 is the constant verdict.</summary>
    public override RobbinsMonro Conditions =>
        LearningRate == 0 || Decay == 0 ? RobbinsMonro.Constant(LearningRate, "d = 0 or η = 0: ")
        : new(Power <= 1, Power > 0.5,
            $"η_t = η/(1 + d·t)^p ~ (η/d^p)·t^(−p) with p = {Power}: Σ t^(−p) = ∞ iff p ≤ 1, Σ t^(−2p) < ∞ iff p > 1/2.");

    /// <summary>η/(1 + d·t)^p.</summary>
    protected override double Evaluate(long t)
    {
        double denominator = 1 + Decay * t;
        return Power == 1 ? LearningRate / denominator : LearningRate / Math.Pow(denominator, Power);
    }
}
