using System.Numerics;
using System.Numerics.Tensors;

namespace MathDnn.Jacobians;

/// <summary>
/// A diagonal factor diag(d): the Jacobian of an element-wise activation, diag(f′(z_1), …, f′(z_m)) (003 Prop 2.1 for
/// ReLU, 003 Prop 5.1). diag(d)·D scales the rows of D and D·diag(d) its columns: a Hadamard product, never a matrix
/// product. Symmetric, so it is its own transpose.
/// </summary>
internal sealed class DiagonalFactor<T> : Factor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlyMemory<T> d; // k rows of m diagonal entries (one row when shared)

    public DiagonalFactor(ReadOnlyMemory<T> diagonals, int size, int samples) : base(size, size, samples) => d = diagonals;

    public override string Structure => $"diagonal {Rows}";
    public override double LeftCost(int n) => ElementCost * Rows * n;
    public override double RightCost(int m) => ElementCost * m * Rows;
    public override double MaterializeCost => ElementCost * Rows * (Rows + 1) / 2.0;

    private ReadOnlySpan<T> Diag(int s) => d.Span.Slice(Samples == 0 ? 0 : s * Rows, Rows);

    public override void Left(ReadOnlySpan<T> x, int n, int k, Span<T> r)
    {
        CheckSamples(k);
        int m = Rows;
        for (int s = 0; s < k; s++)
        {
            var diag = Diag(s);
            if (n == 1) { TensorPrimitives.Multiply(x.Slice(s * m, m), diag, r.Slice(s * m, m)); continue; }
            for (int i = 0; i < m; i++)
                TensorPrimitives.Multiply(x.Slice((s * m + i) * n, n), diag[i], r.Slice((s * m + i) * n, n)); // row i · d_i
        }
    }

    public override void Right(ReadOnlySpan<T> x, int rows, int k, Span<T> r)
    {
        CheckSamples(k);
        int m = Rows;
        for (int s = 0; s < k; s++)
        {
            var diag = Diag(s);
            for (int i = 0; i < rows; i++)
            {
                int o = (s * rows + i) * m;
                TensorPrimitives.Multiply(x.Slice(o, m), diag, r.Slice(o, m)); // 003 Prop 5.1: u ⊙ f′(z)
            }
        }
    }

    public override void Materialize(int k, Span<T> r)
    {
        CheckSamples(k);
        int m = Rows;
        r[..(k * m * m)].Clear();
        for (int s = 0; s < k; s++)
        {
            var diag = Diag(s);
            for (int i = 0; i < m; i++) r[s * m * m + i * m + i] = diag[i];
        }
    }

    public override Factor<T> Transpose() => this;

    public override Factor<T> Sample(int s) => Samples == 0 ? this : new DiagonalFactor<T>(d.Slice(s * Rows, Rows), Rows, 0);
}
