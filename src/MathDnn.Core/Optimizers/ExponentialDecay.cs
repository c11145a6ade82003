namespace MathDnn.Optimizers;

/// <summary>
/// Exponential decay η_t = η·γᵗ, t = 0 at the first update (so η₀ = η), with γ ∈ ]0, 1] (no default: PyTorch's
/// ExponentialLR and Keras's ExponentialDecay require it). Default η = 0.01.
/// 004 conditions: for η &gt; 0 and γ &lt; 1 the sums are geometric, Σ η_t = η/(1 − γ) &lt; ∞ and
/// Σ η_t² = η²/(1 − γ²) &lt; ∞: the square condition holds but the first fails (θ can only travel a bounded
/// distance); γ = 1 is the constant schedule.
/// </summary>
public sealed record ExponentialDecay : Schedule
{
    public ExponentialDecay(double learningRate, double gamma)
    {
        LearningRate = Rate("Exponential decay", "η", learningRate);
        Gamma = Factor("Exponential decay", gamma);
    }

    /// <summary>η = η₀.</summary>
    public double LearningRate { get; }

    /// <summary>γ ∈ ]0, 1].</summary>
    public double Gamma { get; }

    public override string Name => "exponential";

    public override RobbinsMonro Conditions =>
        LearningRate == 0 || Gamma == 1 ? RobbinsMonro.Constant(LearningRate, "γ = 1 or η = 0: ")
        : new(false, true, $"η_t = η·γ^t with γ = {Gamma} < 1: Σ η_t = η/(1 − γ) < ∞ and Σ η_t² = η²/(1 − γ²) < ∞.");

    protected override double Evaluate(long t) => LearningRate * Math.Pow(Gamma, t);
}
