using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MathDnn.Kernels;

/// <summary>
/// C ← α·A·Bᵀ + β·C for a few rows (m ≤ <see cref="MaxRows"/>), A and B row-major: each entry a dot product of a row of
/// A with a row of B. This is a dense layer on one sample or a handful, y = x·Wᵀ + b (003 Def 4.1): W is read in place
/// once, four of its rows at a time, each with two vector accumulators so that eight independent FMA chains hide the
/// FMA latency (a single dot product is latency-bound). The lanes are summed in a fixed order, so results are
/// deterministic and identical for every thread count (rows of W are split between threads); they differ in the last
/// bits from the packed kernel's, which sums in k order. Each entry's store applies the product's
/// <see cref="GemmEpilogue{T}"/> (c ← (β·c + α·dot) + b_j, masked by z &gt; 0, then max(c, 0) into R).
/// </summary>
internal static unsafe class GemmDots
{
    public const int MaxRows = 3;

    public static bool Applies<T>(bool transA, bool transB, int m, int k, GemmIsa isa) where T : unmanaged =>
        !transA && transB && m <= MaxRows && isa is GemmIsa.Vector512 or GemmIsa.Vector256 && k >= 2 * Gemm.Lanes<T>(isa);

    public static void Run<T>(int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc, GemmIsa isa, int threads,
        GemmEpilogue<T> epilogue = default)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var args = new GemmArgs<T>(false, true, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, isa, epilogue);
        // One range per thread, in fours of B's rows: each core keeps reading the same rows of W from its own L2.
        bool parallel = threads > 1 && (long)n * k >= 1L << 16 && n >= 32
            && ColumnRangeJob<T>.TryRun(args, null, n, 4, Math.Min(n / 16, threads), threads, &Rows<T>);
        if (!parallel) Rows(args, null, 0, n);
    }

    /// <summary>Columns [j0, j1) of C, i.e. rows j0 … j1 − 1 of B.</summary>
    internal static void Rows<T>(in GemmArgs<T> g, nint* unused, int j0, int j1) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (g.Isa == GemmIsa.Vector512) Rows<T, Vector512<T>, Simd512<T>>(g, j0, j1);
        else Rows<T, Vector256<T>, Simd256<T>>(g, j0, j1);
    }

    private static void Rows<T, TV, S>(in GemmArgs<T> g, int j0, int j1)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        int k = g.K;
        T* bias = g.Epilogue.Bias;
        for (int i = 0; i < g.M; i++)
        {
            T* ai = g.A + (nint)i * g.Lda;
            T* ci = g.C + (nint)i * g.Ldc;
            T* ri = g.Epilogue.Relu is null ? null : g.Epilogue.Relu + (nint)i * g.Epilogue.Ldr;
            T* zi = g.Epilogue.Mask is null ? null : g.Epilogue.Mask + (nint)i * g.Epilogue.Ldm;
            int j = j0;
            for (; j + 4 <= j1; j += 4)
            {
                T* b0 = g.B + (nint)j * g.Ldb;
                Dot4<T, TV, S>(ai, b0, g.Ldb, k, out T d0, out T d1, out T d2, out T d3);
                Store(ci, j, d0, g.Alpha, g.Beta, bias, ri, zi);
                Store(ci, j + 1, d1, g.Alpha, g.Beta, bias, ri, zi);
                Store(ci, j + 2, d2, g.Alpha, g.Beta, bias, ri, zi);
                Store(ci, j + 3, d3, g.Alpha, g.Beta, bias, ri, zi);
            }
            for (; j < j1; j++) Store(ci, j, Dot1<T, TV, S>(ai, g.B + (nint)j * g.Ldb, k), g.Alpha, g.Beta, bias, ri, zi);
        }
    }

    /// <summary>c[j] ← (β·c[j] + α·dot) + bias[j] (bias when not null), masked by z[j] &gt; 0 (z when not null), and r[j] = max(c[j], 0) when r is not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, int j, T dot, T alpha, T beta, T* bias, T* r, T* z) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => GemmEpilogue.Store(beta == T.Zero ? alpha * dot : beta * c[j] + alpha * dot, c, j, bias, z, r);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4<T, TV, S>(T* a, T* b0, nint ldb, int k, out T d0, out T d1, out T d2, out T d3)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        int l = S.Lanes;
        T* b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        TV x0 = S.Zero, x1 = S.Zero, y0 = S.Zero, y1 = S.Zero, z0 = S.Zero, z1 = S.Zero, w0 = S.Zero, w1 = S.Zero;
        int p = 0;
        for (; p + 2 * l <= k; p += 2 * l)
        {
            TV a0 = S.Load(a + p), a1 = S.Load(a + p + l);
            x0 = S.Fma(a0, S.Load(b0 + p), x0); x1 = S.Fma(a1, S.Load(b0 + p + l), x1);
            y0 = S.Fma(a0, S.Load(b1 + p), y0); y1 = S.Fma(a1, S.Load(b1 + p + l), y1);
            z0 = S.Fma(a0, S.Load(b2 + p), z0); z1 = S.Fma(a1, S.Load(b2 + p + l), z1);
            w0 = S.Fma(a0, S.Load(b3 + p), w0); w1 = S.Fma(a1, S.Load(b3 + p + l), w1);
        }
        d0 = Sum<T, TV, S>(S.Add(x0, x1));
        d1 = Sum<T, TV, S>(S.Add(y0, y1));
        d2 = Sum<T, TV, S>(S.Add(z0, z1));
        d3 = Sum<T, TV, S>(S.Add(w0, w1));
        for (; p < k; p++)
        {
            d0 = T.FusedMultiplyAdd(a[p], b0[p], d0);
            d1 = T.FusedMultiplyAdd(a[p], b1[p], d1);
            d2 = T.FusedMultiplyAdd(a[p], b2[p], d2);
            d3 = T.FusedMultiplyAdd(a[p], b3[p], d3);
        }
    }

    private static T Dot1<T, TV, S>(T* a, T* b, int k)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        int l = S.Lanes;
        TV x0 = S.Zero, x1 = S.Zero;
        int p = 0;
        for (; p + 2 * l <= k; p += 2 * l)
        {
            x0 = S.Fma(S.Load(a + p), S.Load(b + p), x0);
            x1 = S.Fma(S.Load(a + p + l), S.Load(b + p + l), x1);
        }
        T d = Sum<T, TV, S>(S.Add(x0, x1));
        for (; p < k; p++) d = T.FusedMultiplyAdd(a[p], b[p], d);
        return d;
    }

    /// <summary>The lanes of v summed from the first to the last (a fixed order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Sum<T, TV, S>(TV v) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        T* lanes = stackalloc T[S.Lanes];
        S.Store(lanes, v);
        T s = lanes[0];
        for (int i = 1; i < S.Lanes; i++) s += lanes[i];
        return s;
    }
}
