using System.Numerics;
using System.Numerics.Tensors;

namespace MathDnn.Jacobians;

/// <summary>
/// diag(d) − aᵀb, a diagonal minus a rank-one matrix (a, b rows): the Jacobian of softmax, J_𝓢(z) = diag(s) − sᵀs with
/// s = 𝓢(z) (003 Prop 2.2). D·F = D·diag(d) − (D·aᵀ)·b and F·D = diag(d)·D − aᵀ·(b·D) cost a few passes over D, never
/// an m×m product. For softmax (d = a = b = s) D·F is written s ⊙ (D_r − ⟨D_r, s⟩) row by row, exactly as softmax's
/// backward pass, so the two agree bit for bit.
/// </summary>
internal sealed class DiagonalMinusRankOneFactor<T> : Factor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlyMemory<T> d, a, b; // k rows of m each (one row when shared)
    private readonly bool softmax;              // d = a = b

    public DiagonalMinusRankOneFactor(ReadOnlyMemory<T> d, ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, int size, int samples, bool softmax = false)
        : base(size, size, samples)
    {
        (this.d, this.a, this.b, this.softmax) = (d, a, b, softmax);
    }

    /// <summary>J_𝓢 = diag(s) − sᵀs for the k softmax outputs s in <paramref name="s"/> (003 Prop 2.2).</summary>
    public static DiagonalMinusRankOneFactor<T> Softmax(ReadOnlyMemory<T> s, int size, int samples) => new(s, s, s, size, samples, true);

    public override string Structure => softmax ? $"softmax diag(s) − sᵀs {Rows}" : $"diagonal − rank one {Rows}";
    public override double LeftCost(int n) => 3 * ElementCost * Rows * n;
    public override double RightCost(int m) => 3 * ElementCost * m * Rows;

    private ReadOnlySpan<T> Of(ReadOnlyMemory<T> v, int s) => v.Span.Slice(Samples == 0 ? 0 : s * Rows, Rows);

    public override void Right(ReadOnlySpan<T> x, int rows, int k, Span<T> r)
    {
        CheckSamples(k);
        int m = Rows;
        for (int s = 0; s < k; s++)
        {
            ReadOnlySpan<T> ds = Of(d, s), av = Of(a, s), bv = Of(b, s);
            for (int i = 0; i < rows; i++)
            {
                int o = (s * rows + i) * m;
                var u = x.Slice(o, m);
                var dest = r.Slice(o, m);
                T t = TensorPrimitives.Dot(u, av);
                if (softmax)
                {
                    TensorPrimitives.Subtract(u, t, dest);   // u − ⟨u, s⟩
                    TensorPrimitives.Multiply(dest, ds, dest); // s ⊙ (u − ⟨u, s⟩)
                }
                else
                {
                    TensorPrimitives.Multiply(u, ds, dest);       // u ⊙ d
                    TensorPrimitives.MultiplyAdd(bv, -t, dest, dest); // − ⟨u, a⟩·b
                }
            }
        }
    }

    public override void Left(ReadOnlySpan<T> x, int n, int k, Span<T> r)
    {
        CheckSamples(k);
        int m = Rows;
        Span<T> w = n <= 256 ? stackalloc T[n] : new T[n];
        for (int s = 0; s < k; s++)
        {
            ReadOnlySpan<T> ds = Of(d, s), av = Of(a, s), bv = Of(b, s);
            var block = x.Slice(s * m * n, m * n);
            var dest = r.Slice(s * m * n, m * n);
            w.Clear();
            for (int i = 0; i < m; i++) TensorPrimitives.MultiplyAdd(block.Slice(i * n, n), bv[i], w, w); // w = b·D
            for (int i = 0; i < m; i++)
            {
                var row = dest.Slice(i * n, n);
                if (softmax)
                {
                    TensorPrimitives.Subtract(block.Slice(i * n, n), w, row); // D_i − s·D
                    TensorPrimitives.Multiply(row, ds[i], row);               // s_i (D_i − s·D)
                }
                else
                {
                    TensorPrimitives.Multiply(block.Slice(i * n, n), ds[i], row);
                    TensorPrimitives.MultiplyAdd(w, -av[i], row, row);
                }
            }
        }
    }

    public override void Materialize(int k, Span<T> r)
    {
        CheckSamples(k);
        int m = Rows;
        for (int s = 0; s < k; s++)
        {
            ReadOnlySpan<T> ds = Of(d, s), av = Of(a, s), bv = Of(b, s);
            for (int i = 0; i < m; i++)
            {
                var row = r.Slice(s * m * m + i * m, m);
                TensorPrimitives.Multiply(bv, -av[i], row);  // −a_i·b_j
                row[i] += ds[i];                              // + d_i δ_ij  (softmax: s_i(δ_ij − s_j))
            }
        }
    }

    public override Factor<T> Transpose() => softmax ? this : new DiagonalMinusRankOneFactor<T>(d, b, a, Rows, Samples);

    public override Factor<T> Sample(int s) =>
        Samples == 0 ? this : new DiagonalMinusRankOneFactor<T>(d.Slice(s * Rows, Rows), a.Slice(s * Rows, Rows), b.Slice(s * Rows, Rows), Rows, 0, softmax);
}
