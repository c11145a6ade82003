using System.Numerics;
using System.Numerics.Tensors;
using MathDnn.Layers;

namespace MathDnn.Activations;

/// <summary>
/// ReLU, 𝓡(z) = (max(0, z_1), …, max(0, z_m)) (003 Def 2.1), with J_𝓡(z) = diag(𝟙_{ℝ++}(z_i)) (003 Prop 2.1):
/// the derivative is taken as 0 at 0, as 003 Assumption 1 states (000 wrote 1; 003 wins). NaN inputs stay NaN.
/// </summary>
public sealed record Relu : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "relu";

    /// <summary>max(0, z) (003 Def 2.1); NaN stays NaN.</summary>
    public override T Value<T>(T z) => T.IsNaN(z) ? z : T.Max(z, T.Zero);

    /// <summary>𝟙_{ℝ++}(z): 1 for z &gt; 0, 0 for z ≤ 0 (003 Assumption 1).</summary>
    public override T Derivative<T>(T z, T y) => z > T.Zero ? T.One : T.Zero; // 𝟙_{ℝ++}, 003 Assumption 1

    /// <inheritdoc/>
    public override void Values<T>(ReadOnlySpan<T> z, Span<T> y) => TensorPrimitives.Max(z, T.Zero, y);

    /// <inheritdoc/>
    public override void Derivatives<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        for (int i = 0; i < z.Length; i++) d[i] = z[i] > T.Zero ? T.One : T.Zero; // 𝟙_{ℝ++}, 003 Assumption 1
    }

    /// <summary>003 Prop 5.1: dz_j = u_j·𝟙_{ℝ++}(z_j), i.e. u_j where z_j &gt; 0 and 0 elsewhere — a vectorised select.</summary>
    public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch)
    {
        if (dx.IsEmpty) return;
        int count = batch.Rows * batch.InputWidth;
        Select(x[..count], dy[..count], dx[..count]);
    }

    private static void Select<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> dy, Span<T> dz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && System.Numerics.Vector<T>.IsSupported)
        {
            int w = System.Numerics.Vector<T>.Count;
            for (; i <= z.Length - w; i += w)
            {
                var zv = new System.Numerics.Vector<T>(z[i..]);
                var mask = System.Numerics.Vector.GreaterThan(zv, System.Numerics.Vector<T>.Zero);
                System.Numerics.Vector.ConditionalSelect(mask, new System.Numerics.Vector<T>(dy[i..]), System.Numerics.Vector<T>.Zero).CopyTo(dz[i..]);
            }
        }
        for (; i < z.Length; i++) dz[i] = z[i] > T.Zero ? dy[i] : T.Zero;
    }
}
