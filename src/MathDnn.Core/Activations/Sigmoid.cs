using System.Numerics;

namespace MathDnn.Activations;

/// <summary>
/// The logistic sigmoid σ(z) = 1 / (1 + e^{−z}) (002 eq. 4, 004), evaluated as e^{z}/(1 + e^{z}) for z &lt; 0 so that no
/// exponential overflows. σ'(z) = σ(z)(1 − σ(z)).
/// </summary>
public sealed record Sigmoid : ElementwiseActivation
{
    public override string Name => "sigmoid";

    internal override void Map<T>(ReadOnlySpan<T> z, Span<T> y)
    {
        for (int i = 0; i < z.Length; i++) y[i] = Logistic(z[i]);
    }

    internal static T Logistic<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z >= T.Zero) return T.One / (T.One + T.Exp(-z));
        T e = T.Exp(z);
        return e / (T.One + e);
    }

    internal override void Derivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        System.Numerics.Tensors.TensorPrimitives.Subtract(T.One, y, d);  // 1 − σ
        System.Numerics.Tensors.TensorPrimitives.Multiply(y, d, d);      // σ(1 − σ)
    }
}
