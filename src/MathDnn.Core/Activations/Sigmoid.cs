using System.Numerics;
using MathDnn.Layers;

namespace MathDnn.Activations;

/// <summary>
/// The logistic sigmoid σ(z) = 1 / (1 + e^{−z}) (002 eq. 4, 004), evaluated as e^{z}/(1 + e^{z}) for z &lt; 0 so that no
/// exponential overflows. σ'(z) = σ(z)(1 − σ(z)).
/// </summary>
public sealed record Sigmoid : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "sigmoid";

    /// <summary>σ(z), by <see cref="Logistic{T}"/>.</summary>
    public override T Value<T>(T z) => Logistic(z);

    /// <summary>σ′(z) = y(1 − y) with y = σ(z).</summary>
    public override T Derivative<T>(T z, T y) => y * (T.One - y);

    /// <inheritdoc/>
    public override void Values<T>(ReadOnlySpan<T> z, Span<T> y)
    {
        for (int i = 0; i < z.Length; i++) y[i] = Logistic(z[i]);
    }

    /// <summary>σ(z) = 1/(1 + e^{−z}) for z ≥ 0 and e^{z}/(1 + e^{z}) otherwise: no exponential overflows.</summary>
    public static T Logistic<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z >= T.Zero) return T.One / (T.One + T.Exp(-z));
        T e = T.Exp(z);
        return e / (T.One + e);
    }

    /// <inheritdoc/>
    public override void Derivatives<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        System.Numerics.Tensors.TensorPrimitives.Subtract(T.One, y, d);  // 1 − σ
        System.Numerics.Tensors.TensorPrimitives.Multiply(y, d, d);      // σ(1 − σ)
    }
}
