using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MathDnn.Kernels;

/// <summary>
/// Packing of the operands of C ← α·op(A)·op(B) + β·C into the layouts the micro-kernel streams: a block of op(A)
/// as MR-row panels (panel q holds rows q·MR.., stored p-major: MR values per p) and a block of op(B) as NR-column
/// panels (NR values per p). The transposes are resolved here, so one kernel serves all four combinations; rows or
/// columns past the edge are packed as zeros, so edge tiles run the same kernel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// dst ← the block op(A)[i0..i0+mb, p0..p0+kb) as ⌈mb/MR⌉ panels of MR×kb, where op(A)[i,p] = a[i·lda + p]
    /// (or a[p·lda + i] when <paramref name="transA"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    public static void PackA<T>(bool transA, T* a, nint lda, int i0, int mb, int p0, int kb, T* dst)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        const int MR = GemmMicroKernel.MR;
        for (int ir = 0; ir < mb; ir += MR)
        {
            int rows = Math.Min(MR, mb - ir);
            if (transA)
            {
                // op(A)[i, p] = a[p·lda + i]: for each p, MR contiguous values.
                T* src = a + (nint)p0 * lda + (i0 + ir);
                if (rows == MR)
                {
                    for (int p = 0; p < kb; p++, src += lda, dst += MR)
                    {
                        dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2];
                        dst[3] = src[3]; dst[4] = src[4]; dst[5] = src[5];
                    }
                }
                else
                {
                    for (int p = 0; p < kb; p++, src += lda, dst += MR)
                    {
                        int r = 0;
                        for (; r < rows; r++) dst[r] = src[r];
                        for (; r < MR; r++) dst[r] = T.Zero;
                    }
                }
            }
            else
            {
                // op(A)[i, p] = a[i·lda + p]: MR row streams read in step.
                T* r0 = a + (nint)(i0 + ir) * lda + p0;
                if (rows == MR)
                {
                    T* r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
                    for (int p = 0; p < kb; p++, dst += MR)
                    {
                        dst[0] = r0[p]; dst[1] = r1[p]; dst[2] = r2[p];
                        dst[3] = r3[p]; dst[4] = r4[p]; dst[5] = r5[p];
                    }
                }
                else
                {
                    for (int p = 0; p < kb; p++, dst += MR)
                    {
                        int r = 0;
                        for (; r < rows; r++) dst[r] = r0[r * lda + p];
                        for (; r < MR; r++) dst[r] = T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// dst ← the block op(B)[p0..p0+kb, j0..j0+nb) as ⌈nb/nr⌉ panels of kb×nr, where op(B)[p,j] = b[p·ldb + j]
    /// (or b[j·ldb + p] when <paramref name="transB"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    public static void PackB<T>(bool transB, T* b, nint ldb, int p0, int kb, int j0, int nb, int nr, T* dst)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int jr = 0; jr < nb; jr += nr)
        {
            int cols = Math.Min(nr, nb - jr);
            if (!transB)
            {
                // op(B)[p, j] = b[p·ldb + j]: a contiguous run of nr per p.
                T* src = b + (nint)p0 * ldb + (j0 + jr);
                if (cols == nr)
                {
                    nint bytes = nr * sizeof(T);
                    for (int p = 0; p < kb; p++, src += ldb, dst += nr)
                        Unsafe.CopyBlockUnaligned(dst, src, (uint)bytes);
                }
                else
                {
                    for (int p = 0; p < kb; p++, src += ldb, dst += nr)
                    {
                        int j = 0;
                        for (; j < cols; j++) dst[j] = src[j];
                        for (; j < nr; j++) dst[j] = T.Zero;
                    }
                }
            }
            else
            {
                // op(B)[p, j] = b[j·ldb + p]: column j of the panel is a contiguous run of row j0+jr+j of b;
                // write it down the panel with stride nr.
                T* src = b + (nint)(j0 + jr) * ldb + p0;
                if (cols == nr && TransposeInto(src, ldb, kb, nr, dst))
                {
                    dst += (nint)kb * nr;
                    continue;
                }
                for (int j = 0; j < cols; j++, src += ldb)
                {
                    T* d = dst + j;
                    for (int p = 0; p < kb; p++, d += nr) *d = src[p];
                }
                for (int j = cols; j < nr; j++)
                {
                    T* d = dst + j;
                    for (int p = 0; p < kb; p++, d += nr) *d = T.Zero;
                }
                dst += (nint)kb * nr;
            }
        }
    }

    /// <summary>
    /// dst[p·nr + j] ← src[j·ld + p] for j &lt; nr, p &lt; kb, by 4×4 (double) or 8×8 (float) register transposes with
    /// AVX: a quarter (an eighth) of the stores of the scalar loop, which the A·Bᵀ product (the dense layer's forward
    /// pass) spends most of its packing time on. Returns false (nothing written) where AVX or T does not fit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    private static bool TransposeInto<T>(T* src, nint ld, int kb, int nr, T* dst)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (!Avx.IsSupported) return false;
        if (typeof(T) == typeof(double))
        {
            if (nr % 4 != 0) return false;
            var s = (double*)src;
            var d = (double*)dst;
            int p = 0;
            for (; p + 4 <= kb; p += 4)
                for (int j = 0; j < nr; j += 4)
                {
                    double* r = s + j * ld + p;
                    var r0 = Avx.LoadVector256(r);
                    var r1 = Avx.LoadVector256(r + ld);
                    var r2 = Avx.LoadVector256(r + 2 * ld);
                    var r3 = Avx.LoadVector256(r + 3 * ld);
                    var t0 = Avx.UnpackLow(r0, r1);   // r0[p] r1[p] r0[p+2] r1[p+2]
                    var t1 = Avx.UnpackHigh(r0, r1);  // r0[p+1] r1[p+1] r0[p+3] r1[p+3]
                    var t2 = Avx.UnpackLow(r2, r3);
                    var t3 = Avx.UnpackHigh(r2, r3);
                    double* o = d + (nint)p * nr + j;
                    Avx.Store(o, Avx.Permute2x128(t0, t2, 0x20));
                    Avx.Store(o + nr, Avx.Permute2x128(t1, t3, 0x20));
                    Avx.Store(o + 2 * nr, Avx.Permute2x128(t0, t2, 0x31));
                    Avx.Store(o + 3 * nr, Avx.Permute2x128(t1, t3, 0x31));
                }
            for (; p < kb; p++)
                for (int j = 0; j < nr; j++) d[(nint)p * nr + j] = s[j * ld + p];
            return true;
        }
        if (typeof(T) == typeof(float))
        {
            if (nr % 8 != 0) return false;
            var s = (float*)src;
            var d = (float*)dst;
            int p = 0;
            for (; p + 8 <= kb; p += 8)
                for (int j = 0; j < nr; j += 8)
                {
                    float* r = s + j * ld + p;
                    var t0 = Avx.UnpackLow(Avx.LoadVector256(r), Avx.LoadVector256(r + ld));
                    var t1 = Avx.UnpackHigh(Avx.LoadVector256(r), Avx.LoadVector256(r + ld));
                    var t2 = Avx.UnpackLow(Avx.LoadVector256(r + 2 * ld), Avx.LoadVector256(r + 3 * ld));
                    var t3 = Avx.UnpackHigh(Avx.LoadVector256(r + 2 * ld), Avx.LoadVector256(r + 3 * ld));
                    var t4 = Avx.UnpackLow(Avx.LoadVector256(r + 4 * ld), Avx.LoadVector256(r + 5 * ld));
                    var t5 = Avx.UnpackHigh(Avx.LoadVector256(r + 4 * ld), Avx.LoadVector256(r + 5 * ld));
                    var t6 = Avx.UnpackLow(Avx.LoadVector256(r + 6 * ld), Avx.LoadVector256(r + 7 * ld));
                    var t7 = Avx.UnpackHigh(Avx.LoadVector256(r + 6 * ld), Avx.LoadVector256(r + 7 * ld));
                    // s0 = rows 0–3 at columns p and p+4, s1 at p+1 and p+5, s2 at p+2 and p+6, s3 at p+3 and p+7; s4–s7 rows 4–7.
                    var s0 = Avx.Shuffle(t0, t2, 0x44);
                    var s1 = Avx.Shuffle(t0, t2, 0xEE);
                    var s2 = Avx.Shuffle(t1, t3, 0x44);
                    var s3 = Avx.Shuffle(t1, t3, 0xEE);
                    var s4 = Avx.Shuffle(t4, t6, 0x44);
                    var s5 = Avx.Shuffle(t4, t6, 0xEE);
                    var s6 = Avx.Shuffle(t5, t7, 0x44);
                    var s7 = Avx.Shuffle(t5, t7, 0xEE);
                    float* o = d + (nint)p * nr + j;
                    Avx.Store(o, Avx.Permute2x128(s0, s4, 0x20));
                    Avx.Store(o + nr, Avx.Permute2x128(s1, s5, 0x20));
                    Avx.Store(o + 2 * nr, Avx.Permute2x128(s2, s6, 0x20));
                    Avx.Store(o + 3 * nr, Avx.Permute2x128(s3, s7, 0x20));
                    Avx.Store(o + 4 * nr, Avx.Permute2x128(s0, s4, 0x31));
                    Avx.Store(o + 5 * nr, Avx.Permute2x128(s1, s5, 0x31));
                    Avx.Store(o + 6 * nr, Avx.Permute2x128(s2, s6, 0x31));
                    Avx.Store(o + 7 * nr, Avx.Permute2x128(s3, s7, 0x31));
                }
            for (; p < kb; p++)
                for (int j = 0; j < nr; j++) d[(nint)p * nr + j] = s[j * ld + p];
            return true;
        }
        return false;
    }
}
