namespace MathDnn.Optimizers;

/// <summary>
/// A learning-rate schedule: the pure function t ↦ η_t of 004 Algorithm 8.1 ("Require: learning rate schedule
/// ε₁, ε₂, …"). The step counter t is the optimizer's <see cref="OptimizerState.Count"/> before the update, so
/// t = 0 at the first step (004 writes ε_k with k = t + 1). Every η_t is finite and ≥ 0; <see cref="At"/> checks it.
/// <see cref="Conditions"/> gives the verdict on 004's conditions Σ η_t = ∞ and Σ η_t² &lt; ∞.
/// A double converts implicitly to a <see cref="ConstantSchedule"/>.
/// </summary>
public abstract record Schedule
{
    /// <summary>A short name used in messages and model files (e.g. "inverse-time").</summary>
    public abstract string Name { get; }

    /// <summary>The verdict on 004's conditions Σ_t η_t = ∞ and Σ_t η_t² &lt; ∞ for these parameters.</summary>
    public abstract RobbinsMonro Conditions { get; }

    /// <summary>η_t, for the step counter t ≥ 0 (t = 0 at the first update).</summary>
    public double At(long t)
    {
        if (t < 0) throw new ArgumentException($"Schedule {Name}: the step t must be ≥ 0 (t = 0 at the first update), got {t}.", nameof(t));
        double eta = Evaluate(t);
        if (!double.IsFinite(eta) || eta < 0)
            throw new ArgumentException($"Schedule {Name}: η_t at t = {t} is {eta}; a learning rate must be finite and ≥ 0.");
        return eta;
    }

    /// <summary>η_t for t ≥ 0 (already checked).</summary>
    protected abstract double Evaluate(long t);

    /// <summary>η ↦ the constant schedule t ↦ η.</summary>
    public static implicit operator Schedule(double learningRate) => new ConstantSchedule(learningRate);

    /// <summary>Checks a learning rate: finite and ≥ 0.</summary>
    internal static double Rate(string operation, string symbol, double value) =>
        double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentException($"{operation}: the learning rate {symbol} must be finite and ≥ 0, got {value}.");

    /// <summary>Checks a decay factor γ ∈ ]0, 1].</summary>
    internal static double Factor(string operation, double gamma) =>
        gamma > 0 && gamma <= 1 ? gamma
            : throw new ArgumentException($"{operation}: the factor γ must be in ]0, 1], got {gamma}.");
}
