using System.Numerics.Tensors;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Extensions.Tests;

// The primitives of the README's section "Your own layer": the code between the markers is the README's block marked
// own-layer-definition (ReadmeOwnLayer.README_shows_exactly_the_code_that_runs compares them).

// README own-layer-definition begin
// Softsign, f(z) = z/(1 + |z|), f′(z) = 1/(1 + |z|)²: an element-wise activation needs only f and f′; its Jacobian
// diag(f′(z)) and its backward pass u ⊙ f′(z) follow (003 Prop 5.1). Generic: one definition for float and double.
public sealed record Softsign : ElementwiseActivation
{
    public override string Name => "softsign";
    public override T Value<T>(T z) => z / (T.One + T.Abs(z));
    public override T Derivative<T>(T z, T y) => T.One / ((T.One + T.Abs(z)) * (T.One + T.Abs(z)));
}

// A learned per-feature scale y = x ⊙ s, s ∈ ℝⁿ starting at 1: the value and the backward pass u ↦ u·J on row-major
// batches (one sample per row), here J = diag(s), so dX = δ ⊙ s and ∂/∂s = Σ_rows δ ⊙ x. Saying that J is diagonal is
// optional (without it the library derives J from Backward, row by row); it keeps the structured Jacobians cheap.
public sealed record Scale(int Features) : Layer
{
    public override string Name => "scale";
    public override int? InputSize => Features;
    public override IReadOnlyList<ParameterShape> ParameterShapes => [ParameterShape.Vector("s", Features)];

    public override void Initialize(Span<double> s, int inputSize, Initialization scheme, ref Rng rng) => s.Fill(1.0);

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
            TensorPrimitives.FusedMultiplyAdd(d, x.Slice(r * Features, Features), ds, ds);   // ∂/∂s += δ ⊙ x
            if (!dx.IsEmpty) TensorPrimitives.Multiply(d, s, dx.Slice(r * Features, Features)); // dX = δ ⊙ s
        }
    }

    public override bool DiagonalJacobian<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> diagonal, Batch batch)
    {
        for (int r = 0; r < batch.Rows; r++) s.CopyTo(diagonal.Slice(r * Features, Features));
        return true;
    }
}
// README own-layer-definition end
