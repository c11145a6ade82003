using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MathDnn.Kernels;

/// <summary>
/// C ← α·A·B + β·C for thin products: A (m×k, m ≤ <see cref="MaxRows"/>) and B (k×n) untransposed. The output side of a
/// Jacobian chain is such a product (m_p rows of the accumulated Jacobian times a layer's W, 003 Thm 1.3), as is a
/// small batch times a layer: B, the large operand, is read in place once — no packed copy — while the m rows of
/// C stay in registers, one vector of columns at a time (12 accumulators plus one load and one broadcast fit 16
/// registers, so the same code serves AVX2 and AVX-512). Each entry of C is the same chain of roundings as in the
/// packed kernel (<see cref="Gemm"/>): FMAs in k order from zero within each k-block of <see cref="Gemm.KC"/>, then
/// C ← β·C + α·acc for the first block and C ← C + α·acc for the others; so the two kernels agree bit for bit.
/// Split by columns over the GEMM workers for large products; bit-identical for every thread count.
/// </summary>
internal static unsafe class GemmThin
{
    /// <summary>The most rows of C kept in registers: 12 accumulators.</summary>
    public const int MaxRows = 12;

    /// <summary>Whether the thin kernel computes this product: A and B untransposed, m ≤ 12, at least one full vector of columns.</summary>
    public static bool Applies<T>(bool transA, bool transB, int m, int n, GemmIsa isa) where T : unmanaged =>
        !transA && !transB && m <= MaxRows && isa != GemmIsa.Scalar && n >= Gemm.Lanes<T>(isa);

    public static void Run<T>(int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc, GemmIsa isa, int threads)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Run(m, n, k, null, alpha, a, lda, b, ldb, beta, c, ldc, isa, threads);

