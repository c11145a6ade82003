using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
        => PackA(transA, a, lda, i0, mb, p0, kb, dst, PackIsa);

    /// <summary>
    /// The widest register width of the packs here (the shuffles of untransposed A panels, the transposes of B
    /// panels): <see cref="GemmIsa.Vector512"/> with AVX-512F, <see cref="GemmIsa.Vector256"/> with AVX, else
    /// <see cref="GemmIsa.Scalar"/>.
    /// </summary>
    internal static readonly GemmIsa PackIsa =
        Avx512F.IsSupported ? GemmIsa.Vector512 : Avx.IsSupported ? GemmIsa.Vector256 : GemmIsa.Scalar;

    /// <summary>
    /// <see cref="PackA{T}(bool, T*, nint, int, int, int, int, T*)"/> with the untransposed panels (full and edge) packed
    /// by register shuffles of width <paramref name="isa"/> (which must be supported here; Vector128 packs as Scalar):
    /// every width writes the same bytes, so the tests can run each one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    internal static void PackA<T>(bool transA, T* a, nint lda, int i0, int mb, int p0, int kb, T* dst, GemmIsa isa)
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
                // Vector blocks first (they zero the rows past the edge of an edge panel), then the rest entry by entry.
                T* r0 = a + (nint)(i0 + ir) * lda + p0;
                int p = InterleaveRows6(r0, lda, rows, kb, dst, isa);
                dst += (nint)p * MR;
                if (rows == MR)
                {
                    T* r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
                    for (; p < kb; p++, dst += MR)
                    {
                        dst[0] = r0[p]; dst[1] = r1[p]; dst[2] = r2[p];
                        dst[3] = r3[p]; dst[4] = r4[p]; dst[5] = r5[p];
                    }
                }
                else
                {
                    for (; p < kb; p++, dst += MR)
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
    /// d[p·6 + i] ← r0[i·ld + p] for i &lt; 6 and p below the returned count (a multiple of the vector length, ≤ kb),
    /// with zeros for the rows i ≥ <paramref name="live"/> (past the edge of A: read from row 0 and masked):
    /// the untransposed panel of <see cref="PackA{T}(bool, T*, nint, int, int, int, int, T*, GemmIsa)"/> by
    /// vector loads of the six rows, shuffles and full-width stores, instead of 6·kb scalar stores. Returns 0 (nothing
    /// written) where <paramref name="isa"/> or T does not fit; the caller packs the rest entry by entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    private static int InterleaveRows6<T>(T* r0, nint ld, int live, int kb, T* d, GemmIsa isa)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return isa == GemmIsa.Vector512 ? Interleave6Avx512((float*)r0, ld, live, kb, (float*)d)
                : isa == GemmIsa.Vector256 ? Interleave6Avx((float*)r0, ld, live, kb, (float*)d) : 0;
        if (typeof(T) == typeof(double))
            return isa == GemmIsa.Vector512 ? Interleave6Avx512((double*)r0, ld, live, kb, (double*)d)
                : isa == GemmIsa.Vector256 ? Interleave6Avx((double*)r0, ld, live, kb, (double*)d) : 0;
        return 0;
    }

    /// <summary>All bits set for a row inside the panel (i &lt; live), zero for a row past the edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Keep512<T>(int i, int live) => i < live ? Vector512<T>.AllBitsSet : Vector512<T>.Zero;

    /// <summary>All bits set for a row inside the panel (i &lt; live), zero for a row past the edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Keep256<T>(int i, int live) => i < live ? Vector256<T>.AllBitsSet : Vector256<T>.Zero;

    /// <summary>Row i of the panel at r0 (stride ld), or row 0 for a row past the edge (i ≥ live).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T* Row<T>(T* r0, nint ld, int i, int live) where T : unmanaged => i < live ? r0 + i * ld : r0;

    /// <summary>
    /// Floats, AVX-512, 16 columns p per step. Rows are paired into 64-bit units u_q(p) = (r_2q[p], r_2q+1[p])
    /// (one two-source permute per 8 units), then the three unit streams are interleaved as u_0(p) u_1(p) u_2(p) —
    /// the p-major order — by two two-source permutes per output vector: 18 permutes, 6 loads, 6 stores per 96 floats, and 5 ANDs with
    /// the masks that zero the rows past the edge of an edge panel (all bits set in a full one; every kernel has them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Interleave6Avx512(float* r0, nint ld, int live, int kb, float* d)
    {
        // Stage 1: lo = r_a[0..8) and r_b[0..8) alternating, hi = the same for [8..16).
        var pairLo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var pairHi = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        // Stage 2 on 64-bit units: output unit w = 3p + q of 24 (one half: p < 8) is u_q(p). Step 1 places u_0 and u_1
        // (index p, 8 + p), step 2 keeps them (index s) and inserts u_2 (8 + p); 0 marks a slot step 2 overwrites.
        var x0 = Vector512.Create(0L, 8, 0, 1, 9, 0, 2, 10);
        var y0 = Vector512.Create(0L, 1, 8, 3, 4, 9, 6, 7);
        var x1 = Vector512.Create(0L, 3, 11, 0, 4, 12, 0, 5);
        var y1 = Vector512.Create(10L, 1, 2, 11, 4, 5, 12, 7);
        var x2 = Vector512.Create(13L, 0, 6, 14, 0, 7, 15, 0);
        var y2 = Vector512.Create(0L, 13, 2, 3, 14, 5, 6, 15);
        float* r1 = Row(r0, ld, 1, live), r2 = Row(r0, ld, 2, live), r3 = Row(r0, ld, 3, live), r4 = Row(r0, ld, 4, live), r5 = Row(r0, ld, 5, live);
        // Rows past the edge (read from row 0) are masked to zeros.
        Vector512<float> k1 = Keep512<float>(1, live), k2 = Keep512<float>(2, live), k3 = Keep512<float>(3, live),
            k4 = Keep512<float>(4, live), k5 = Keep512<float>(5, live);
        int p = 0;
        for (; p + 16 <= kb; p += 16, d += 96)
        {
            var a0 = Avx512F.LoadVector512(r0 + p);
            var a1 = Avx512F.LoadVector512(r1 + p) & k1;
            var a2 = Avx512F.LoadVector512(r2 + p) & k2;
            var a3 = Avx512F.LoadVector512(r3 + p) & k3;
            var a4 = Avx512F.LoadVector512(r4 + p) & k4;
            var a5 = Avx512F.LoadVector512(r5 + p) & k5;
            var u0 = Avx512F.PermuteVar16x32x2(a0, pairLo, a1).AsDouble();
            var v0 = Avx512F.PermuteVar16x32x2(a0, pairHi, a1).AsDouble();
            var u1 = Avx512F.PermuteVar16x32x2(a2, pairLo, a3).AsDouble();
            var v1 = Avx512F.PermuteVar16x32x2(a2, pairHi, a3).AsDouble();
            var u2 = Avx512F.PermuteVar16x32x2(a4, pairLo, a5).AsDouble();
            var v2 = Avx512F.PermuteVar16x32x2(a4, pairHi, a5).AsDouble();
            var o = (double*)d;
            Avx512F.Store(o, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(u0, x0, u1), y0, u2));
            Avx512F.Store(o + 8, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(u0, x1, u1), y1, u2));
            Avx512F.Store(o + 16, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(u0, x2, u1), y2, u2));
            Avx512F.Store(o + 24, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(v0, x0, v1), y0, v2));
            Avx512F.Store(o + 32, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(v0, x1, v1), y1, v2));
            Avx512F.Store(o + 40, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(v0, x2, v1), y2, v2));
        }
        return p;
    }

    /// <summary>
    /// Doubles, AVX-512, 8 columns p per step: as <see cref="Interleave6Avx512(float*, nint, int, int, float*)"/> with 128-bit units
    /// u_q(p) = (r_2q[p], r_2q+1[p]), 4 per vector: 18 permutes, 6 loads, 6 stores per 48 doubles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Interleave6Avx512(double* r0, nint ld, int live, int kb, double* d)
    {
        var pairLo = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11);
        var pairHi = Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15);
        // Output unit w = 3p + q of 12 (one half: p < 4), two doubles per unit (indices 2p, 2p + 1).
        var x0 = Vector512.Create(0L, 1, 8, 9, 0, 0, 2, 3);
        var y0 = Vector512.Create(0L, 1, 2, 3, 8, 9, 6, 7);
        var x1 = Vector512.Create(10L, 11, 0, 0, 4, 5, 12, 13);
        var y1 = Vector512.Create(0L, 1, 10, 11, 4, 5, 6, 7);
        var x2 = Vector512.Create(0L, 0, 6, 7, 14, 15, 0, 0);
        var y2 = Vector512.Create(12L, 13, 2, 3, 4, 5, 14, 15);
        double* r1 = Row(r0, ld, 1, live), r2 = Row(r0, ld, 2, live), r3 = Row(r0, ld, 3, live), r4 = Row(r0, ld, 4, live), r5 = Row(r0, ld, 5, live);
        // Rows past the edge (read from row 0) are masked to zeros.
        Vector512<double> k1 = Keep512<double>(1, live), k2 = Keep512<double>(2, live), k3 = Keep512<double>(3, live),
            k4 = Keep512<double>(4, live), k5 = Keep512<double>(5, live);
        int p = 0;
        for (; p + 8 <= kb; p += 8, d += 48)
        {
            var a0 = Avx512F.LoadVector512(r0 + p);
            var a1 = Avx512F.LoadVector512(r1 + p) & k1;
            var a2 = Avx512F.LoadVector512(r2 + p) & k2;
            var a3 = Avx512F.LoadVector512(r3 + p) & k3;
            var a4 = Avx512F.LoadVector512(r4 + p) & k4;
            var a5 = Avx512F.LoadVector512(r5 + p) & k5;
            var u0 = Avx512F.PermuteVar8x64x2(a0, pairLo, a1);
            var v0 = Avx512F.PermuteVar8x64x2(a0, pairHi, a1);
            var u1 = Avx512F.PermuteVar8x64x2(a2, pairLo, a3);
            var v1 = Avx512F.PermuteVar8x64x2(a2, pairHi, a3);
            var u2 = Avx512F.PermuteVar8x64x2(a4, pairLo, a5);
            var v2 = Avx512F.PermuteVar8x64x2(a4, pairHi, a5);
            Avx512F.Store(d, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(u0, x0, u1), y0, u2));
            Avx512F.Store(d + 8, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(u0, x1, u1), y1, u2));
            Avx512F.Store(d + 16, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(u0, x2, u1), y2, u2));
            Avx512F.Store(d + 24, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(v0, x0, v1), y0, v2));
            Avx512F.Store(d + 32, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(v0, x1, v1), y1, v2));
            Avx512F.Store(d + 40, Avx512F.PermuteVar8x64x2(Avx512F.PermuteVar8x64x2(v0, x2, v1), y2, v2));
        }
        return p;
    }

    /// <summary>
    /// Floats, AVX, 8 columns p per step. Unpacking pairs rows into 64-bit units u_q(p) (lanes hold p 0, 1, 4, 5 and
    /// 2, 3, 6, 7; a lane swap orders them), then each half (p &lt; 4, p ≥ 4) of the three streams A, B, C is
    /// interleaved by the three-way pattern of <see cref="Interleave3"/>: 24 shuffles, 6 loads, 6 stores per 48 floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Interleave6Avx(float* r0, nint ld, int live, int kb, float* d)
    {
        float* r1 = Row(r0, ld, 1, live), r2 = Row(r0, ld, 2, live), r3 = Row(r0, ld, 3, live), r4 = Row(r0, ld, 4, live), r5 = Row(r0, ld, 5, live);
        // Rows past the edge (read from row 0) are masked to zeros.
        Vector256<float> k1 = Keep256<float>(1, live), k2 = Keep256<float>(2, live), k3 = Keep256<float>(3, live),
            k4 = Keep256<float>(4, live), k5 = Keep256<float>(5, live);
        int p = 0;
        for (; p + 8 <= kb; p += 8, d += 48)
        {
            var (a0, a1) = Pair(Avx.LoadVector256(r0 + p), Avx.LoadVector256(r1 + p) & k1);
            var (b0, b1) = Pair(Avx.LoadVector256(r2 + p) & k2, Avx.LoadVector256(r3 + p) & k3);
            var (c0, c1) = Pair(Avx.LoadVector256(r4 + p) & k4, Avx.LoadVector256(r5 + p) & k5);
            Interleave3(a0, b0, c0, (double*)d);
            Interleave3(a1, b1, c1, (double*)d + 12);
        }
        return p;

        // (u(0..4), u(4..8)) of the 64-bit units u(p) = (x[p], y[p]).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static (Vector256<double>, Vector256<double>) Pair(Vector256<float> x, Vector256<float> y)
        {
            var lo = Avx.UnpackLow(x, y).AsDouble();   // u0 u1 | u4 u5
            var hi = Avx.UnpackHigh(x, y).AsDouble();  // u2 u3 | u6 u7
            return (Avx.Permute2x128(lo, hi, 0x20), Avx.Permute2x128(lo, hi, 0x31));
        }
    }

    /// <summary>o[0..12) ← a0 b0 c0 a1 b1 c1 a2 b2 c2 a3 b3 c3 (64-bit elements) by 3 shuffles, 2 lane permutes and a blend.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave3(Vector256<double> a, Vector256<double> b, Vector256<double> c, double* o)
    {
        var t = Avx.UnpackLow(a, b);           // a0 b0 | a2 b2
        var s = Avx.Shuffle(c, a, 0b1010);     // c0 a1 | c2 a3
        var u = Avx.Shuffle(b, c, 0b1111);     // b1 c1 | b3 c3
        Avx.Store(o, Avx.Permute2x128(t, s, 0x20));
        Avx.Store(o + 4, Avx.Blend(t, u, 0b0011));
        Avx.Store(o + 8, Avx.Permute2x128(s, u, 0x31));
    }

    /// <summary>
    /// Doubles, AVX, 4 columns p per step: unpacking pairs rows into 128-bit units u_q(p) (lanes hold p 0, 2 and 1, 3),
    /// each output vector is two of them, one lane permute: 12 shuffles, 6 loads, 6 stores per 24 doubles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Interleave6Avx(double* r0, nint ld, int live, int kb, double* d)
    {
        double* r1 = Row(r0, ld, 1, live), r2 = Row(r0, ld, 2, live), r3 = Row(r0, ld, 3, live), r4 = Row(r0, ld, 4, live), r5 = Row(r0, ld, 5, live);
        // Rows past the edge (read from row 0) are masked to zeros.
        Vector256<double> k1 = Keep256<double>(1, live), k2 = Keep256<double>(2, live), k3 = Keep256<double>(3, live),
            k4 = Keep256<double>(4, live), k5 = Keep256<double>(5, live);
        int p = 0;
        for (; p + 4 <= kb; p += 4, d += 24)
        {
            var a0 = Avx.LoadVector256(r0 + p);
            var a1 = Avx.LoadVector256(r1 + p) & k1;
            var a2 = Avx.LoadVector256(r2 + p) & k2;
            var a3 = Avx.LoadVector256(r3 + p) & k3;
            var a4 = Avx.LoadVector256(r4 + p) & k4;
            var a5 = Avx.LoadVector256(r5 + p) & k5;
            var l0 = Avx.UnpackLow(a0, a1);   // u0(0) | u0(2)
            var h0 = Avx.UnpackHigh(a0, a1);  // u0(1) | u0(3)
            var l1 = Avx.UnpackLow(a2, a3);
            var h1 = Avx.UnpackHigh(a2, a3);
            var l2 = Avx.UnpackLow(a4, a5);
            var h2 = Avx.UnpackHigh(a4, a5);
            Avx.Store(d, Avx.Permute2x128(l0, l1, 0x20));
            Avx.Store(d + 4, Avx.Permute2x128(l2, h0, 0x20));
            Avx.Store(d + 8, Avx.Permute2x128(h1, h2, 0x20));
            Avx.Store(d + 12, Avx.Permute2x128(l0, l1, 0x31));
            Avx.Store(d + 16, Avx.Permute2x128(l2, h0, 0x31));
            Avx.Store(d + 20, Avx.Permute2x128(h1, h2, 0x31));
        }
        return p;
    }

    /// <summary>
    /// dst ← the block op(B)[p0..p0+kb, j0..j0+nb) as ⌈nb/nr⌉ panels of kb×nr, where op(B)[p,j] = b[p·ldb + j]
    /// (or b[j·ldb + p] when <paramref name="transB"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    public static void PackB<T>(bool transB, T* b, nint ldb, int p0, int kb, int j0, int nb, int nr, T* dst)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => PackB(transB, b, ldb, p0, kb, j0, nb, nr, dst, PackIsa);

    /// <summary>
    /// <see cref="PackB{T}(bool, T*, nint, int, int, int, int, int, T*)"/> with the transposed full panels transposed
    /// in registers of width <paramref name="isa"/> (which must be supported here; Vector128 packs as Scalar): every
    /// width writes the same bytes, so the tests can run each one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    internal static void PackB<T>(bool transB, T* b, nint ldb, int p0, int kb, int j0, int nb, int nr, T* dst, GemmIsa isa)
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
                if (cols == nr && isa >= GemmIsa.Vector256 && TransposeInto(src, ldb, kb, nr, dst, isa == GemmIsa.Vector512))
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
    /// pass) spends most of its packing time on. With <paramref name="avx512"/>, 8×8 (16×16) AVX-512 blocks go first and
    /// the AVX blocks take the rest of kb. Returns false (nothing written) where AVX or T does not fit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    private static bool TransposeInto<T>(T* src, nint ld, int kb, int nr, T* dst, bool avx512)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (!Avx.IsSupported) return false;
        if (typeof(T) == typeof(double))
        {
            if (nr % 4 != 0) return false;
            var s = (double*)src;
            var d = (double*)dst;
            int p = avx512 && nr % 8 == 0 ? Transpose8x8(s, ld, kb, nr, d) : 0;
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
            int p = avx512 && nr % 16 == 0 ? Transpose16x16(s, ld, kb, nr, d) : 0;
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

    /// <summary>
    /// d[p·nr + j] ← s[j·ld + p] for j &lt; nr, p below the returned count (a multiple of 8, ≤ kb), by 8×8 register
    /// transposes with AVX-512: unpacking pairs rows (128-bit lane L of t_{2k+c} holds rows 2k, 2k + 1 at p = 2L + c),
    /// then a 4×4 transpose of lanes per c gives the rows p: 24 shuffles per 64 doubles (32 with AVX's 4×4 blocks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transpose8x8(double* s, nint ld, int kb, int nr, double* d)
    {
        int p = 0;
        for (; p + 8 <= kb; p += 8)
            for (int j = 0; j < nr; j += 8)
            {
                double* r = s + j * ld + p;
                var r0 = Avx512F.LoadVector512(r);
                var r1 = Avx512F.LoadVector512(r + ld);
                var r2 = Avx512F.LoadVector512(r + 2 * ld);
                var r3 = Avx512F.LoadVector512(r + 3 * ld);
                var r4 = Avx512F.LoadVector512(r + 4 * ld);
                var r5 = Avx512F.LoadVector512(r + 5 * ld);
                var r6 = Avx512F.LoadVector512(r + 6 * ld);
                var r7 = Avx512F.LoadVector512(r + 7 * ld);
                double* o = d + (nint)p * nr + j;
                TransposeLanes(Avx512F.UnpackLow(r0, r1), Avx512F.UnpackLow(r2, r3), Avx512F.UnpackLow(r4, r5),
                    Avx512F.UnpackLow(r6, r7), o, 2 * nr);
                TransposeLanes(Avx512F.UnpackHigh(r0, r1), Avx512F.UnpackHigh(r2, r3), Avx512F.UnpackHigh(r4, r5),
                    Avx512F.UnpackHigh(r6, r7), o + nr, 2 * nr);
            }
        return p;
    }

    /// <summary>
    /// d[p·nr + j] ← s[j·ld + p] for j &lt; nr, p below the returned count (a multiple of 16, ≤ kb), by 16×16 register
    /// transposes with AVX-512: two shuffle rounds leave 128-bit lane L of u_{4m+c} holding rows 4m..4m+3 at p = 4L + c,
    /// then a 4×4 transpose of lanes per c gives the rows p: 64 shuffles per 256 floats (96 with AVX's 8×8 blocks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transpose16x16(float* s, nint ld, int kb, int nr, float* d)
    {
        int p = 0;
        for (; p + 16 <= kb; p += 16)
            for (int j = 0; j < nr; j += 16)
            {
                float* r = s + j * ld + p;
                float* o = d + (nint)p * nr + j;
                // Rows 4m..4m+3 → u_{4m+c} (c = 0..3), kept for the lane transposes.
                var (u0, u1, u2, u3) = Columns4(r, ld);
                var (u4, u5, u6, u7) = Columns4(r + 4 * ld, ld);
                var (u8, u9, u10, u11) = Columns4(r + 8 * ld, ld);
                var (u12, u13, u14, u15) = Columns4(r + 12 * ld, ld);
                TransposeLanes(u0.AsDouble(), u4.AsDouble(), u8.AsDouble(), u12.AsDouble(), (double*)o, 2 * nr);
                TransposeLanes(u1.AsDouble(), u5.AsDouble(), u9.AsDouble(), u13.AsDouble(), (double*)(o + nr), 2 * nr);
                TransposeLanes(u2.AsDouble(), u6.AsDouble(), u10.AsDouble(), u14.AsDouble(), (double*)(o + 2 * nr), 2 * nr);
                TransposeLanes(u3.AsDouble(), u7.AsDouble(), u11.AsDouble(), u15.AsDouble(), (double*)(o + 3 * nr), 2 * nr);
            }
        return p;

        // Lane L of item c: rows 0..3 of r at p = 4L + c.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) Columns4(float* r, nint ld)
        {
            var a = Avx512F.LoadVector512(r);
            var b = Avx512F.LoadVector512(r + ld);
            var c = Avx512F.LoadVector512(r + 2 * ld);
            var e = Avx512F.LoadVector512(r + 3 * ld);
            var t0 = Avx512F.UnpackLow(a, b);   // a[4L] b[4L] a[4L+1] b[4L+1]
            var t1 = Avx512F.UnpackHigh(a, b);  // a[4L+2] b[4L+2] a[4L+3] b[4L+3]
            var t2 = Avx512F.UnpackLow(c, e);
            var t3 = Avx512F.UnpackHigh(c, e);
            return (Avx512F.Shuffle(t0, t2, 0x44), Avx512F.Shuffle(t0, t2, 0xEE),
                    Avx512F.Shuffle(t1, t3, 0x44), Avx512F.Shuffle(t1, t3, 0xEE));
        }
    }

    /// <summary>
    /// The 4×4 transpose of 128-bit lanes: o[L·stride ..] ← (lane L of x0, x1, x2, x3) for L = 0..3, by four
    /// 128-bit-lane shuffles of pairs and four of their results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeLanes(Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3,
        double* o, nint stride)
    {
        var v0 = Avx512F.Shuffle4x128(x0, x1, 0x44);  // x0.0 x0.1 x1.0 x1.1
        var v1 = Avx512F.Shuffle4x128(x0, x1, 0xEE);  // x0.2 x0.3 x1.2 x1.3
        var v2 = Avx512F.Shuffle4x128(x2, x3, 0x44);
        var v3 = Avx512F.Shuffle4x128(x2, x3, 0xEE);
        Avx512F.Store(o, Avx512F.Shuffle4x128(v0, v2, 0x88));
        Avx512F.Store(o + stride, Avx512F.Shuffle4x128(v0, v2, 0xDD));
        Avx512F.Store(o + 2 * stride, Avx512F.Shuffle4x128(v1, v3, 0x88));
        Avx512F.Store(o + 3 * stride, Avx512F.Shuffle4x128(v1, v3, 0xDD));
    }
}
