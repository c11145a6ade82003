namespace MathDnn.Kernels;

/// <summary>Scalar helpers that the BCL computes less accurately than needed.</summary>
internal static class ScalarMath
{
    /// <summary>log(1 + x) accurate for small |x| (Goldberg's trick: log(u)·x/(u − 1) with u = 1 + x, exact rounding of u cancels).</summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsInfinity(u)) return Math.Log(u);
        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>softplus(z) = log(1 + eᶻ) = max(z, 0) + log(1 + e^{−|z|}), finite for every finite z.</summary>
    public static double Softplus(double z) => Math.Max(z, 0) + Log1P(Math.Exp(-Math.Abs(z)));
}
