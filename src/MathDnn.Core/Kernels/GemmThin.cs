using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MathDnn.Kernels;

/// <summary>
/// C ← α·A·B + β·C for thin products: A (m×k, m ≤ <see cref="MaxRows"/>) and B (k×n) untransposed. The output side of a
/// Jacobian chain is such a product (m_p rows of the accumulated Jacobian times a layer's W, 003 Thm 1.3), as is a
/// small batch times a layer: B, the large operand, is read in place once — no packed copy — while the m rows of
/// C stay in registers: two vectors of columns at a time on AVX-512 (24 accumulators of its 32 registers), one on AVX2
/// (12 accumulators, one load and one broadcast fit its 16). Measured on a 2-core Zen 5: 10×784×256 at 91 GFLOP/s on
/// one thread, 162 on two. Each entry of C is the same chain of roundings as in the
/// packed kernel (<see cref="Gemm"/>): FMAs in k order from zero within each k-block of <see cref="Gemm.KC"/>, then
/// C ← β·C + α·acc for the first block and C ← C + α·acc for the others; so the two kernels agree bit for bit.
/// Split by columns over the GEMM workers for large products; bit-identical for every thread count. The product's
/// <see cref="GemmEpilogue{T}"/> (bias, mask, ReLU) then runs over the finished columns, with the values of a fused store.
/// </summary>
internal static unsafe class GemmThin
{
    /// <summary>The most rows of C kept in registers: 12 accumulators.</summary>
    public const int MaxRows = 12;

    /// <summary>Whether the thin kernel computes this product: A and B untransposed, m ≤ 12, at least one full vector of columns.</summary>
    public static bool Applies<T>(bool transA, bool transB, int m, int n, GemmIsa isa) where T : unmanaged =>
        !transA && !transB && m <= MaxRows && isa != GemmIsa.Scalar && n >= Gemm.Lanes<T>(isa);

    public static void Run<T>(int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc, GemmIsa isa, int threads,
        GemmEpilogue<T> epilogue = default)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Run(m, n, k, ReadOnlySpan<int>.Empty, alpha, a, lda, b, ldb, beta, c, ldc, isa, threads, epilogue);

