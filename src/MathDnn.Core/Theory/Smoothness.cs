using MathDnn.Calculus;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// L-smoothness of f ∈ 𝒟(ℝᵐ, ℝ) (003 Section 6.1) as inequalities evaluated at given points, and an estimate of L:
/// <list type="bullet">
/// <item><see cref="GradientLipschitz"/>: 003 Def 6.2 (17), ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖;</item>
/// <item><see cref="DescentLemma"/>: 003 Prop 6.2 (18), f(y) ≤ f(x) + ∇f(x)·(y − x)ᵀ + (L/2)‖y − x‖² (implied by Def 6.2);</item>
/// <item><see cref="CoCoercivity"/>: 003 Prop 6.3 (19), (1/L)‖∇f(y) − ∇f(x)‖² ≤ (∇f(y) − ∇f(x))·(y − x)ᵀ (implied by convexity and Def 6.2);</item>
/// <item><see cref="Estimate(RealFunction, Vector{double}, int, int, double)"/>: L at a point as the spectral norm of the Hessian, by power
/// iteration on Hessian–vector products that are central differences of the gradient.</item>
/// </list>
/// </summary>
public static class Smoothness
{
    /// <summary>003 Def 6.2 (17) at (x, y): ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖.</summary>
    public static InequalityCheck GradientLipschitz(RealFunction f, double lipschitz, Vector<double> x, Vector<double> y,
        double relativeTolerance = InequalityCheck.DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        Constant("003 Def 6.2", lipschitz);
        Convexity.Pair("003 Def 6.2", f, x, y);
        Vector<double> gx = f.Gradient(x), gy = f.Gradient(y);
        double left = (gx - gy).L2Norm(), distance = (x - y).L2Norm(), right = lipschitz * distance;
        return InequalityCheck.Of("003 Def 6.2 (17)", $"‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖ with L = {lipschitz:G6}", left, right,
            gx.L2Norm() + gy.L2Norm() + right, relativeTolerance,
            $"x = {RealFunction.Format(x)}, y = {RealFunction.Format(y)}; ‖x − y‖ = {distance:G17}");
    }

    /// <summary>003 Prop 6.2 (18) at (x, y): f(y) ≤ f(x) + ∇f(x)·(y − x)ᵀ + (L/2)‖y − x‖².</summary>
    public static InequalityCheck DescentLemma(RealFunction f, double lipschitz, Vector<double> x, Vector<double> y,
        double relativeTolerance = InequalityCheck.DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        Constant("003 Prop 6.2", lipschitz);
        Convexity.Pair("003 Prop 6.2", f, x, y);
        double fx = f.Value(x), fy = f.Value(y);
        var g = f.Gradient(x);
        var d = y - x;
        double slope = g.DotProduct(d), quadratic = lipschitz / 2 * d.DotProduct(d);
        return InequalityCheck.Of("003 Prop 6.2 (18)", $"f(y) ≤ f(x) + ∇f(x)·(y − x)ᵀ + (L/2)‖y − x‖² with L = {lipschitz:G6}",
            fy, fx + slope + quadratic, Math.Abs(fy) + Math.Abs(fx) + Convexity.AbsDot(g, d) + quadratic, relativeTolerance,
            $"x = {RealFunction.Format(x)}, y = {RealFunction.Format(y)}; f(x) = {fx:G17}, ∇f(x)·(y − x)ᵀ = {slope:G17}, (L/2)‖y − x‖² = {quadratic:G17}");
    }

    /// <summary>003 Prop 6.3 (19) at (x, y): (1/L)‖∇f(y) − ∇f(x)‖² ≤ (∇f(y) − ∇f(x))·(y − x)ᵀ (gradient co-coercivity).</summary>
    public static InequalityCheck CoCoercivity(RealFunction f, double lipschitz, Vector<double> x, Vector<double> y,
        double relativeTolerance = InequalityCheck.DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        Constant("003 Prop 6.3", lipschitz);
        Convexity.Pair("003 Prop 6.3", f, x, y);
        Vector<double> gx = f.Gradient(x), gy = f.Gradient(y);
        var dg = gy - gx;
        var d = y - x;
        double dgNorm = dg.L2Norm(), left = dgNorm * dgNorm / lipschitz, right = dg.DotProduct(d);
        // Each gradient entry errs by ≈ c·ε·|g|, so dg errs by c·ε·(‖∇f(x)‖ + ‖∇f(y)‖): it moves the left side by 2‖dg‖/L
        // times that and the right side by ‖y − x‖ times that.
        double scale = (gx.L2Norm() + gy.L2Norm()) * (2 * dgNorm / lipschitz + d.L2Norm()) + Convexity.AbsDot(dg, d);
        return InequalityCheck.Of("003 Prop 6.3 (19)", $"(1/L)‖∇f(y) − ∇f(x)‖² ≤ (∇f(y) − ∇f(x))·(y − x)ᵀ with L = {lipschitz:G6}",
            left, right, scale, relativeTolerance,
            $"x = {RealFunction.Format(x)}, y = {RealFunction.Format(y)}; ‖∇f(y) − ∇f(x)‖ = {dgNorm:G17}");
    }