    /// <summary>
    /// C ← α·A[:, K]·B[K, :] + β·C over the k indices K = <paramref name="rows"/> (ascending) only, or over 0 … k − 1 when
    /// <paramref name="rows"/> is null: a product that skips the terms known to vanish (the columns of A that a ReLU's
    /// diagonal Jacobian zeroed, 003 Prop 2.1). Dropping a term a·b with a = 0 changes nothing but the sign of a zero
    /// (and a non-finite b, which no valid network has); the k-blocks then hold KC of the kept terms.
    /// </summary>
    public static void Run<T>(int m, int n, int k, int[]? rows, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc, GemmIsa isa, int threads)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // A transposed and padded to 12 rows, k-major: the broadcasts of one k step are 12 consecutive entries; beside it
        // the offset of each kept row of B.
        int count = rows?.Length ?? k;
        T* ap = GemmBuffers.A<T>((nint)count * MaxRows + (nint)count * sizeof(nint) / sizeof(T) + 1);
        nint* offsets = (nint*)(ap + (nint)count * MaxRows);
        for (int q = 0; q < count; q++)
        {
            int p = rows is null ? q : rows[q];
            T* dst = ap + (nint)q * MaxRows;
            for (int i = 0; i < MaxRows; i++) dst[i] = i < m ? a[(nint)i * lda + p] : T.Zero;
            offsets[q] = (nint)p * ldb;
        }
        var args = new GemmArgs<T>(false, false, m, n, count, alpha, ap, MaxRows, b, ldb, beta, c, ldc, isa);
        int lanes = Gemm.Lanes<T>(isa);
        int tiles = (n + lanes - 1) / lanes;
        if (threads > 1 && (long)m * n * count >= Gemm.ParallelThreshold && tiles >= 2 * 8 && GemmThreads.TryAcquire())
        {
            try
            {
                int chunks = Math.Min(tiles / 8, Gemm.ChunksPerThread * threads);
                int tilesPerChunk = (tiles + chunks - 1) / chunks;
                chunks = (tiles + tilesPerChunk - 1) / tilesPerChunk;
                var job = ThinJob<T>.Instance;
                job.Set(args, tilesPerChunk * lanes, offsets);
                GemmThreads.Run(job, chunks, Math.Min(threads, chunks), thin: true);
                return;
            }
            finally { GemmThreads.Release(); }
        }
        Columns(args, offsets, 0, n);
    }

    /// <summary>Columns [j0, j1) of C (j0 a multiple of the lane count).</summary>
    internal static void Columns<T>(in GemmArgs<T> g, nint* offsets, int j0, int j1) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        switch (g.Isa)
        {
            case GemmIsa.Vector512: Columns<T, Vector512<T>, Simd512<T>>(g, offsets, j0, j1); break;
            case GemmIsa.Vector256: Columns<T, Vector256<T>, Simd256<T>>(g, offsets, j0, j1); break;
            default: Columns<T, Vector128<T>, Simd128<T>>(g, offsets, j0, j1); break;
        }
    }

    private static void Columns<T, TV, S>(in GemmArgs<T> g, nint* offsets, int j0, int j1)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        int lanes = S.Lanes, k = g.K;
        T* edge = stackalloc T[MaxRows * lanes];
        for (int pc = 0; pc < k; pc += Gemm.KC)
        {
            int kb = Math.Min(Gemm.KC, k - pc);
            var store = pc > 0 ? GemmStore.Accumulate : g.Beta == T.Zero ? GemmStore.Overwrite : GemmStore.Scale;
            T* pa = g.A + (nint)pc * MaxRows;
            nint* off = offsets + pc;
            for (int j = j0; j < j1; j += lanes)
            {
                int cols = Math.Min(lanes, j1 - j);
                T* pb = g.B + j;
                if (cols == lanes) Tile<T, TV, S>(kb, pa, pb, off, g.C + j, g.Ldc, g.M, g.Alpha, g.Beta, store);
                else
                {
                    // The last columns: the same chain per entry, one column at a time.
                    for (int i = 0; i < g.M; i++)
                        for (int jj = 0; jj < cols; jj++)
                        {
                            T acc = T.Zero;
                            for (int p = 0; p < kb; p++) acc = T.FusedMultiplyAdd(pa[(nint)p * MaxRows + i], pb[off[p] + jj], acc);
                            edge[i * lanes + jj] = acc;
                        }
                    GemmMicroKernel.Update(edge, lanes, g.M, cols, g.C + j, g.Ldc, g.Alpha, g.Beta, store);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T, TV, S>(int kb, T* pa, T* pb, nint* off, T* c, nint ldc, int m, T alpha, T beta, GemmStore store)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        TV c0 = S.Zero, c1 = S.Zero, c2 = S.Zero, c3 = S.Zero, c4 = S.Zero, c5 = S.Zero;
        TV c6 = S.Zero, c7 = S.Zero, c8 = S.Zero, c9 = S.Zero, c10 = S.Zero, c11 = S.Zero;
        for (int p = 0; p < kb; p++)
        {
            TV bv = S.Load(pb + off[p]);
            c0 = S.Fma(S.Broadcast(pa), bv, c0);
            c1 = S.Fma(S.Broadcast(pa + 1), bv, c1);
            c2 = S.Fma(S.Broadcast(pa + 2), bv, c2);
            c3 = S.Fma(S.Broadcast(pa + 3), bv, c3);
            c4 = S.Fma(S.Broadcast(pa + 4), bv, c4);
            c5 = S.Fma(S.Broadcast(pa + 5), bv, c5);
            c6 = S.Fma(S.Broadcast(pa + 6), bv, c6);
            c7 = S.Fma(S.Broadcast(pa + 7), bv, c7);
            c8 = S.Fma(S.Broadcast(pa + 8), bv, c8);
            c9 = S.Fma(S.Broadcast(pa + 9), bv, c9);
            c10 = S.Fma(S.Broadcast(pa + 10), bv, c10);
            c11 = S.Fma(S.Broadcast(pa + 11), bv, c11);
            pa += MaxRows;
        }
        TV va = S.Broadcast(alpha), vb = S.Broadcast(beta);
        Row<T, TV, S>(c, c0, va, vb, store); if (m == 1) return; c += ldc;
        Row<T, TV, S>(c, c1, va, vb, store); if (m == 2) return; c += ldc;
        Row<T, TV, S>(c, c2, va, vb, store); if (m == 3) return; c += ldc;
        Row<T, TV, S>(c, c3, va, vb, store); if (m == 4) return; c += ldc;
        Row<T, TV, S>(c, c4, va, vb, store); if (m == 5) return; c += ldc;
        Row<T, TV, S>(c, c5, va, vb, store); if (m == 6) return; c += ldc;
        Row<T, TV, S>(c, c6, va, vb, store); if (m == 7) return; c += ldc;
        Row<T, TV, S>(c, c7, va, vb, store); if (m == 8) return; c += ldc;
        Row<T, TV, S>(c, c8, va, vb, store); if (m == 9) return; c += ldc;
        Row<T, TV, S>(c, c9, va, vb, store); if (m == 10) return; c += ldc;
        Row<T, TV, S>(c, c10, va, vb, store); if (m == 11) return; c += ldc;
        Row<T, TV, S>(c, c11, va, vb, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<T, TV, S>(T* c, TV x, TV alpha, TV beta, GemmStore store)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        x = S.Multiply(alpha, x);
        if (store == GemmStore.Scale) x = S.Add(S.Multiply(beta, S.Load(c)), x);
        else if (store == GemmStore.Accumulate) x = S.Add(S.Load(c), x);
        S.Store(c, x);
    }

    /// <summary>The chunks of one thin product: chunk i is a block of columns.</summary>
    private sealed class ThinJob<T> : IGemmWork where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static readonly ThinJob<T> Instance = new();
        private GemmArgs<T> args;
        private int width;
        private nint* offsets;

        public void Set(in GemmArgs<T> g, int columnsPerChunk, nint* rowOffsets)
        {
            args = g;
            width = columnsPerChunk;
            offsets = rowOffsets;
        }

        public void ExecuteChunk(int chunk)
        {
            int j0 = chunk * width;
            Columns(args, offsets, j0, Math.Min(args.N, j0 + width));
        }
    }
}