    /// <summary>
    /// C ← α·A[:, K]·B[K, :] + β·C over the k indices K = <paramref name="rows"/> (ascending) only, or over 0 … k − 1 when
    /// <paramref name="rows"/> is empty: a product that skips the terms known to vanish (the columns of A that a ReLU's
    /// diagonal Jacobian zeroed, 003 Prop 2.1). Dropping a term a·b with a = 0 changes nothing but the sign of a zero
    /// (and a non-finite b, which no valid network has); the k-blocks then hold KC of the kept terms.
    /// </summary>
    public static void Run<T>(int m, int n, int k, ReadOnlySpan<int> rows, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc, GemmIsa isa, int threads,
        GemmEpilogue<T> epilogue = default)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // A transposed and padded to 12 rows, k-major: the broadcasts of one k step are 12 consecutive entries; beside it
        // the offset of each kept row of B.
        bool all = rows.IsEmpty;
        int count = all ? k : rows.Length;
        T* ap = GemmBuffers.A<T>((nint)count * MaxRows + (nint)count * sizeof(nint) / sizeof(T) + 1);
        nint* offsets = (nint*)(ap + (nint)count * MaxRows);
        for (int q = 0; q < count; q++)
        {
            int p = all ? q : rows[q];
            T* dst = ap + (nint)q * MaxRows;
            for (int i = 0; i < MaxRows; i++) dst[i] = i < m ? a[(nint)i * lda + p] : T.Zero;
            offsets[q] = (nint)p * ldb;
        }
        var args = new GemmArgs<T>(false, false, m, n, count, alpha, ap, MaxRows, b, ldb, beta, c, ldc, isa, epilogue);
        int lanes = Gemm.Lanes<T>(isa), tiles = (n + lanes - 1) / lanes;
        bool parallel = threads > 1 && (long)m * n * count >= Gemm.ParallelThreshold && tiles >= 2 * 8
            && ColumnRangeJob<T>.TryRun(args, offsets, n, lanes, Math.Min(tiles / 8, Gemm.ChunksPerThread * threads), threads, &Columns<T>);
        if (!parallel) Columns(args, offsets, 0, n);
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
        bool Wide = typeof(TV) == typeof(Vector512<T>);
        int lanes = S.Lanes, k = g.K;
        T* edge = stackalloc T[MaxRows * lanes];
        for (int pc = 0; pc < k; pc += Gemm.KC)
        {
            int kb = Math.Min(Gemm.KC, k - pc);
            var store = pc > 0 ? GemmStore.Accumulate : g.Beta == T.Zero ? GemmStore.Overwrite : GemmStore.Scale;
            T* pa = g.A + (nint)pc * MaxRows;
            nint* off = offsets + pc;
            int j = j0;
            if (Wide)
                for (; j + 2 * lanes <= j1; j += 2 * lanes) // two vectors of columns per tile: 24 accumulators (AVX-512 has 32 registers)
                    TileWide<T, TV, S>(kb, pa, g.B + j, off, g.C + j, g.Ldc, g.M, g.Alpha, g.Beta, store);
            for (; j < j1; j += lanes)
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
        // The epilogue over the finished columns, still in cache, as a pass apart from the tiles' stores: with the epilogue's
        // operands in the tile methods the JIT wrote every accumulator through to the stack inside the k loop (24 stores
        // per k step; the input Jacobian of 784-256-128-10 ran 2× slower). The values are those of a fused store.
        var e = g.Epilogue;
        if (e.Bias is not null || e.Relu is not null || e.Mask is not null)
        {
            int m = g.M, n = j1 - j0;
            nint Extent(nint ld) => (m - 1) * ld + n;
            GemmEpilogue.Apply(m, n, new Span<T>(g.C + j0, (int)Extent(g.Ldc)), g.Ldc,
                e.Bias is null ? default : new ReadOnlySpan<T>(e.Bias + j0, n),
                e.Relu is null ? default : new Span<T>(e.Relu + j0, (int)Extent(e.Ldr)), e.Ldr,
                e.Mask is null ? default : new ReadOnlySpan<T>(e.Mask + j0, (int)Extent(e.Ldm)), e.Ldm);
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

    /// <summary>
    /// The tile of <see cref="Tile{T, TV, S}"/> two vectors wide: 12 rows × 2 vectors in 24 accumulators, so each k step
    /// loads two vectors of B and 12 broadcasts for 24 FMAs instead of one and 12 for 12. For 32-register AVX-512 only.
    /// The chain of each entry is unchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileWide<T, TV, S>(int kb, T* pa, T* pb, nint* off, T* c, nint ldc, int m, T alpha, T beta, GemmStore store)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        int l = S.Lanes;
        TV a0 = S.Zero, a1 = S.Zero, a2 = S.Zero, a3 = S.Zero, a4 = S.Zero, a5 = S.Zero;
        TV a6 = S.Zero, a7 = S.Zero, a8 = S.Zero, a9 = S.Zero, a10 = S.Zero, a11 = S.Zero;
        TV b0 = S.Zero, b1 = S.Zero, b2 = S.Zero, b3 = S.Zero, b4 = S.Zero, b5 = S.Zero;
        TV b6 = S.Zero, b7 = S.Zero, b8 = S.Zero, b9 = S.Zero, b10 = S.Zero, b11 = S.Zero;
        for (int p = 0; p < kb; p++)
        {
            T* row = pb + off[p];
            TV u = S.Load(row), v = S.Load(row + l), x;
            x = S.Broadcast(pa); a0 = S.Fma(x, u, a0); b0 = S.Fma(x, v, b0);
            x = S.Broadcast(pa + 1); a1 = S.Fma(x, u, a1); b1 = S.Fma(x, v, b1);
            x = S.Broadcast(pa + 2); a2 = S.Fma(x, u, a2); b2 = S.Fma(x, v, b2);
            x = S.Broadcast(pa + 3); a3 = S.Fma(x, u, a3); b3 = S.Fma(x, v, b3);
            x = S.Broadcast(pa + 4); a4 = S.Fma(x, u, a4); b4 = S.Fma(x, v, b4);
            x = S.Broadcast(pa + 5); a5 = S.Fma(x, u, a5); b5 = S.Fma(x, v, b5);
            x = S.Broadcast(pa + 6); a6 = S.Fma(x, u, a6); b6 = S.Fma(x, v, b6);
            x = S.Broadcast(pa + 7); a7 = S.Fma(x, u, a7); b7 = S.Fma(x, v, b7);
            x = S.Broadcast(pa + 8); a8 = S.Fma(x, u, a8); b8 = S.Fma(x, v, b8);
            x = S.Broadcast(pa + 9); a9 = S.Fma(x, u, a9); b9 = S.Fma(x, v, b9);
            x = S.Broadcast(pa + 10); a10 = S.Fma(x, u, a10); b10 = S.Fma(x, v, b10);
            x = S.Broadcast(pa + 11); a11 = S.Fma(x, u, a11); b11 = S.Fma(x, v, b11);
            pa += MaxRows;
        }
        TV va = S.Broadcast(alpha), vb = S.Broadcast(beta);
        Row2<T, TV, S>(c, a0, b0, va, vb, store); if (m == 1) return; c += ldc;
        Row2<T, TV, S>(c, a1, b1, va, vb, store); if (m == 2) return; c += ldc;
        Row2<T, TV, S>(c, a2, b2, va, vb, store); if (m == 3) return; c += ldc;
        Row2<T, TV, S>(c, a3, b3, va, vb, store); if (m == 4) return; c += ldc;
        Row2<T, TV, S>(c, a4, b4, va, vb, store); if (m == 5) return; c += ldc;
        Row2<T, TV, S>(c, a5, b5, va, vb, store); if (m == 6) return; c += ldc;
        Row2<T, TV, S>(c, a6, b6, va, vb, store); if (m == 7) return; c += ldc;
        Row2<T, TV, S>(c, a7, b7, va, vb, store); if (m == 8) return; c += ldc;
        Row2<T, TV, S>(c, a8, b8, va, vb, store); if (m == 9) return; c += ldc;
        Row2<T, TV, S>(c, a9, b9, va, vb, store); if (m == 10) return; c += ldc;
        Row2<T, TV, S>(c, a10, b10, va, vb, store); if (m == 11) return; c += ldc;
        Row2<T, TV, S>(c, a11, b11, va, vb, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row2<T, TV, S>(T* c, TV x, TV y, TV alpha, TV beta, GemmStore store)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        Row<T, TV, S>(c, x, alpha, beta, store);
        Row<T, TV, S>(c + S.Lanes, y, alpha, beta, store);
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
}
