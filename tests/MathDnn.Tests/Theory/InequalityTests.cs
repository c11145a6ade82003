using MathDnn.Losses;
using MathDnn.Theory;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Theory;

/// <summary>003 Defs 6.1–6.2, Props 6.1–6.3 and 000 Def 3.1 as inequality checks, on hand-computed instances.</summary>
public class InequalityTests
{
    private static Vector<double> V(params double[] x) => Vector<double>.Build.DenseOfArray(x);

    // f(x) = c·‖x‖², ∇f = 2c·x: convex for c ≥ 0, L-smooth with L = 2|c|.
    private static RealFunction Quadratic(double c, int n = 1) =>
        RealFunction.Of($"{c}‖x‖²", n, x => c * x.DotProduct(x), x => 2 * c * x);

    [Fact]
    public void Def_6_1_chord_holds_for_x_squared_and_fails_for_minus_x_squared()
    {
        // x = 0, y = 2, τ = ½: f(1) = 1 ≤ (f(0) + f(2))/2 = 2.
        var ok = Convexity.Chord(Quadratic(1), V(0), V(2), 0.5);
        Assert.True(ok.Holds);
        Assert.Equal(1.0, ok.Left);
        Assert.Equal(2.0, ok.Right);
        // −x²: −1 > −2, excess 1.
        var bad = Convexity.Chord(Quadratic(-1), V(0), V(2), 0.5);
        Assert.False(bad.Holds);
        Assert.Equal(1.0, bad.Excess);
        Assert.Contains("003 Def 6.1 (15)", bad.ToString());
        Assert.Contains("VIOLATED", bad.ToString());
        Assert.Contains("left -1 > right -2", bad.ToString());
    }

    [Fact]
    public void Prop_6_1_first_order_form_on_the_squared_norm()
    {
        // f = ‖x‖², x = (1, 0), y = (0, 1): f(x) + ∇f(x)·(y − x)ᵀ = 1 + (2, 0)·(−1, 1) = −1 ≤ f(y) = 1.
        var c = Convexity.FirstOrder(Quadratic(1, 2), V(1, 0), V(0, 1));
        Assert.True(c.Holds);
        Assert.Equal(-1.0, c.Left);
        Assert.Equal(1.0, c.Right);
        // For −‖x‖²: −1 + (−2, 0)·(−1, 1) = 1 > −1.
        Assert.False(Convexity.FirstOrder(Quadratic(-1, 2), V(1, 0), V(0, 1)).Holds);
    }

    [Fact]
    public void Def_6_2_gradient_Lipschitz_is_tight_at_L_equal_2c()
    {
        // f = 1.5x², ∇f = 3x: x = 1, y = −1 gives ‖3 − (−3)‖ = 6 and L‖x − y‖ = 2L: holds at L = 3 (equality), fails at 2.9 (5.8).
        Assert.True(Smoothness.GradientLipschitz(Quadratic(1.5), 3, V(1), V(-1)).Holds);
        var bad = Smoothness.GradientLipschitz(Quadratic(1.5), 2.9, V(1), V(-1));
        Assert.False(bad.Holds);
        Assert.Equal(6.0, bad.Left);
        Assert.Equal(5.8, bad.Right, 15);
    }

    [Fact]
    public void Prop_6_2_descent_lemma_is_an_equality_for_x_squared_with_L_2()
    {
        // f = x², L = 2: x² + 2x(y − x) + (y − x)² = y² exactly; with L = 1.9 at x = 0, y = 1: 1 > 0.95.
        var eq = Smoothness.DescentLemma(Quadratic(1), 2, V(0.5), V(3));
        Assert.True(eq.Holds);
        Assert.Equal(9.0, eq.Left);
        Assert.Equal(9.0, eq.Right);
        var bad = Smoothness.DescentLemma(Quadratic(1), 1.9, V(0), V(1));
        Assert.False(bad.Holds);
        Assert.Equal(0.95, bad.Right, 15);
    }

    [Fact]
    public void Prop_6_3_co_coercivity_on_x_squared()
    {
        // ∇f = 2x, x = 0, y = 1: (1/L)·4 vs 2·1 = 2: equality at L = 2, 4/1.9 ≈ 2.105 > 2 at L = 1.9.
        var eq = Smoothness.CoCoercivity(Quadratic(1), 2, V(0), V(1));
        Assert.True(eq.Holds);
        Assert.Equal(2.0, eq.Left);
        Assert.Equal(2.0, eq.Right);
        Assert.False(Smoothness.CoCoercivity(Quadratic(1), 1.9, V(0), V(1)).Holds);
    }

    [Fact]
    public void Def_3_1_of_000_holds_for_L2_and_fails_for_the_log_loss_on_logits()
    {
        // L₂, y* = (1, 0), ε = (1, −1): ‖sε‖² = 2s², s = 0.5, t = 1: 0.5 ≤ 2.
        var l2 = LossAxiom.AlongRay(new L2Loss(), V(1, 0), V(1, -1), 0.5, 1);
        Assert.True(l2.Holds);
        Assert.Equal(0.5, l2.Left, 15);
        Assert.Equal(2.0, l2.Right, 15);
        // log loss, y* = (1, 0), ε = (1, 0): log(1 + e^{−(1+s)}): s = 0 → log(1 + e^{−1}) = 0.313262, t = 1 → log(1 + e^{−2}) = 0.126928.
        var log = LossAxiom.AlongRay(new LogLoss(), V(1, 0), V(1, 0), 0, 1);
        Assert.False(log.Holds);
        Assert.Equal(0.313262, log.Left, 6);
        Assert.Equal(0.126928, log.Right, 6);
    }

    [Fact]
    public void Checks_do_not_mutate_their_arguments()
    {
        var (x, y) = (V(1, 2), V(-3, 0.5));
        var (xc, yc) = (x.Clone(), y.Clone());
        var f = Quadratic(1, 2);
        Convexity.Chord(f, x, y, 0.3);
        Convexity.FirstOrder(f, x, y);
        Smoothness.GradientLipschitz(f, 2, x, y);
        Smoothness.DescentLemma(f, 2, x, y);
        Smoothness.CoCoercivity(f, 2, x, y);
        Smoothness.Estimate(f, x);
        Assert.Equal(xc, x);
        Assert.Equal(yc, y);
    }

    [Fact]
    public void Bad_input_is_an_ArgumentException_naming_the_statement_and_the_shapes()
    {
        var f = Quadratic(1, 2);
        var e = Assert.Throws<ArgumentException>(() => Convexity.Chord(f, V(1, 2, 3), V(0, 0), 0.5));
        Assert.Contains("003 Def 6.1", e.Message);
        Assert.Contains("1×2", e.Message);
        Assert.Contains("1×3", e.Message);
        Assert.Contains("τ must lie in [0, 1]", Assert.Throws<ArgumentException>(() => Convexity.Chord(f, V(1, 2), V(0, 0), 1.5)).Message);
        Assert.Contains("L must be in ℝ+*", Assert.Throws<ArgumentException>(() => Smoothness.DescentLemma(f, 0, V(1, 2), V(0, 0))).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Smoothness.CoCoercivity(f, 1, V(double.NaN, 2), V(0, 0))).Message);
        var nan = RealFunction.Of("nan", 1, _ => double.NaN, x => x);
        Assert.Contains("f(x) is NaN", Assert.Throws<ArithmeticException>(() => nan.Value(V(1))).Message);
    }
}
