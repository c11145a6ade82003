using System.Numerics;

namespace MathDnn.Activations;

// Written only on the public extension API, as a user's activation would be (see Gelu.cs).

/// <summary>
/// SiLU, also called swish: f(z) = z·σ(z), σ the logistic sigmoid (evaluated without overflow, <see cref="Sigmoid.Logistic{T}"/>).
/// f′(z) = σ(z) + z·σ(z)(1 − σ(z)) = σ(z) + f(z)(1 − σ(z)).
/// </summary>
public sealed record Silu : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "silu";

    /// <summary>z·σ(z).</summary>
    public override T Value<T>(T z) => z * Sigmoid.Logistic(z);

    /// <summary>σ(z) + y(1 − σ(z)) with y = f(z).</summary>
    public override T Derivative<T>(T z, T y)
    {
        T s = Sigmoid.Logistic(z);
        return s + y * (T.One - s);
    }
}

/// <summary>
/// Softplus, f(z) = log(1 + eᶻ), computed as max(z, 0) + log1p(e^{−|z|}): no exponential overflows, and for z ≪ 0 the
/// result eᶻ keeps its relative accuracy (log1p by Kahan's formula, not log(1 + t)). f′(z) = σ(z), the logistic sigmoid.
/// </summary>
public sealed record Softplus : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "softplus";

    /// <summary>max(z, 0) + log1p(e^{−|z|}).</summary>
    public override T Value<T>(T z) => T.Max(z, T.Zero) + LogOnePlus(T.Exp(-T.Abs(z)));

    /// <summary>σ(z).</summary>
    public override T Derivative<T>(T z, T y) => Sigmoid.Logistic(z);

    /// <summary>log(1 + t) for t ≥ 0, accurate to a few ulps also for tiny t: with u = fl(1 + t), log(u)·t/(u − 1) (Kahan).</summary>
    public static T LogOnePlus<T>(T t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + t;
        return u == T.One ? t : T.Log(u) * t / (u - T.One);
    }
}
