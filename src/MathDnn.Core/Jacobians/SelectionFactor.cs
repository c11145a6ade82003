using System.Numerics;

namespace MathDnn.Jacobians;

/// <summary>
/// A selection matrix P ∈ M_{m, N} with one 1 per row, at column sel(u) of row u: the Jacobian of maxout's
/// y_u = max_i z_{i·m+u} with respect to its k·m pre-activations z at each sample (004), where sel(u) is the piece that
/// attains the maximum. Maxout's input Jacobian is P·W (W the k·m×n stacked pieces). P·D gathers rows of D, D·P scatters
/// columns; Pᵀ the other way round. No multiply-add is spent on it.
/// </summary>
internal sealed class SelectionFactor<T> : Factor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] select;   // k rows of m column indices in [0, N)
    private readonly int units;      // m
    private readonly int offset;     // first sample's row in select (for Sample(s))
    private readonly bool transposed;

    public SelectionFactor(int[] select, int units, int columns, int samples, bool transposed = false, int offset = 0)
        : base(transposed ? columns : units, transposed ? units : columns, samples)
    {
        (this.select, this.units, this.offset, this.transposed) = (select, units, offset, transposed);
    }

    public override string Structure => transposed ? $"selection ᵀ {Rows}×{Cols}" : $"selection {Rows}×{Cols}";
    public override double LeftCost(int n) => ElementCost * Math.Max(Rows, Cols) * n;
    public override double RightCost(int m) => ElementCost * m * Math.Max(Rows, Cols);

    private ReadOnlySpan<int> Sel(int s) => select.AsSpan((offset + (Samples == 0 ? 0 : s)) * units, units);

    public override void Left(ReadOnlySpan<T> d, int n, int k, Span<T> r)
    {
        CheckSamples(k);
        for (int s = 0; s < k; s++)
        {
            var sel = Sel(s);
            var src = d.Slice(s * Cols * n, Cols * n);
            var dst = r.Slice(s * Rows * n, Rows * n);
            if (!transposed)
                for (int u = 0; u < units; u++) src.Slice(sel[u] * n, n).CopyTo(dst.Slice(u * n, n));   // row u ← row sel(u)
            else
            {
                dst.Clear();
                for (int u = 0; u < units; u++) src.Slice(u * n, n).CopyTo(dst.Slice(sel[u] * n, n));  // row sel(u) ← row u
            }
        }
    }

    public override void Right(ReadOnlySpan<T> d, int m, int k, Span<T> r)
    {
        CheckSamples(k);
        for (int s = 0; s < k; s++)
        {
            var sel = Sel(s);
            for (int i = 0; i < m; i++)
            {
                var src = d.Slice((s * m + i) * Rows, Rows);
                var dst = r.Slice((s * m + i) * Cols, Cols);
                if (!transposed)
                {
                    dst.Clear();
                    for (int u = 0; u < units; u++) dst[sel[u]] = src[u];   // column sel(u) ← column u
                }
                else
                    for (int u = 0; u < units; u++) dst[u] = src[sel[u]];   // column u ← column sel(u)
            }
        }
    }

    public override void Materialize(int k, Span<T> r)
    {
        CheckSamples(k);
        r[..(k * Rows * Cols)].Clear();
        for (int s = 0; s < k; s++)
        {
            var sel = Sel(s);
            for (int u = 0; u < units; u++)
                r[s * Rows * Cols + (transposed ? sel[u] * Cols + u : u * Cols + sel[u])] = T.One;
        }
    }

    public override Factor<T> Transpose() =>
        new SelectionFactor<T>(select, units, transposed ? Rows : Cols, Samples, !transposed, offset);

    public override Factor<T> Sample(int s) =>
        Samples == 0 ? this : new SelectionFactor<T>(select, units, transposed ? Rows : Cols, 0, transposed, offset + s);
}
