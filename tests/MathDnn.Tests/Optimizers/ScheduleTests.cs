using MathDnn.Optimizers;

namespace MathDnn.Tests.Optimizers;

/// <summary>The schedules' values (t = 0 at the first update) and their verdicts on 004's conditions Σ η_t = ∞, Σ η_t² &lt; ∞.</summary>
public class ScheduleTests
{
    // Each expected value is one or two roundings away from the computed one: 1e-15 relative is ≈ 10 ulps.
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-15 * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    private static (double Sum, double SumOfSquares) PartialSums(Schedule s, long n)
    {
        double a = 0, b = 0;
        for (long t = 0; t < n; t++) { double e = s.At(t); a += e; b += e * e; }
        return (a, b);
    }

    [Fact]
    public void Constant_schedule_values()
    {
        var s = new ConstantSchedule(0.1);
        Assert.Equal(0.1, s.At(0));
        Assert.Equal(0.1, s.At(1_000_000));
        Assert.Equal(0.01, new ConstantSchedule().At(0)); // Keras's default η
        Schedule fromDouble = 0.25;                        // implicit conversion
        Assert.Equal(new ConstantSchedule(0.25), fromDouble);
    }

    [Fact]
    public void Inverse_time_decay_003_abstract_values()
    {
        var s = new InverseTimeDecay(0.1, 0.5);
        Assert.Equal(0.1, s.At(0));        // 0.1/(1 + 0)
        Close(0.05, s.At(2));              // 0.1/(1 + 0.5·2)
        Close(0.1 / 3, s.At(4));           // 0.1/(1 + 0.5·4)
        var p = new InverseTimeDecay(1, 1, power: 0.5);
        Close(0.5, p.At(3));               // 1/√(1 + 3)
    }

    [Fact]
    public void Exponential_decay_values()
    {
        var s = new ExponentialDecay(0.1, 0.5);
        Assert.Equal(0.1, s.At(0));
        Close(0.0125, s.At(3)); // 0.1·0.5³
    }

    [Fact]
    public void Step_decay_values()
    {
        var s = new StepDecay(0.1, 10); // γ = 0.1 (PyTorch's StepLR default)
        Assert.Equal(0.1, s.At(0));
        Assert.Equal(0.1, s.At(9));      // ⌊9/10⌋ = 0
        Close(0.01, s.At(10));           // 0.1·0.1
        Close(0.001, s.At(25));          // 0.1·0.1², ⌊25/10⌋ = 2
    }

    [Fact]
    public void Cosine_decay_values()
    {
        var s = new CosineDecay(0.1, 100, 0.01);
        Assert.Equal(0.1, s.At(0));                 // 0.01 + 0.09·(1 + cos 0)/2
        Close(0.055, s.At(50));                     // 0.01 + 0.09·(1 + cos(π/2))/2 = 0.01 + 0.045
        Assert.Equal(0.01, s.At(100));
        Assert.Equal(0.01, s.At(10_000));           // constant after T
        var three = new CosineDecay(0.1, 3, 0.01);
        Close(0.0775, three.At(1));                 // 0.01 + 0.09·(1 + cos(π/3))/2 = 0.01 + 0.09·0.75
        Close(0.0325, three.At(2));                 // 0.01 + 0.09·(1 + cos(2π/3))/2 = 0.01 + 0.09·0.25
        Assert.Equal(0.01, three.At(3));
    }

    // ---- 004 learning-rate conditions ----

    [Fact]
    public void Constant_positive_fails_004_square_summability()
    {
        var c = new ConstantSchedule(0.1).Conditions;
        Assert.True(c.SumDiverges);
        Assert.False(c.SumOfSquaresConverges);
        Assert.False(c.Satisfied);
        // Partial sums grow linearly: Σ_{t<N} η = N·η, Σ η² = N·η² (N = 1000: 100 and 10), unbounded in N.
        var (a, b) = PartialSums(new ConstantSchedule(0.1), 1000);
        Assert.Equal(100, a, 9);
        Assert.Equal(10, b, 9);
    }

    [Fact]
    public void Zero_learning_rate_fails_004_divergence()
    {
        var c = new ConstantSchedule(0).Conditions;
        Assert.False(c.SumDiverges);
        Assert.True(c.SumOfSquaresConverges);
    }

    [Fact]
    public void Inverse_time_decay_satisfies_004_conditions()
    {
        var s = new InverseTimeDecay(1, 1); // η_t = 1/(1 + t): the harmonic series
        Assert.True(s.Conditions.Satisfied);
        // Σ_{t<N} 1/(1+t) = H_N ≥ ln(N + 1) (unbounded), Σ 1/(1+t)² ≤ π²/6 (bounded).
        var (a, b) = PartialSums(s, 100_000);
        Assert.True(a >= Math.Log(100_001), $"H_N = {a}");
        Assert.True(b <= Math.PI * Math.PI / 6, $"Σ η² = {b}");
    }

    [Fact]
    public void Inverse_time_decay_with_power_one_half_fails_004_square_summability()
    {
        var s = new InverseTimeDecay(1, 1, 0.5); // η_t² = 1/(1 + t): harmonic
        Assert.True(s.Conditions.SumDiverges);
        Assert.False(s.Conditions.SumOfSquaresConverges);
        var (_, b) = PartialSums(s, 100_000);
        Assert.True(b >= Math.Log(100_001) * (1 - 1e-12), $"Σ η² = {b}"); // ≥ ln(N + 1), up to rounding of the sum
    }

