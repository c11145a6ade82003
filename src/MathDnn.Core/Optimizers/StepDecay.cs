namespace MathDnn.Optimizers;

/// <summary>
/// Step decay η_t = η·γ^⌊t/s⌋: η for the first s updates (t = 0 … s − 1, t = 0 at the first update), then η·γ for
/// the next s, and so on. Defaults as PyTorch's StepLR: γ = 0.1 (η and s have no default).
/// 004 conditions: for η &gt; 0 and γ &lt; 1, Σ η_t = s·η/(1 − γ) &lt; ∞ and Σ η_t² = s·η²/(1 − γ²) &lt; ∞:
/// the square condition holds but the first fails; γ = 1 is the constant schedule.
/// </summary>
public sealed record StepDecay : Schedule
{
    /// <summary>η_t = η·γ^⌊t/s⌋ with η = <paramref name="learningRate"/>, s = <paramref name="stepSize"/> and γ = <paramref name="gamma"/> (default 0.1).</summary>
    /// <exception cref="ArgumentException">η is negative or not finite, s &lt; 1, or γ is not in ]0, 1].</exception>
    public StepDecay(double learningRate, long stepSize, double gamma = 0.1)
    {
        LearningRate = Rate("Step decay", "η", learningRate);
        if (stepSize < 1) throw new ArgumentException($"Step decay: the step size s must be ≥ 1, got {stepSize}.", nameof(stepSize));
        StepSize = stepSize;
        Gamma = Factor("Step decay", gamma);
    }

    /// <summary>η = η₀.</summary>
    public double LearningRate { get; }

    /// <summary>s ≥ 1, the number of updates between two decays.</summary>
    public long StepSize { get; }

    /// <summary>γ ∈ ]0, 1].</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override string Name => "step";

    /// <summary>For η &gt; 0 and γ &lt; 1, Σ η_t² &lt; ∞ but Σ η_t &lt; ∞ too; γ = 1 or η = 0 is the constant verdict.</summary>
    public override RobbinsMonro Conditions =>
        LearningRate == 0 || Gamma == 1 ? RobbinsMonro.Constant(LearningRate, "γ = 1 or η = 0: ")
        : new(false, true, $"η_t = η·γ^⌊t/s⌋ with γ = {Gamma} < 1, s = {StepSize}: Σ η_t = s·η/(1 − γ) < ∞ and Σ η_t² = s·η²/(1 − γ²) < ∞.");

    /// <summary>η·γ^⌊t/s⌋.</summary>
    protected override double Evaluate(long t) => LearningRate * Math.Pow(Gamma, t / StepSize);
}
