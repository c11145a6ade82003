using System.Numerics;
using MathDnn.Layers;
using System.Numerics.Tensors;

namespace MathDnn.Activations;

/// <summary>The hyperbolic tangent, f(z) = tanh(z) (002 eqs. 6–7, 004), f'(z) = 1 − tanh²(z).</summary>
public sealed record Tanh : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "tanh";

    /// <summary>tanh(z).</summary>
    public override T Value<T>(T z) => T.Tanh(z);

    /// <summary>1 − y² with y = tanh(z).</summary>
    public override T Derivative<T>(T z, T y) => T.One - y * y;

    /// <inheritdoc/>
    public override void Values<T>(ReadOnlySpan<T> z, Span<T> y)
    {
        for (int i = 0; i < z.Length; i++) y[i] = T.Tanh(z[i]);
    }

    /// <inheritdoc/>
    public override void Derivatives<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        TensorPrimitives.Multiply(y, y, d);      // tanh²
        TensorPrimitives.Subtract(T.One, d, d);  // 1 − tanh²
    }
}

/// <summary>The linear unit (identity), f(z) = z (002 Section 5.1), f'(z) = 1.</summary>
public sealed record Identity : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "identity";

    /// <summary>z.</summary>
    public override T Value<T>(T z) => z;

    /// <summary>1.</summary>
    public override T Derivative<T>(T z, T y) => T.One;

    /// <inheritdoc/>
    public override void Values<T>(ReadOnlySpan<T> z, Span<T> y) => z.CopyTo(y);

    /// <inheritdoc/>
    public override void Derivatives<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d) => d.Fill(T.One);
}