    /// <summary>
    /// The Hessian–vector product H_f(x)·vᵀ as the central difference of the gradient along v:
    /// (∇f(x + h·v) − ∇f(x − h·v)) / (2h) with h = ε^{1/3}·max(1, ‖x‖∞)/max(1, ‖v‖∞) (the step of
    /// <see cref="FiniteDifferences"/> along a direction). Its error is ≈ h²‖∇⁴f‖/6 + ε‖∇f‖/h ≈ 4e-11 times the scale of ∇f.
    /// </summary>
    public static Vector<double> HessianVectorProduct(RealFunction f, Vector<double> x, Vector<double> v)
    {
        ArgumentNullException.ThrowIfNull(f);
        Convexity.Pair("Hessian–vector product", f, x, v);
        double h = FiniteDifferences.RelativeStep * Math.Max(1, x.AbsoluteMaximum()) / Math.Max(1, v.AbsoluteMaximum());
        return (f.Gradient(x + h * v) - f.Gradient(x - h * v)) / (2 * h);
    }

    /// <summary>
    /// An estimate of the smallest L of 003 Def 6.2 near x: the spectral norm ‖H_f(x)‖₂ = max |λᵢ(H_f(x))|, by power
    /// iteration vₖ₊₁ = H vₖ / ‖H vₖ‖ from a seeded random unit v₀ with <see cref="HessianVectorProduct"/>, stopping when
    /// the residual ‖H vₖ − λₖ vₖ‖ (λₖ = vₖ·H vₖᵀ, the Rayleigh quotient) is at most <paramref name="relativeResidual"/>·|λₖ|,
    /// or after <paramref name="maxIterations"/>. The default 1e-6 is well above the ≈ 1e-10 relative error of a
    /// central-difference product (so it can be met) and gives L to about 1e-6 relative (the Rayleigh quotient's error
    /// is of the order of the squared residual). Since L is a supremum over all x, the estimate at one point (or the
    /// maximum over several, <see cref="EstimateOver"/>) is a lower bound of the true L.
    /// </summary>
    public static SmoothnessEstimate Estimate(RealFunction f, Vector<double> x, int maxIterations = 1000, int seed = 0, double relativeResidual = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length("Smoothness estimate", "x", x, f.Dimension);
        if (maxIterations < 1) throw new ArgumentException($"Smoothness estimate: at least one iteration is needed, got {maxIterations}.");
        var rng = new Rng(seed);
        var v = Vector<double>.Build.Dense(f.Dimension, _ => rng.NextNormal());
        v /= v.L2Norm();
        double lambda = 0, residual = double.PositiveInfinity;
        for (int k = 1; k <= maxIterations; k++)
        {
            var hv = HessianVectorProduct(f, x, v);
            lambda = v.DotProduct(hv);
            residual = (hv - lambda * v).L2Norm();
            double norm = hv.L2Norm();
            if (norm == 0) return new SmoothnessEstimate(0, k, 0, true, RealFunction.Format(x));
            if (residual <= relativeResidual * Math.Abs(lambda))
                return new SmoothnessEstimate(Math.Abs(lambda), k, residual, true, RealFunction.Format(x));
            v = hv / norm;
        }
        return new SmoothnessEstimate(Math.Abs(lambda), maxIterations, residual, false, RealFunction.Format(x));
    }

    /// <summary>The largest <see cref="Estimate"/> over several points (a lower bound of the L of 003 Def 6.2).</summary>
    public static SmoothnessEstimate EstimateOver(RealFunction f, IEnumerable<Vector<double>> points, int maxIterations = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(points);
        SmoothnessEstimate? best = null;
        foreach (var x in points)
        {
            var e = Estimate(f, x, maxIterations, seed);
            if (best is null || e.L > best.L) best = e;
        }
        return best ?? throw new ArgumentException("Smoothness estimate: at least one point is needed.");
    }

    private static void Constant(string statement, double lipschitz)
    {
        if (!(lipschitz > 0) || double.IsInfinity(lipschitz))
            throw new ArgumentException($"{statement}: L must be in ℝ+* (finite and > 0), got {lipschitz}.");
    }
}

/// <summary>
/// An estimate of the L of 003 Def 6.2 at one point: <see cref="L"/> = |λ| for the Rayleigh quotient λ of the last
/// power iterate, the number of <see cref="Iterations"/>, the final <see cref="Residual"/> ‖H v − λ v‖, whether the
/// residual met its tolerance (<see cref="Converged"/>), and the point.
/// </summary>
/// <param name="L">|λ|, the estimate of L.</param>
/// <param name="Iterations">The power iterations run.</param>
/// <param name="Residual">‖H v − λ v‖ at the last iterate.</param>
/// <param name="Converged">Whether the residual met its tolerance.</param>
/// <param name="Point">The point, printed.</param>
public sealed record SmoothnessEstimate(double L, int Iterations, double Residual, bool Converged, string Point)
{
    /// <summary>The estimate, the iterations, the residual (flagged when not converged) and the point.</summary>
    public override string ToString() =>
        $"L ≈ {L:G6} after {Iterations} power iteration(s), residual {Residual:G3}{(Converged ? "" : " (not converged)")} at {Point}";
}
