using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// Convexity of f ∈ 𝒟(ℝᵐ, ℝ) (003 Section 6.1) as inequalities evaluated at given points:
/// <see cref="Chord"/> is 003 Def 6.1 (15), f(τx + (1 − τ)y) ≤ τf(x) + (1 − τ)f(y);
/// <see cref="FirstOrder"/> is its equivalent first-order form 003 Prop 6.1 (16), f(x) + ∇f(x)·(y − x)ᵀ ≤ f(y).
/// f is convex iff every instance holds; one violated instance is a counterexample. Each returns an
/// <see cref="InequalityCheck"/> with both sides, the points and the rounding allowance (see its remarks).
/// </summary>
public static class Convexity
{
    /// <summary>003 Def 6.1 (15) at (x, y, τ): f(τx + (1 − τ)y) ≤ τf(x) + (1 − τ)f(y), τ ∈ [0, 1].</summary>
    public static InequalityCheck Chord(RealFunction f, Vector<double> x, Vector<double> y, double tau,
        double relativeTolerance = InequalityCheck.DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        Pair("003 Def 6.1", f, x, y);
        if (!(tau >= 0 && tau <= 1))
            throw new ArgumentException($"003 Def 6.1: τ must lie in [0, 1], got {tau}.", nameof(tau));
        var z = tau * x + (1 - tau) * y;
        double fz = f.Value(z), fx = f.Value(x), fy = f.Value(y);
        double right = tau * fx + (1 - tau) * fy;
        return InequalityCheck.Of("003 Def 6.1 (15)", "f(τx + (1 − τ)y) ≤ τf(x) + (1 − τ)f(y)", fz, right,
            Math.Abs(fz) + tau * Math.Abs(fx) + (1 - tau) * Math.Abs(fy), relativeTolerance,
            $"x = {RealFunction.Format(x)}, y = {RealFunction.Format(y)}, τ = {tau:G17}; f(x) = {fx:G17}, f(y) = {fy:G17}");
    }

    /// <summary>003 Prop 6.1 (16) at (x, y): f(x) + ∇f(x)·(y − x)ᵀ ≤ f(y) (the tangent plane at x lies below f).</summary>
    public static InequalityCheck FirstOrder(RealFunction f, Vector<double> x, Vector<double> y,
        double relativeTolerance = InequalityCheck.DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        Pair("003 Prop 6.1", f, x, y);
        double fx = f.Value(x), fy = f.Value(y);
        var g = f.Gradient(x);
        var d = y - x;
        double slope = g.DotProduct(d);
        return InequalityCheck.Of("003 Prop 6.1 (16)", "f(x) + ∇f(x)·(y − x)ᵀ ≤ f(y)", fx + slope, fy,
            Math.Abs(fx) + AbsDot(g, d) + Math.Abs(fy), relativeTolerance,
            $"x = {RealFunction.Format(x)}, y = {RealFunction.Format(y)}; f(x) = {fx:G17}, ∇f(x)·(y − x)ᵀ = {slope:G17}");
    }

    internal static void Pair(string statement, RealFunction f, Vector<double> x, Vector<double> y)
    {
        Guard.Length(statement, "x", x, f.Dimension);
        Guard.Length(statement, "y", y, f.Dimension);
        Guard.Finite(statement, "x", x);
        Guard.Finite(statement, "y", y);
    }

    /// <summary>Σ|aᵢbᵢ|: the scale of the rounding error of ⟨a, b⟩.</summary>
    internal static double AbsDot(Vector<double> a, Vector<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Count; i++) s += Math.Abs(a[i] * b[i]);
        return s;
    }
}
