using MathDnn.Calculus;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Calculus;

/// <summary>Central differences on polynomials whose derivatives are known, and the gradient check's report.</summary>
public class FiniteDifferencesTests
{
    [Fact]
    public void Step_is_cube_root_of_epsilon_times_max_1_x_and_exactly_representable()
    {
        // ε^{1/3} = 2^{−52/3} ≈ 6.0555e-6; at x = 1000 the step scales to ≈ 6.0555e-3.
        Assert.Equal(Math.Pow(2, -52.0 / 3), FiniteDifferences.RelativeStep, 1e-20);
        Assert.Equal(FiniteDifferences.RelativeStep, FiniteDifferences.Step(0), 1e-20);
        double h = FiniteDifferences.Step(1000);
        Assert.Equal(1000 * FiniteDifferences.RelativeStep, h, 1e-15);
        Assert.Equal(h, (1000 + h) - 1000); // exactly representable
    }

    [Fact]
    public void Central_difference_of_x_cubed_is_3x2_plus_h2()
    {
        // ((x + h)³ − (x − h)³)/(2h) = (6x²h + 2h³)/(2h) = 3x² + h²: at x = 2 the exact derivative is 12 and the
        // truncation error is exactly h² ≈ (1.2e-5)² ≈ 1.5e-10; rounding adds ≈ ε·|x³|/h ≈ 2.2e-16·8/1.2e-5 ≈ 1.5e-10.
        double h = FiniteDifferences.Step(2);
        var g = FiniteDifferences.Gradient(v => v[0] * v[0] * v[0], V(2));
        Assert.Equal(12 + h * h, g[0], 5e-10);
        Assert.Equal(12, g[0], 1e-9);
    }

    [Fact]
    public void Central_differences_are_exact_on_quadratics_up_to_rounding()
    {
        // p(x) = x₀² + 3x₀x₁ − x₁² at (3, −1): ∇p = (2x₀ + 3x₁, 3x₀ − 2x₁) = (3, 11); no truncation error for degree 2,
        // rounding ≈ ε·|p|/h ≈ 2.2e-16·19/6e-6 ≈ 7e-10 at most (h ≥ 6e-6).
        var g = FiniteDifferences.Gradient(v => v[0] * v[0] + 3 * v[0] * v[1] - v[1] * v[1], V(3, -1));
        Equal([3, 11], g, 1e-9);
    }

    [Fact]
    public void Central_difference_Jacobian_of_a_polynomial_map()
    {
        // f(x) = (x₀², x₀x₁) at (1, 2): J = [[2, 0], [2, 1]]; degree 2 → rounding only, ≤ 1e-9 as above.
        var j = FiniteDifferences.Jacobian(x => V(x[0] * x[0], x[0] * x[1]), V(1, 2));
        Equal(new double[,] { { 2, 0 }, { 2, 1 } }, j, 1e-9);
    }

    [Fact]
    public void CheckGradient_reports_the_index_of_the_worst_entry()
    {
        // f(x) = x₀² + x₁² + x₂² at (1, 2, 3): ∇f = (2, 4, 6). Perturbing entry 1 by 0.5 gives relative error
        // 0.5/4.5 ≈ 0.111 there, while entries 0 and 2 stay at the central-difference noise (≈ 1e-10).
        Func<Vector<double>, double> f = v => v * v;
        var r = FiniteDifferences.CheckGradient(f, V(2, 4.5, 6), V(1, 2, 3));
        Assert.Equal(1, r.Column);
        Assert.Equal(0, r.Row);
        Assert.Equal(4.5, r.Analytic);
        Assert.Equal(4, r.Numeric, 1e-9);
        Assert.Equal(0.5 / 4.5, r.MaxRelativeError, 1e-9);
        Assert.Contains("(0, 1)", r.ToString());
        var ok = FiniteDifferences.CheckGradient(f, V(2, 4, 6), V(1, 2, 3));
        Assert.True(ok.MaxRelativeError < 1e-9, ok.ToString()); // quadratic: rounding only, ≈ 2e-16·14/6e-6/2 ≈ 3e-10 relative
    }

    [Fact]
    public void CheckJacobian_reports_row_and_column_of_the_worst_entry()
    {
        // A wrong Jacobian entry (1, 0): x₁ replaced by x₁ + 1 = 3 where the truth is 2.
        var wrong = new DifferentiableFunction("f", 2, 2,
            x => V(x[0] * x[0], x[0] * x[1]),
            x => M(new double[,] { { 2 * x[0], 0 }, { x[1] + 1, x[0] } }));
        var r = FiniteDifferences.CheckJacobian(wrong, V(1, 2));
        Assert.Equal((1, 0), (r.Row, r.Column));
        Assert.Equal(1.0 / 3, r.MaxRelativeError, 1e-9); // |3 − 2|/3
    }

    [Fact]
    public void Gradient_check_dimension_mismatch_names_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => FiniteDifferences.CheckGradient(v => v.Sum(), V(1, 2), V(1, 2, 3)));
        Assert.Contains("1×2", ex.Message);
        Assert.Contains("1×3", ex.Message);
        Assert.Throws<ArgumentException>(() => FiniteDifferences.Jacobian(x => x, Vector<double>.Build.Dense(0)));
    }

    [Fact]
    public void Finite_differences_leave_the_point_unchanged()
    {
        var x = V(1, 2, 3);
        FiniteDifferences.Gradient(v => { double s = v.Sum(); v[0] = 42; return s; }, x);
        FiniteDifferences.Jacobian(v => { var r = v.Clone(); v[1] = 42; return r; }, x);
        Assert.Equal(V(1, 2, 3), x);
    }
}