    [Fact]
    public void Inverse_time_decay_with_power_two_fails_004_divergence()
    {
        var s = new InverseTimeDecay(1, 1, 2); // η_t = 1/(1 + t)²
        Assert.False(s.Conditions.SumDiverges);
        Assert.True(s.Conditions.SumOfSquaresConverges);
        var (a, _) = PartialSums(s, 100_000);
        Assert.True(a <= Math.PI * Math.PI / 6, $"Σ η = {a}");
    }

    [Fact]
    public void Inverse_time_decay_without_decay_is_constant_for_004()
    {
        Assert.Equal(new ConstantSchedule(0.1).Conditions with { Reason = "" }, new InverseTimeDecay(0.1, 0).Conditions with { Reason = "" });
    }

    [Fact]
    public void Exponential_decay_fails_004_divergence()
    {
        var s = new ExponentialDecay(1, 0.5);
        Assert.False(s.Conditions.SumDiverges);
        Assert.True(s.Conditions.SumOfSquaresConverges);
        // Σ 0.5ᵗ = 2 and Σ 0.25ᵗ = 4/3 bound every partial sum.
        var (a, b) = PartialSums(s, 10_000);
        Assert.True(a <= 2 && b <= 4.0 / 3 + 1e-15, $"{a}, {b}");
        Assert.False(new ExponentialDecay(1, 1).Conditions.SumOfSquaresConverges); // γ = 1 is constant
    }

    [Fact]
    public void Step_decay_fails_004_divergence()
    {
        var s = new StepDecay(1, 10, 0.5);
        Assert.False(s.Conditions.SumDiverges);
        Assert.True(s.Conditions.SumOfSquaresConverges);
        // Σ = 10·Σ 0.5ᵏ = 20 bounds every partial sum.
        var (a, _) = PartialSums(s, 10_000);
        Assert.True(a <= 20, $"{a}");
    }

    [Fact]
    public void Cosine_decay_to_a_positive_floor_fails_004_square_summability()
    {
        var s = new CosineDecay(1, 100, 0.01);
        Assert.True(s.Conditions.SumDiverges);
        Assert.False(s.Conditions.SumOfSquaresConverges);
    }

    [Fact]
    public void Cosine_decay_to_zero_fails_004_divergence()
    {
        var s = new CosineDecay(1, 100);
        Assert.False(s.Conditions.SumDiverges);
        Assert.True(s.Conditions.SumOfSquaresConverges);
        // Every term after T = 100 is 0, so the sums stop growing: Σ_{t<10⁴} = Σ_{t<100} ≤ 100·η.
        Assert.Equal(PartialSums(s, 100), PartialSums(s, 10_000));
        Assert.True(PartialSums(s, 100).Sum <= 100);
    }

    [Fact]
    public void Verdicts_explain_themselves()
    {
        Assert.Contains("p ≤ 1", new InverseTimeDecay(1, 1).Conditions.Reason);
        Assert.Contains("1 − γ", new ExponentialDecay(1, 0.5).Conditions.Reason);
    }

    // ---- errors ----

    [Fact]
    public void Negative_or_non_finite_learning_rates_are_rejected()
    {
        Assert.Contains("η must be finite and ≥ 0, got -0.1", Assert.Throws<ArgumentException>(() => new ConstantSchedule(-0.1)).Message);
        Assert.Contains("Inverse-time decay", Assert.Throws<ArgumentException>(() => new InverseTimeDecay(double.NaN, 1)).Message);
        Assert.Contains("decay d", Assert.Throws<ArgumentException>(() => new InverseTimeDecay(0.1, -1)).Message);
        Assert.Contains("power p", Assert.Throws<ArgumentException>(() => new InverseTimeDecay(0.1, 1, 0)).Message);
        Assert.Contains("γ must be in ]0, 1], got 1.5", Assert.Throws<ArgumentException>(() => new ExponentialDecay(0.1, 1.5)).Message);
        Assert.Contains("γ must be in ]0, 1], got 0", Assert.Throws<ArgumentException>(() => new StepDecay(0.1, 5, 0)).Message);
        Assert.Contains("step size s must be ≥ 1, got 0", Assert.Throws<ArgumentException>(() => new StepDecay(0.1, 0)).Message);
        Assert.Contains("T must be ≥ 1", Assert.Throws<ArgumentException>(() => new CosineDecay(0.1, 0)).Message);
        Assert.Contains("η_min must be in [0, η] = [0, 0.1], got 0.2", Assert.Throws<ArgumentException>(() => new CosineDecay(0.1, 10, 0.2)).Message);
    }

    [Fact]
    public void A_negative_step_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ConstantSchedule(0.1).At(-1));
        Assert.Contains("Schedule constant: the step t must be ≥ 0", ex.Message);
    }

    private sealed record Broken : Schedule
    {
        public override string Name => "broken";
        public override RobbinsMonro Conditions => new(false, false, "none");
        protected override double Evaluate(long t) => t == 0 ? 0.1 : -1;
    }

    [Fact]
    public void A_custom_schedule_cannot_return_a_negative_rate()
    {
        Assert.Equal(0.1, new Broken().At(0));
        var ex = Assert.Throws<ArgumentException>(() => new Broken().At(1));
        Assert.Contains("Schedule broken: η_t at t = 1 is -1", ex.Message);
    }
}
