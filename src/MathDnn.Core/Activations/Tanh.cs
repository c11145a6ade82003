using System.Numerics;
using System.Numerics.Tensors;

namespace MathDnn.Activations;

/// <summary>The hyperbolic tangent, f(z) = tanh(z) (002 eqs. 6–7, 004), f'(z) = 1 − tanh²(z).</summary>
public sealed record Tanh : ElementwiseActivation
{
    public override string Name => "tanh";

    internal override void Map<T>(ReadOnlySpan<T> z, Span<T> y)
    {
        for (int i = 0; i < z.Length; i++) y[i] = T.Tanh(z[i]);
    }

    internal override void Derivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        TensorPrimitives.Multiply(y, y, d);      // tanh²
        TensorPrimitives.Subtract(T.One, d, d);  // 1 − tanh²
    }
}

/// <summary>The linear unit (identity), f(z) = z (002 Section 5.1), f'(z) = 1.</summary>
public sealed record Identity : ElementwiseActivation
{
    public override string Name => "identity";

    internal override void Map<T>(ReadOnlySpan<T> z, Span<T> y) => z.CopyTo(y);

    internal override void Derivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d) => d.Fill(T.One);
}
