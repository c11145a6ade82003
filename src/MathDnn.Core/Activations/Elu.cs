using System.Numerics;
using MathDnn.Kernels;
using MathDnn.Layers;

namespace MathDnn.Activations;

/// <summary>
/// ELU (004): f(z) = z for z ≥ 0 and α(eᶻ − 1) for z &lt; 0, α = 1 by default.
/// f'(z) = 1 for z ≥ 0 and α·eᶻ = f(z) + α for z &lt; 0 (continuous at 0 when α = 1).
/// </summary>
public sealed record Elu : ElementwiseActivation
{
    /// <summary>ELU with parameter α = <paramref name="alpha"/> (default 1).</summary>
    /// <exception cref="ArgumentException">α is not finite or is negative.</exception>
    public Elu(double alpha = 1.0)
    {
        if (!double.IsFinite(alpha) || alpha < 0) throw new ArgumentException($"ELU: α must be finite and ≥ 0, got {alpha}.", nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>α ≥ 0, the saturation level: f(z) → −α as z → −∞.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public override string Name => "elu";

    /// <summary>z for z ≥ 0, α(eᶻ − 1) for z &lt; 0, eᶻ − 1 by <see cref="ScalarMath.ExpM1{T}"/> (accurate near 0, where .NET's <c>ExpM1</c> is exp(z) − 1).</summary>
    public override T Value<T>(T z) => z >= T.Zero ? z : T.CreateChecked(Alpha) * ScalarMath.ExpM1(z);

    /// <summary>1 for z ≥ 0, α·eᶻ for z &lt; 0.</summary>
    public override T Derivative<T>(T z, T y) => z >= T.Zero ? T.One : T.CreateChecked(Alpha) * T.Exp(z);

    /// <summary>{ "alpha": α }.</summary>
    public override IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["alpha"] = Alpha };

    /// <inheritdoc/>
    public override void Values<T>(ReadOnlySpan<T> z, Span<T> y)
    {
        T a = T.CreateChecked(Alpha);
        for (int i = 0; i < z.Length; i++) y[i] = z[i] >= T.Zero ? z[i] : a * ScalarMath.ExpM1(z[i]);
    }

    /// <inheritdoc/>
    public override void Derivatives<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        T a = T.CreateChecked(Alpha);
        for (int i = 0; i < z.Length; i++) d[i] = z[i] >= T.Zero ? T.One : a * T.Exp(z[i]);
    }
}
