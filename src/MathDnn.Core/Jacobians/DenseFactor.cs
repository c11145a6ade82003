using System.Numerics;
using MathDnn.Kernels;

namespace MathDnn.Jacobians;

/// <summary>
/// A dense factor: the Jacobian W of a dense layer with respect to its input (003 Prop 4.1), or any matrix. F is the
/// stored row-major matrix S, or Sᵀ when <c>transposed</c>; F·D and D·F are GEMM calls. A shared factor (a layer's
/// weights) applied on the right of k stacked blocks is a single product of (k·m)×Rows by Rows×Cols.
/// </summary>
internal sealed class DenseFactor<T> : Factor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlyMemory<T> data;
    private readonly int ld;          // row stride of the stored matrix S
    private readonly bool transposed; // F = Sᵀ
    private readonly int stride;      // offset between the samples' matrices (0 when shared)

    /// <summary>F = S (or Sᵀ) for S row-major in <paramref name="data"/> with row stride <paramref name="ld"/>.</summary>
    public DenseFactor(ReadOnlyMemory<T> data, int rows, int cols, int ld, bool transposed = false, int samples = 0, int stride = 0)
        : base(rows, cols, samples)
    {
        this.data = data;
        this.ld = ld;
        this.transposed = transposed;
        this.stride = samples == 0 ? 0 : stride;
    }

    /// <summary>A shared matrix held row-major, rows×cols.</summary>
    public static DenseFactor<T> Shared(ReadOnlyMemory<T> rowMajor, int rows, int cols) => new(rowMajor, rows, cols, cols);

    /// <summary>k per-sample matrices, each rows×cols row-major, laid end to end.</summary>
    public static DenseFactor<T> PerSample(ReadOnlyMemory<T> blocks, int rows, int cols, int k) =>
        new(blocks, rows, cols, cols, false, k, rows * cols);

    public override string Structure => $"dense {Rows}×{Cols}";
    public override double LeftCost(int n) => (double)Rows * Cols * n;
    public override double RightCost(int m) => (double)m * Rows * Cols;

    private ReadOnlySpan<T> S(int s) => data.Span[(s * stride)..];

    public override void Left(ReadOnlySpan<T> d, int n, int k, Span<T> r)
    {
        CheckSamples(k);
        if (Samples == 0 && n == 1)
        {
            // k columns D_s stacked as the rows of a k×Cols matrix: R (k×Rows) = D·Fᵀ, one product.
            Blas.Gemm(false, !transposed, k, Rows, Cols, T.One, d, Cols, S(0), ld, T.Zero, r, Rows);
            return;
        }
        for (int s = 0; s < k; s++)
            Blas.Gemm(transposed, false, Rows, n, Cols, T.One, S(s), ld, d.Slice(s * Cols * n, Cols * n), n, T.Zero,
                r.Slice(s * Rows * n, Rows * n), n);
    }

    public override void Right(ReadOnlySpan<T> d, int m, int k, Span<T> r)
    {
        CheckSamples(k);
        if (Samples == 0)
        {
            // The k blocks D_s stacked: (k·m)×Rows times F, one product; when D is thin and some of its columns vanish (a
            // ReLU's diagonal factor zeroed them, 003 Prop 2.1), only the rows of W of the other units are read.
            if (!transposed) Blas.GemmSkippingZeroColumns(k * m, Cols, Rows, d, Rows, S(0), ld, r, Cols);
            else Blas.Gemm(false, true, k * m, Cols, Rows, T.One, d, Rows, S(0), ld, T.Zero, r, Cols);
            return;
        }
        for (int s = 0; s < k; s++)
            Blas.Gemm(false, transposed, m, Cols, Rows, T.One, d.Slice(s * m * Rows, m * Rows), Rows, S(s), ld, T.Zero,
                r.Slice(s * m * Cols, m * Cols), Cols);
    }

    public override void Materialize(int k, Span<T> r)
    {
        CheckSamples(k);
        for (int s = 0; s < k; s++)
        {
            var src = S(s);
            var block = r.Slice(s * Rows * Cols, Rows * Cols);
            if (!transposed)
                for (int i = 0; i < Rows; i++) src.Slice(i * ld, Cols).CopyTo(block.Slice(i * Cols, Cols));
            else
                for (int i = 0; i < Rows; i++)
                    for (int j = 0; j < Cols; j++) block[i * Cols + j] = src[j * ld + i];
        }
    }

    public override Factor<T> Transpose() => new DenseFactor<T>(data, Cols, Rows, ld, !transposed, Samples, stride);

    public override Factor<T> Sample(int s) =>
        Samples == 0 ? this : new DenseFactor<T>(data[(s * stride)..], Rows, Cols, ld, transposed);
}
