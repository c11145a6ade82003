using System.Numerics;
using System.Numerics.Tensors;

namespace MathDnn.Activations;

/// <summary>
/// ReLU, 𝓡(z) = (max(0, z_1), …, max(0, z_m)) (003 Def 2.1), with J_𝓡(z) = diag(𝟙_{ℝ++}(z_i)) (003 Prop 2.1):
/// the derivative is taken as 0 at 0, as 003 Assumption 1 states (000 wrote 1; 003 wins). NaN inputs stay NaN.
/// </summary>
public sealed record Relu : ElementwiseActivation
{
    public override string Name => "relu";

    internal override void Map<T>(ReadOnlySpan<T> z, Span<T> y) => TensorPrimitives.Max(z, T.Zero, y);

    internal override void Derivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        for (int i = 0; i < z.Length; i++) d[i] = z[i] > T.Zero ? T.One : T.Zero; // 𝟙_{ℝ++}, 003 Assumption 1
    }
}
