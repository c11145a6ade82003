using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MathDnn.Kernels;

/// <summary>How a micro-tile's accumulator acc = Σ_{p in the k-block} op(A)[i,p]·op(B)[p,j] is written to C.</summary>
internal enum GemmStore
{
    /// <summary>First k-block with β = 0: C ← α·acc (C's old value, even NaN, is never read).</summary>
    Overwrite,
    /// <summary>First k-block with β ≠ 0: C ← β·C + α·acc.</summary>
    Scale,
    /// <summary>Later k-blocks: C ← C + α·acc.</summary>
    Accumulate,
    /// <summary>C ← acc, into a scratch tile (edges), the update then applied entry by entry by <see cref="GemmMicroKernel.Update{T}"/>.</summary>
    Raw,
}

/// <summary>
/// The register-blocked micro-kernel: an MR×NR tile of C (MR = 6 rows, NR = 2 vectors) kept in 12 vector
/// registers while p runs over one k-block, reading op(A) from an MR-row packed panel (MR values per p) and
/// op(B) from an NR-column packed panel (NR values per p). Each accumulator entry is the chain
/// acc ← fma(a[i,p], b[p,j], acc) for p in order, so an entry's value depends only on its row of A, its column
/// of B and the k-blocking — not on where its tile sits, which thread computes it, or the vector width.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of a micro-tile.</summary>
    public const int MR = 6;

    /// <summary>Columns of a micro-tile for the vector type S: two vectors.</summary>
    public static int NR<T, TV, S>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
        => 2 * S.Lanes;

    /// <summary>
    /// C[0..MR, 0..NR) ← store(Σ_p pa[p·MR + i]·pb[p·NR + j]) for p &lt; kc, with the <paramref name="store"/> rule; then,
    /// in the last k-block, the epilogue (<see cref="GemmEpilogue{T}"/>): C[i,j] ← C[i,j] + bias[j] when
    /// <paramref name="bias"/> (the tile's first column) is not null, C[i,j] ← C[i,j]·[mask[i·ldm + j] &gt; 0] when
    /// <paramref name="mask"/> (the tile's corner in Z) is not null, and relu[i·ldr + j] = max(C[i,j], 0) when
    /// <paramref name="relu"/> (the tile's corner in R) is not null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TV, S>(int kc, T* pa, T* pb, T* c, nint ldc, T alpha, T beta, GemmStore store, T* bias = null, T* relu = null, nint ldr = 0,
        T* mask = null, nint ldm = 0)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        if (Sse.IsSupported && store != GemmStore.Raw)
        {
            // C's tile is read and written once per k-block; start bringing its six rows in while the loop runs.
            T* r = c;
            for (int i = 0; i < MR; i++, r += ldc)
            {
                Sse.Prefetch0(r);
                Sse.Prefetch0(r + 2 * S.Lanes - 1);
            }
        }
        TV c00 = S.Zero, c01 = S.Zero, c10 = S.Zero, c11 = S.Zero, c20 = S.Zero, c21 = S.Zero;
        TV c30 = S.Zero, c31 = S.Zero, c40 = S.Zero, c41 = S.Zero, c50 = S.Zero, c51 = S.Zero;
        int lanes = S.Lanes;
        for (int p = 0; p < kc; p++)
        {
            TV b0 = S.Load(pb), b1 = S.Load(pb + lanes);
            TV a = S.Broadcast(pa);
            c00 = S.Fma(a, b0, c00); c01 = S.Fma(a, b1, c01);
            a = S.Broadcast(pa + 1);
            c10 = S.Fma(a, b0, c10); c11 = S.Fma(a, b1, c11);
            a = S.Broadcast(pa + 2);
            c20 = S.Fma(a, b0, c20); c21 = S.Fma(a, b1, c21);
            a = S.Broadcast(pa + 3);
            c30 = S.Fma(a, b0, c30); c31 = S.Fma(a, b1, c31);
            a = S.Broadcast(pa + 4);
            c40 = S.Fma(a, b0, c40); c41 = S.Fma(a, b1, c41);
            a = S.Broadcast(pa + 5);
            c50 = S.Fma(a, b0, c50); c51 = S.Fma(a, b1, c51);
            pa += MR;
            pb += 2 * lanes;
        }

        if (store == GemmStore.Raw)
        {
            S.Store(c, c00); S.Store(c + lanes, c01); c += ldc;
            S.Store(c, c10); S.Store(c + lanes, c11); c += ldc;
            S.Store(c, c20); S.Store(c + lanes, c21); c += ldc;
            S.Store(c, c30); S.Store(c + lanes, c31); c += ldc;
            S.Store(c, c40); S.Store(c + lanes, c41); c += ldc;
            S.Store(c, c50); S.Store(c + lanes, c51);
            return;
        }
        TV va = S.Broadcast(alpha), vb = S.Broadcast(beta);
        if (bias is null && relu is null && mask is null)
        {
            Row<T, TV, S>(c, c00, c01, va, vb, store); c += ldc;
            Row<T, TV, S>(c, c10, c11, va, vb, store); c += ldc;
            Row<T, TV, S>(c, c20, c21, va, vb, store); c += ldc;
            Row<T, TV, S>(c, c30, c31, va, vb, store); c += ldc;
            Row<T, TV, S>(c, c40, c41, va, vb, store); c += ldc;
            Row<T, TV, S>(c, c50, c51, va, vb, store);
            return;
        }
        // The last k-block of a product with an epilogue: b's two vectors loaded once for the six rows.
        bool hasBias = bias is not null;
        TV bias0 = hasBias ? S.Load(bias) : S.Zero, bias1 = hasBias ? S.Load(bias + lanes) : S.Zero;
        // relu and mask move on by their strides only when they are used (a null pointer stays null).
        nint dr = relu is null ? 0 : ldr, dm = mask is null ? 0 : ldm;
        RowEpilogue<T, TV, S>(c, c00, c01, va, vb, store, hasBias, bias0, bias1, relu, mask); c += ldc; relu += dr; mask += dm;
        RowEpilogue<T, TV, S>(c, c10, c11, va, vb, store, hasBias, bias0, bias1, relu, mask); c += ldc; relu += dr; mask += dm;
        RowEpilogue<T, TV, S>(c, c20, c21, va, vb, store, hasBias, bias0, bias1, relu, mask); c += ldc; relu += dr; mask += dm;
        RowEpilogue<T, TV, S>(c, c30, c31, va, vb, store, hasBias, bias0, bias1, relu, mask); c += ldc; relu += dr; mask += dm;
        RowEpilogue<T, TV, S>(c, c40, c41, va, vb, store, hasBias, bias0, bias1, relu, mask); c += ldc; relu += dr; mask += dm;
        RowEpilogue<T, TV, S>(c, c50, c51, va, vb, store, hasBias, bias0, bias1, relu, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<T, TV, S>(T* c, TV x0, TV x1, TV alpha, TV beta, GemmStore store)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        Merge<T, TV, S>(c, ref x0, ref x1, alpha, beta, store);
        S.Store(c, x0);
        S.Store(c + S.Lanes, x1);
    }

    /// <summary>
    /// One row of a tile with the epilogue: x ← merge(x) + b (when <paramref name="hasBias"/>), x ← x·[Z &gt; 0] (when
    /// <paramref name="mask"/> is not null), C ← x, R ← max(x, 0) (when <paramref name="relu"/> is not null; R may be C).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowEpilogue<T, TV, S>(T* c, TV x0, TV x1, TV alpha, TV beta, GemmStore store, bool hasBias, TV b0, TV b1, T* relu, T* mask)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        Merge<T, TV, S>(c, ref x0, ref x1, alpha, beta, store);
        if (hasBias)
        {
            x0 = S.Add(x0, b0);
            x1 = S.Add(x1, b1);
        }
        if (mask is not null)
        {
            x0 = S.Mask(x0, S.Load(mask));
            x1 = S.Mask(x1, S.Load(mask + S.Lanes));
        }
        S.Store(c, x0);
        S.Store(c + S.Lanes, x1);
        if (relu is not null)
        {
            S.Store(relu, S.Relu(x0));
            S.Store(relu + S.Lanes, S.Relu(x1));
        }
    }

    /// <summary>x ← α·x, then β·C + x (<see cref="GemmStore.Scale"/>) or C + x (<see cref="GemmStore.Accumulate"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Merge<T, TV, S>(T* c, ref TV x0, ref TV x1, TV alpha, TV beta, GemmStore store)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        T* c1 = c + S.Lanes;
        x0 = S.Multiply(alpha, x0);
        x1 = S.Multiply(alpha, x1);
        if (store == GemmStore.Scale)
        {
            x0 = S.Add(S.Multiply(beta, S.Load(c)), x0);
            x1 = S.Add(S.Multiply(beta, S.Load(c1)), x1);
        }
        else if (store == GemmStore.Accumulate)
        {
            x0 = S.Add(S.Load(c), x0);
            x1 = S.Add(S.Load(c1), x1);
        }
    }

    /// <summary>
    /// The same update as the vector store, one entry at a time, for the valid rows × columns of an edge tile whose
    /// accumulator was stored raw: identical roundings (α·acc, β·C, then the sum), so edge entries equal what a full
    /// tile would have produced; with the epilogue of the last k-block (<paramref name="bias"/> at the tile's first column,
    /// <paramref name="relu"/> at its corner in R, <paramref name="mask"/> at its corner in Z, each null when unused)
    /// C[i,j] ← C[i,j] + bias[j], C[i,j] ← C[i,j]·[Z[i,j] &gt; 0] and relu[i·ldr + j] = max(C[i,j], 0) as in the vector store.
    /// </summary>
    public static void Update<T>(T* acc, int accStride, int rows, int cols, T* c, nint ldc, T alpha, T beta, GemmStore store,
        T* bias = null, T* relu = null, nint ldr = 0, T* mask = null, nint ldm = 0)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            T* ci = c + i * ldc;
            T* ai = acc + i * accStride;
            T* zi = mask is null ? null : mask + i * ldm, ri = relu is null ? null : relu + i * ldr;
            for (int j = 0; j < cols; j++)
            {
                T x = alpha * ai[j];
                x = store switch
                {
                    GemmStore.Scale => beta * ci[j] + x,
                    GemmStore.Accumulate => ci[j] + x,
                    _ => x,
                };
                GemmEpilogue.Store(x, ci, j, bias, zi, ri);
            }
        }
    }
}
