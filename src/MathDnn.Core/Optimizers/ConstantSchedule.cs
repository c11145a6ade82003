namespace MathDnn.Optimizers;

/// <summary>
/// The constant schedule η_t = η for every step t ≥ 0 (t = 0 at the first update). Default η = 0.01 (Keras's SGD).
/// 004 conditions: for η &gt; 0, Σ η_t = ∞ holds but Σ η_t² &lt; ∞ fails (constant steps keep injecting noise);
/// for η = 0 both sums are 0.
/// </summary>
public sealed record ConstantSchedule : Schedule
{
    /// <summary>η_t = η = <paramref name="learningRate"/> (default 0.01).</summary>
    /// <exception cref="ArgumentException">η is negative or not finite.</exception>
    public ConstantSchedule(double learningRate = 0.01) => LearningRate = Rate("Constant schedule", "η", learningRate);

    /// <summary>η.</summary>
    public double LearningRate { get; }

    /// <inheritdoc/>
    public override string Name => "constant";

    /// <summary>For η &gt; 0, Σ η_t = ∞ but Σ η_t² = ∞ as well; for η = 0 both sums are 0.</summary>
    public override RobbinsMonro Conditions => RobbinsMonro.Constant(LearningRate, "");

    /// <summary>η.</summary>
    protected override double Evaluate(long t) => LearningRate;
}
