using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.Tests.Optimizers;

/// <summary>
/// The 2-parameter example of the optimizer tests: f(θ) = ½(θ₁² + 4θ₂²), ∇f(θ) = (θ₁, 4θ₂), from θ₀ = (1, 1),
/// so g₀ = (1, 4). Layouts built by hand (no network).
/// </summary>
internal static class TwoParameters
{
    // Expected values are the hand formulas evaluated in double; both sides carry at most ~20 roundings of O(1)
    // numbers, each ≤ 2⁻⁵³ ≈ 1.1e-16 relative, so they agree to ≈ 2e-15; 1e-13 leaves a 50× margin.
    public const double Tolerance = 1e-13;

    /// <summary>One block "W" of shape 1×2.</summary>
    public static readonly ParameterLayout Layout = new([new ParameterBlock(0, "W", 1, 2, 0)]);

    /// <summary>A weight "W" (1×1) then a bias "b" (1×1), for masks.</summary>
    public static readonly ParameterLayout WeightAndBias = new([new ParameterBlock(0, "W", 1, 1, 0), new ParameterBlock(0, "b", 1, 1, 1)]);

    public static Parameters Theta(double a, double b) => Parameters.FromArray(Layout, [a, b]);

    public static Parameters Theta0 => Theta(1, 1);

    /// <summary>∇f(θ) = (θ₁, 4θ₂), in θ's layout.</summary>
    public static Parameters Gradient(Parameters theta) => Parameters.FromArray(theta.Layout, [theta[0], 4 * theta[1]]);

    /// <summary>Two steps of <paramref name="optimizer"/> on f from <paramref name="theta0"/>.</summary>
    public static (Parameters Theta1, Parameters Theta2, OptimizerState State1, OptimizerState State2) TwoSteps(Optimizer optimizer, Parameters? theta0 = null)
    {
        var t0 = theta0 ?? Theta0;
        var s0 = optimizer.Init(t0);
        var (t1, s1) = optimizer.Step(t0, Gradient(t0), s0);
        var (t2, s2) = optimizer.Step(t1, Gradient(t1), s1);
        return (t1, t2, s1, s2);
    }

    public static void Close(double expected, double actual, string what = "")
        => Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: expected {expected:R}, got {actual:R} (|Δ| = {Math.Abs(expected - actual):E2}).");

    public static void Close(Parameters actual, params double[] expected)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], $"entry {i}");
    }
}
