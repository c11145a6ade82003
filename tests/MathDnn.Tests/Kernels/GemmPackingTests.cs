using System.Runtime.Intrinsics.X86;
using MathDnn.Kernels;
using MathDnn.Networks;

namespace MathDnn.Tests.Kernels;

/// <summary>
/// The packs of Kernels/GemmPacking.cs against their definition, byte for byte (a pack only moves data): panel q of
/// op(A) holds dst[q·MR·kb + p·MR + i] = op(A)[i0 + q·MR + i, p0 + p], of op(B) dst[q·nr·kb + p·nr + j] =
/// op(B)[p0 + p, j0 + q·nr + j], zero past the edge; at every register width this machine runs, with kb across the
/// vector lengths (16 floats, 8 doubles) and their tails, strided operands and edge panels of 1–5 rows or columns.
/// </summary>
public unsafe class GemmPackingTests
{
    private const int MR = GemmMicroKernel.MR;

    // kb = 1 … 2·16 + 3 (every tail of both vector lengths, twice over), then block-sized runs.
    private static readonly int[] Depths = [.. Enumerable.Range(1, 35), 47, 64, 100, 255, 256];

    private static GemmIsa[] PackWidths()
    {
        var widths = new List<GemmIsa> { GemmIsa.Scalar, GemmIsa.Vector128 };
        if (Avx.IsSupported) widths.Add(GemmIsa.Vector256);
        if (Avx512F.IsSupported) widths.Add(GemmIsa.Vector512);
        return [.. widths];
    }

    [Fact]
    public void The_default_pack_width_is_the_widest_the_machine_runs()
    {
        Assert.Equal(PackWidths()[^1] == GemmIsa.Vector128 ? GemmIsa.Scalar : PackWidths()[^1], GemmPacking.PackIsa);
    }

    [Fact]
    public void PackA_writes_the_panels_of_op_A_bit_for_bit_in_double() => PackAMatchesDefinition<double>(seed: 1);

    [Fact]
    public void PackA_writes_the_panels_of_op_A_bit_for_bit_in_float() => PackAMatchesDefinition<float>(seed: 2);

    [Fact]
    public void PackB_writes_the_panels_of_op_B_bit_for_bit_in_double()
    {
        foreach (int nr in new[] { 2, 4, 8, 16 }) PackBMatchesDefinition<double>(nr, seed: 3 + nr);
    }

    [Fact]
    public void PackB_writes_the_panels_of_op_B_bit_for_bit_in_float()
    {
        foreach (int nr in new[] { 4, 8, 16, 32 }) PackBMatchesDefinition<float>(nr, seed: 5 + nr);
    }

    private static void PackAMatchesDefinition<T>(int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        foreach (bool transA in new[] { false, true })
            foreach (int kb in Depths)
                foreach (int mb in new[] { 1, 2, 3, 4, 5, 6, 7, 12, 13, 17 })
                {
                    // A block at (i0, p0) = (2, 3) of a matrix with odd padding: rows (or columns) of op(A) are not aligned.
                    int i0 = 2, p0 = 3, pad = 2 * (kb % 3) + 1;
                    int rows = transA ? p0 + kb : i0 + mb, cols = (transA ? i0 + mb : p0 + kb) + pad;
                    T[] a = Entries<T>(rows * cols, ref rng);
                    Func<int, int, T> opA = transA ? (i, p) => a[p * cols + i] : (i, p) => a[i * cols + p];
                    int panels = (mb + MR - 1) / MR;
                    var expected = new T[panels * MR * kb + 1];
                    for (int q = 0; q < panels; q++)
                        for (int p = 0; p < kb; p++)
                            for (int i = 0; i < MR; i++)
                            {
                                int row = q * MR + i;
                                expected[(q * kb + p) * MR + i] = row < mb ? opA(i0 + row, p0 + p) : T.Zero;
                            }
                    foreach (var isa in PackWidths())
                    {
                        // One entry past the panels keeps its sentinel: the pack writes nothing beyond them.
                        var dst = new T[expected.Length];
                        dst[^1] = expected[^1] = T.CreateChecked(7);
                        fixed (T* pa = a, pd = dst) GemmPacking.PackA(transA, pa, cols, i0, mb, p0, kb, pd, isa);
                        AssertSameBits(expected, dst, $"PackA {typeof(T).Name} {isa} transA={transA} kb={kb} mb={mb}");
                    }
                }
    }

    private static void PackBMatchesDefinition<T>(int nr, int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        foreach (bool transB in new[] { false, true })
            foreach (int kb in Depths)
                foreach (int nb in new[] { 1, nr - 1, nr, nr + 1, 2 * nr + 3 })
                {
                    int p0 = 3, j0 = 2, pad = 2 * (kb % 3) + 1;
                    int rows = transB ? j0 + nb : p0 + kb, cols = (transB ? p0 + kb : j0 + nb) + pad;
                    T[] b = Entries<T>(rows * cols, ref rng);
                    Func<int, int, T> opB = transB ? (p, j) => b[j * cols + p] : (p, j) => b[p * cols + j];
                    int panels = (nb + nr - 1) / nr;
                    var expected = new T[panels * nr * kb + 1];
                    for (int q = 0; q < panels; q++)
                        for (int p = 0; p < kb; p++)
                            for (int j = 0; j < nr; j++)
                            {
                                int col = q * nr + j;
                                expected[(q * kb + p) * nr + j] = col < nb ? opB(p0 + p, j0 + col) : T.Zero;
                            }
                    foreach (var isa in PackWidths())
                    {
                        var dst = new T[expected.Length];
                        dst[^1] = expected[^1] = T.CreateChecked(7);
                        fixed (T* pb = b, pd = dst) GemmPacking.PackB(transB, pb, cols, p0, kb, j0, nb, nr, pd, isa);
                        AssertSameBits(expected, dst, $"PackB {typeof(T).Name} {isa} nr={nr} transB={transB} kb={kb} nb={nb}");
                    }
                }
    }

    /// <summary>
    /// Distinct random entries, with a NaN carrying a payload, −0 and the smallest subnormal among them: a pack that
    /// moved values through arithmetic (or a wrong lane) would change their bits.
    /// </summary>
    private static T[] Entries<T>(int length, ref Rng rng) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var x = new T[length];
        for (int i = 0; i < length; i++) x[i] = T.CreateChecked(rng.Uniform(-1, 1));
        T[] special = [T.NegativeZero, T.Epsilon, NaNWithPayload<T>()];
        for (int i = 0; i < special.Length && 5 * i < length; i++) x[5 * i] = special[i];
        return x;
    }

    private static T NaNWithPayload<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) { double v = BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_1234)); return *(T*)&v; }
        float f = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_1234));
        return *(T*)&f;
    }

    private static void AssertSameBits<T>(T[] expected, T[] actual, string what) where T : unmanaged
    {
        var e = System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected.AsSpan());
        var a = System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual.AsSpan());
        if (e.SequenceEqual(a)) return;
        int first = 0;
        while (e[first] == a[first]) first++;
        Assert.Fail($"{what}: first differing entry {first / sizeof(T)} of {expected.Length}");
    }
}
