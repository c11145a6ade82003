using System.Numerics;
using MathDnn.Layers;

namespace MathDnn.Activations;

/// <summary>
/// Leaky ReLU, f(z) = z for z &gt; 0 and a·z otherwise, i.e. max(a·z, z) for 0 ≤ a ≤ 1 (004, with a = 0.1 by default).
/// f'(z) = 1 for z &gt; 0 and a for z ≤ 0 (at the kink 0 the left derivative, as ReLU's 003 Assumption 1).
/// </summary>
public sealed record LeakyRelu : ElementwiseActivation
{
    /// <summary>Leaky ReLU with slope a = <paramref name="slope"/> on ]−∞, 0] (default 0.1, 004).</summary>
    /// <exception cref="ArgumentException">The slope is not finite.</exception>
    public LeakyRelu(double slope = 0.1)
    {
        if (!double.IsFinite(slope)) throw new ArgumentException($"Leaky ReLU: the slope must be finite, got {slope}.", nameof(slope));
        Slope = slope;
    }

    /// <summary>The slope a on ]−∞, 0].</summary>
    public double Slope { get; }

    /// <inheritdoc/>
    public override string Name => "leaky-relu";

    /// <summary>z for z &gt; 0, a·z otherwise.</summary>
    public override T Value<T>(T z) => z > T.Zero ? z : T.CreateChecked(Slope) * z;

    /// <summary>1 for z &gt; 0, a for z ≤ 0.</summary>
    public override T Derivative<T>(T z, T y) => z > T.Zero ? T.One : T.CreateChecked(Slope);

    /// <summary>{ "slope": a }.</summary>
    public override IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["slope"] = Slope };

    /// <inheritdoc/>
    public override void Values<T>(ReadOnlySpan<T> z, Span<T> y)
    {
        T a = T.CreateChecked(Slope);
        for (int i = 0; i < z.Length; i++) y[i] = z[i] > T.Zero ? z[i] : a * z[i];
    }

    /// <inheritdoc/>
    public override void Derivatives<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        T a = T.CreateChecked(Slope);
        for (int i = 0; i < z.Length; i++) d[i] = z[i] > T.Zero ? T.One : a;
    }
}
