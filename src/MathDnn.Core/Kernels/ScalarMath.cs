using System.Numerics;

namespace MathDnn.Kernels;

/// <summary>
/// Scalar functions that the BCL computes less accurately than needed, generic over float and double. .NET's
/// <c>T.ExpM1(x)</c> is <c>T.Exp(x) − 1</c> and <c>T.LogP1(x)</c> is <c>T.Log(x + 1)</c> bit for bit, so both lose
/// all relative accuracy as x → 0 (<c>double.ExpM1(1e-10)</c> is off by 8e-8 relative, <c>double.LogP1(1e-17)</c>
/// returns 0); these keep a few ulps for every x.
/// </summary>
public static class ScalarMath
{
    /// <summary>
    /// eˣ − 1 to a few ulps for every x (Kahan's formula, Higham, <i>Accuracy and Stability of Numerical Algorithms</i>,
    /// §1.14.1): with u = fl(eˣ), x itself when u = 1, −1 when u − 1 = −1, else (u − 1)·x / log u, in which the
    /// rounding error of u cancels between the numerator and the denominator. ∞ for +∞, −1 for −∞, NaN for NaN.
    /// </summary>
    /// <param name="x">Any value.</param>
    public static T ExpM1<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.Exp(x);
        if (u == T.One) return x;              // |x| below ½ ulp of 1: eˣ − 1 = x(1 + x/2 + …) rounds to x
        T um1 = u - T.One;                     // exact for u in [½, 2] (Sterbenz)
        if (um1 == -T.One) return um1;         // eˣ below ½ ulp of 1: −1 is the rounded result
        if (T.IsPositiveInfinity(u)) return u; // overflow: x·∞/∞ would be NaN
        return um1 * x / T.Log(u);
    }

    /// <summary>
    /// log(1 + x) to a few ulps for every x ≥ −1 (Goldberg's formula, the same cancellation as in <see cref="ExpM1{T}"/>):
    /// with u = fl(1 + x), x itself when u = 1, else log(u)·x / (u − 1). −∞ at x = −1, NaN below −1 and for NaN, ∞ for +∞.
    /// </summary>
    /// <param name="x">A value ≥ −1.</param>
    public static T LogP1<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        if (u == T.One) return x;                    // |x| below ½ ulp of 1: log(1 + x) = x(1 − x/2 + …) rounds to x
        if (T.IsPositiveInfinity(u)) return T.Log(u); // x·∞/∞ would be NaN
        return T.Log(u) * x / (u - T.One);
    }

    /// <summary>
    /// softplus(z) = log(1 + eᶻ) = max(z, 0) + log1p(e^{−|z|}) (<see cref="LogP1{T}"/>): finite for every finite z, and
    /// e^z to a few ulps of relative accuracy for z ≪ 0 (where log(1 + eᶻ) in floating point would round to 0).
    /// </summary>
    /// <param name="z">Any value.</param>
    public static T Softplus<T>(T z) where T : IFloatingPointIeee754<T> => T.Max(z, T.Zero) + LogP1(T.Exp(-T.Abs(z)));
}
