using System.Numerics;
using System.Numerics.Tensors;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Extensions.Tests;

/// <summary>Softsign, f(z) = z/(1 + |z|) with f′(z) = 1/(1 + |z|)²: a user's element-wise activation, from f and f′ alone.</summary>
public sealed record Softsign : ElementwiseActivation
{
    public override string Name => "softsign";
    public override T Value<T>(T z) => z / (T.One + T.Abs(z));
    public override T Derivative<T>(T z, T y)
    {
        T d = T.One + T.Abs(z);
        return T.One / (d * d);
    }
}

/// <summary>
/// A learned per-feature scale, y = x ⊙ s with s ∈ ℝⁿ (starting at 1): a user's layer with parameters, written on spans
/// and generic over the element type. J = diag(s) (so it says its Jacobian is diagonal), dX = δ ⊙ s, ∂/∂s = Σ_rows δ ⊙ x.
/// </summary>
public sealed record Scale(int Features) : Layer
{
    public override string Name => "scale";
    public override int? InputSize => Features;
    public override IReadOnlyList<ParameterShape> ParameterShapes => [ParameterShape.Vector("s", Features)];

    public override void Initialize(Span<double> parameters, int inputSize, Initialization scheme, ref Rng rng) => parameters.Fill(1.0);

    public override void Forward<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> x, Span<T> y, Batch batch)
    {
        for (int r = 0; r < batch.Rows; r++)
            TensorPrimitives.Multiply(x.Slice(r * Features, Features), s, y.Slice(r * Features, Features));
    }

    public override void Backward<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> ds, Batch batch)
    {
        ds.Clear();
        for (int r = 0; r < batch.Rows; r++)
        {
            var d = dy.Slice(r * Features, Features);
            TensorPrimitives.FusedMultiplyAdd(d, x.Slice(r * Features, Features), ds, ds);
            if (!dx.IsEmpty) TensorPrimitives.Multiply(d, s, dx.Slice(r * Features, Features));
        }
    }

    public override bool DiagonalJacobian<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> diagonal, Batch batch)
    {
        for (int r = 0; r < batch.Rows; r++) s.CopyTo(diagonal.Slice(r * Features, Features));
        return true;
    }
}

/// <summary>The simple form: a parameter-free "square" layer y = x ⊙ x written one sample at a time in double.</summary>
public sealed record Square : PerSampleLayer
{
    public override string Name => "square";
    public override MathNet.Numerics.LinearAlgebra.Vector<double> Apply(MathNet.Numerics.LinearAlgebra.Vector<double> parameters,
        MathNet.Numerics.LinearAlgebra.Vector<double> x, Batch batch) => x.PointwiseMultiply(x);
    public override (MathNet.Numerics.LinearAlgebra.Vector<double> Input, MathNet.Numerics.LinearAlgebra.Vector<double> Parameters) Pullback(
        MathNet.Numerics.LinearAlgebra.Vector<double> parameters, MathNet.Numerics.LinearAlgebra.Vector<double> x,
        MathNet.Numerics.LinearAlgebra.Vector<double> y, MathNet.Numerics.LinearAlgebra.Vector<double> upstream, Batch batch) =>
        (2 * upstream.PointwiseMultiply(x), parameters);
}
