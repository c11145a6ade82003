namespace MathDnn.Optimizers;

/// <summary>
/// Exponential decay η_t = η·γᵗ, t = 0 at the first update (so η₀ = η), with γ ∈ ]0, 1] (no default: PyTorch's
/// ExponentialLR and Keras's ExponentialDecay require it), nor for η.
/// 004 conditions: for η &gt; 0 and γ &lt; 1 the sums are geometric, Σ η_t = η/(1 − γ) &lt; ∞ and
/// Σ η_t² = η²/(1 − γ²) &lt; ∞: the square condition holds but the first fails (θ can only travel a bounded
/// distance); γ = 1 is the constant schedule.
/// </summary>
public sealed record ExponentialDecay : Schedule
{
    /// <summary>η_t = η·γᵗ with η = <paramref name="learningRate"/> and γ = <paramref name="gamma"/>.</summary>
    /// <exception cref="ArgumentException">η is negative or not finite, or γ is not in ]0, 1].</exception>
    public ExponentialDecay(double learningRate, double gamma)
    {
        LearningRate = Rate("Exponential decay", "η", learningRate);
        Gamma = Factor("Exponential decay", gamma);
    }

    /// <summary>η = η₀.</summary>
    public double LearningRate { get; }

    /// <summary>γ ∈ ]0, 1].</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override string Name => "exponential";

    /// <summary>For η &gt; 0 and γ &lt; 1, Σ η_t² &lt; ∞ but Σ η_t &lt; ∞ too; γ = 1 or η = 0 is the constant verdict.</summary>
    public override RobbinsMonro Conditions =>
        LearningRate == 0 || Gamma == 1 ? RobbinsMonro.Constant(LearningRate, "γ = 1 or η = 0: ")
        : new(false, true, $"η_t = η·γ^t with γ = {Gamma} < 1: Σ η_t = η/(1 − γ) < ∞ and Σ η_t² = η²/(1 − γ²) < ∞.");

    /// <summary>η·γᵗ.</summary>
    protected override double Evaluate(long t) => LearningRate * Math.Pow(Gamma, t);
}
