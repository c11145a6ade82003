using System.Runtime.CompilerServices;

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
}
