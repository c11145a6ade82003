namespace MathDnn.Optimizers;

/// <summary>
/// The constant schedule η_t = η for every step t ≥ 0 (t = 0 at the first update). Default η = 0.01 (Keras's SGD).
/// 004 conditions: for η &gt; 0, Σ η_t = ∞ holds but Σ η_t² = ∞ fails (constant steps keep injecting noise);
/// for η = 0 both sums are 0.
/// </summary>
public sealed record ConstantSchedule : Schedule
{
    public ConstantSchedule(double learningRate = 0.01) => LearningRate = Rate("Constant schedule", "η", learningRate);

    /// <summary>η.</summary>
    public double LearningRate { get; }

    public override string Name => "constant";

    public override RobbinsMonro Conditions => RobbinsMonro.Constant(LearningRate, "");

    protected override double Evaluate(long t) => LearningRate;
}
