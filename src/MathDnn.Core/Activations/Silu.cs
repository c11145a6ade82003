using System.Numerics;
using MathDnn.Kernels;

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

    /// <summary>max(z, 0) + log1p(e^{−|z|}) (<see cref="ScalarMath.Softplus{T}"/>).</summary>
    public override T Value<T>(T z) => ScalarMath.Softplus(z);

    /// <summary>σ(z).</summary>
    public override T Derivative<T>(T z, T y) => Sigmoid.Logistic(z);

    /// <summary>log(1 + t), accurate to a few ulps also for tiny t: <see cref="ScalarMath.LogP1{T}"/> (with u = fl(1 + t), log(u)·t/(u − 1)).</summary>
    public static T LogOnePlus<T>(T t) where T : unmanaged, IFloatingPointIeee754<T> => ScalarMath.LogP1(t);
}
