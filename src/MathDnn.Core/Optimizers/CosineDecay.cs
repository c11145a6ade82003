namespace MathDnn.Optimizers;

/// <summary>
/// Cosine decay from η to η_min over T updates, constant afterwards:
/// η_t = η_min + (η − η_min)·(1 + cos(π·t/T))/2 for 0 ≤ t ≤ T and η_t = η_min for t ≥ T (t = 0 at the first update,
/// so η₀ = η and η_T = η_min). This is PyTorch's CosineAnnealingLR closed form (without its restarts past T) and
/// Optax's cosine_decay_schedule (which clamps at T). Defaults: η_min = 0 (PyTorch's eta_min); η and T have none.
/// 004 conditions: the first T terms are finite, so the tail decides: η_min &gt; 0 gives Σ η_t = ∞ and Σ η_t² = ∞;
/// η_min = 0 gives two finite sums.
/// </summary>
public sealed record CosineDecay : Schedule
{
    /// <summary>Cosine decay from η = <paramref name="learningRate"/> to η_min = <paramref name="minimum"/> (default 0) over T = <paramref name="decaySteps"/> updates.</summary>
    /// <exception cref="ArgumentException">η is negative or not finite, T &lt; 1, or η_min is not in [0, η].</exception>
    public CosineDecay(double learningRate, long decaySteps, double minimum = 0)
    {
        LearningRate = Rate("Cosine decay", "η", learningRate);
        if (decaySteps < 1) throw new ArgumentException($"Cosine decay: the number of decay steps T must be ≥ 1, got {decaySteps}.", nameof(decaySteps));
        if (!double.IsFinite(minimum) || minimum < 0 || minimum > learningRate)
            throw new ArgumentException($"Cosine decay: η_min must be in [0, η] = [0, {learningRate}], got {minimum}.", nameof(minimum));
        DecaySteps = decaySteps;
        Minimum = minimum;
    }

    /// <summary>η = η₀.</summary>
    public double LearningRate { get; }

    /// <summary>T ≥ 1, the number of updates over which η_t falls from η to η_min.</summary>
    public long DecaySteps { get; }

    /// <summary>η_min ∈ [0, η], the value from t = T on.</summary>
    public double Minimum { get; }

    /// <inheritdoc/>
    public override string Name => "cosine";

    /// <summary>η_min &gt; 0: Σ η_t = ∞ and Σ η_t² = ∞; η_min = 0: both sums finite.</summary>
    public override RobbinsMonro Conditions => Minimum > 0
        ? new(true, false, $"η_t = η_min = {Minimum} > 0 for t ≥ T = {DecaySteps}: Σ η_t = ∞, but Σ η_t² = ∞ too.")
        : new(false, true, $"η_t = η_min = 0 for t ≥ T = {DecaySteps}: both sums have finitely many non-zero terms.");

    /// <summary>η_min + (η − η_min)·(1 + cos(π·t/T))/2 for t &lt; T, η_min from t = T on.</summary>
    protected override double Evaluate(long t) =>
        t >= DecaySteps ? Minimum
        : Minimum + (LearningRate - Minimum) * 0.5 * (1 + Math.Cos(Math.PI * t / DecaySteps));
}
