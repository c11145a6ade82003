using MathDnn.Activations;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Tests.Kernels;

/// <summary>
/// The epilogue of a product (<see cref="GemmEpilogue{T}"/>): C ← (α·op(A)·op(B) + β·C) + 𝟙·b and R = max(C, 0) written by
/// the store of the last k-block, against the same kernel without it followed by <see cref="Blas.AddRowVector{T}(Span{T}, int, ReadOnlySpan{T})"/>
/// and the ReLU layer's forward pass (003 Def 4.1, 003 Def 2.1) — raw bits, padding included, for every kernel.
/// </summary>
public sealed class GemmEpilogueTests
{
    /// <summary>A kernel run with an optional epilogue (bias, R) on pinned arrays.</summary>
    private unsafe delegate void Kernel<T>(GemmProblem<T> p, T[] c, T[]? bias, T[]? relu, int ldr) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    private static unsafe Kernel<T> Packed<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (p, c, bias, relu, ldr) =>
        {
            fixed (T* pa = p.A, pb = p.B, pc = c, pbias = bias, pr = relu)
                Gemm.Run(p.TransA, p.TransB, p.M, p.N, p.K, p.Alpha, pa, p.Lda, pb, p.Ldb, p.Beta, pc, p.Ldc, Gemm.BestIsa, threads,
                    new GemmEpilogue<T>(pbias, pr, ldr));
        };

    private static unsafe Kernel<T> Thin<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (p, c, bias, relu, ldr) =>
        {
            Assert.True(GemmThin.Applies<T>(p.TransA, p.TransB, p.M, p.N, Gemm.BestIsa), $"the thin kernel should take {p.M}×{p.N}×{p.K}");
            fixed (T* pa = p.A, pb = p.B, pc = c, pbias = bias, pr = relu)
                GemmThin.Run(p.M, p.N, p.K, p.Alpha, pa, p.Lda, pb, p.Ldb, p.Beta, pc, p.Ldc, Gemm.BestIsa, threads, new GemmEpilogue<T>(pbias, pr, ldr));
        };

    private static unsafe Kernel<T> Dots<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (p, c, bias, relu, ldr) =>
        {
            Assert.True(GemmDots.Applies<T>(p.TransA, p.TransB, p.M, p.K, Gemm.BestIsa), $"the dot kernel should take {p.M}×{p.N}×{p.K}");
            fixed (T* pa = p.A, pb = p.B, pc = c, pbias = bias, pr = relu)
                GemmDots.Run(p.M, p.N, p.K, p.Alpha, pa, p.Lda, pb, p.Ldb, p.Beta, pc, p.Ldc, Gemm.BestIsa, threads, new GemmEpilogue<T>(pbias, pr, ldr));
        };

    /// <summary>The dispatcher: <see cref="Blas.GemmBias{T}"/> fused, <see cref="Blas.Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/> plain.</summary>
    private static Kernel<T> Dispatcher<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (p, c, bias, relu, ldr) =>
        {
            if (bias is null && relu is null) Blas.Gemm(p.TransA, p.TransB, p.M, p.N, p.K, p.Alpha, p.A, p.Lda, p.B, p.Ldb, p.Beta, c, p.Ldc);
            else Blas.GemmBias<T>(p.TransA, p.TransB, p.M, p.N, p.K, p.Alpha, p.A, p.Lda, p.B, p.Ldb, p.Beta, c, p.Ldc, bias, relu, ldr);
        };

    /// <summary>b: uniform on [−1, 1), with −0 and a large negative entry (a column the ReLU zeroes) when n allows.</summary>
    private static T[] Bias<T>(int n, int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        var b = new T[n];
        for (int j = 0; j < n; j++) b[j] = T.CreateChecked(rng.Uniform(-1, 1));
        b[0] = T.NegativeZero;
        if (n > 2) b[n / 2] = T.CreateChecked(-1e6);
        return b;
    }

    /// <summary>
    /// C and R from the kernel with the epilogue equal, bit for bit, C from the kernel without it, then C[i,:] + b row by row and
    /// R = the ReLU layer's forward pass of C; R's padding (NaN) is left untouched. With <paramref name="inPlace"/>, R is C itself.
    /// </summary>
    private static void AssertFusedEqualsSeparate<T>(GemmProblem<T> p, Kernel<T> kernel, T[] bias, string what, bool inPlace = false)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int ldr = inPlace ? p.Ldc : p.N + 2;
        var expectedC = (T[])p.C0.Clone();
        kernel(p, expectedC, null, null, 0);
        var expectedR = new T[p.M * ldr];
        Array.Fill(expectedR, T.NaN);
        var relu = new Relu();
        for (int i = 0; i < p.M; i++)
        {
            var row = expectedC.AsSpan(i * p.Ldc, p.N);
            Blas.AddRowVector(row, p.N, bias);
            relu.Forward<T>([], row, expectedR.AsSpan(i * ldr, p.N), new Batch(1, p.N, p.N));
        }

        var c = (T[])p.C0.Clone();
        var r = inPlace ? c : new T[p.M * ldr];
        if (!inPlace) Array.Fill(r, T.NaN);
        kernel(p, c, bias, r, ldr);
        if (inPlace)
        {
            // C holds max(C, 0) only, C's padding untouched.
            var expected = (T[])expectedC.Clone();
            for (int i = 0; i < p.M; i++) expectedR.AsSpan(i * ldr, p.N).CopyTo(expected.AsSpan(i * p.Ldc));
            Assert.True(GemmProblem<T>.Bits(expected).SequenceEqual(GemmProblem<T>.Bits(c)), $"{what}: R = C in place differs from max(C + b, 0)");
            return;
        }
        Assert.True(GemmProblem<T>.Bits(expectedC).SequenceEqual(GemmProblem<T>.Bits(c)), $"{what}: C with the bias in the store differs from C then + b");
        Assert.True(GemmProblem<T>.Bits(expectedR).SequenceEqual(GemmProblem<T>.Bits(r)), $"{what}: R from the store differs from the ReLU layer on C + b");

        // The bias alone (no R): the same C.
        var cb = (T[])p.C0.Clone();
        kernel(p, cb, bias, null, 0);
        Assert.True(GemmProblem<T>.Bits(expectedC).SequenceEqual(GemmProblem<T>.Bits(cb)), $"{what}: C with the bias only differs");
    }

    private static void BothTypes(bool ta, bool tb, int m, int n, int k, double alpha, double beta, Func<int, (Kernel<double>, Kernel<float>)> kernels,
        IEnumerable<int> threadCounts, string name)
    {
        int seed = m * 7919 + n * 31 + k;
        var d = new GemmProblem<double>(ta, tb, m, n, k, alpha, beta, seed, padA: 1, padB: 2, padC: 3);
        var f = new GemmProblem<float>(ta, tb, m, n, k, alpha, beta, seed + 1, padA: 2, padB: 1, padC: 1);
        var bd = Bias<double>(n, seed + 2);
        var bf = Bias<float>(n, seed + 3);
        foreach (int threads in threadCounts)
        {
            var (kd, kf) = kernels(threads);
            string what = $"{name} {(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}×{n}×{k}, α = {alpha}, β = {beta}, {threads} thread(s)";
            AssertFusedEqualsSeparate(d, kd, bd, what + ", double");
            AssertFusedEqualsSeparate(f, kf, bf, what + ", float");
            AssertFusedEqualsSeparate(d, kd, bd, what + ", double, R = C", inPlace: true);
        }
    }

    public static TheoryData<bool, bool, int, int, int, double, double> PackedShapes()
    {
        var data = new TheoryData<bool, bool, int, int, int, double, double>();
        // Edge tiles (m, n not multiples of MR = 6 or NR), k below, at and across KC = 256 (several k-blocks), every
        // transpose (the dense layer's is A·Bᵀ), every store mode; 200×300×260 splits over two threads (by rows, B shared,
        // for A; by columns for Aᵀ).
        foreach (var (ta, tb) in new[] { (false, true), (false, false), (true, false), (true, true) })
            foreach (var (m, n, k) in new[] { (13, 37, 20), (6, 32, 256), (7, 17, 513), (130, 70, 300), (200, 300, 260) })
                data.Add(ta, tb, m, n, k, 1.0, 0.0);
        data.Add(false, true, 13, 37, 300, -0.5, 0.0);
        data.Add(false, true, 130, 70, 300, 1.5, -0.25);
        data.Add(true, false, 37, 13, 600, 1.0, 1.0);
        return data;
    }

    [Theory]
    [MemberData(nameof(PackedShapes))]
    public void Packed_kernel_with_bias_and_relu_in_the_store_equals_the_product_then_the_bias_then_relu_bit_for_bit_003_Def_4_1(
        bool ta, bool tb, int m, int n, int k, double alpha, double beta) =>
        BothTypes(ta, tb, m, n, k, alpha, beta, t => (Packed<double>(t), Packed<float>(t)), [1, 2], "packed");

    public static TheoryData<int, int, int> ThinShapes()
    {
        var data = new TheoryData<int, int, int>();
        // Every kind of row count 1…12; a column tail; k across KC; 12×1100×70 splits over two threads.
        foreach (int m in new[] { 1, 2, 5, 6, 7, 12 })
            foreach (var (n, k) in new[] { (16, 7), (37, 300), (130, 513) })
                data.Add(m, n, k);
        data.Add(12, 1100, 70);
        return data;
    }

    [Theory]
    [MemberData(nameof(ThinShapes))]
    public void Thin_kernel_with_bias_and_relu_in_the_store_equals_the_product_then_the_bias_then_relu_bit_for_bit(int m, int n, int k)
    {
        if (Gemm.BestIsa == GemmIsa.Scalar) return; // the thin kernel needs vectors
        BothTypes(false, false, m, n, k, 1.0, 0.0, t => (Thin<double>(t), Thin<float>(t)), [1, 2], "thin");
        BothTypes(false, false, m, n, k, 1.5, -0.25, t => (Thin<double>(t), Thin<float>(t)), [1], "thin");
    }

    [Theory]
    [InlineData(1, 256, 784)]
    [InlineData(1, 7, 33)]
    [InlineData(2, 130, 300)]
    [InlineData(3, 1025, 100)]
    public void Dot_kernel_with_bias_and_relu_in_the_store_equals_the_product_then_the_bias_then_relu_bit_for_bit(int m, int n, int k)
    {
        if (Gemm.BestIsa is not (GemmIsa.Vector512 or GemmIsa.Vector256)) return; // the kernel is not used without 256-bit vectors
        BothTypes(false, true, m, n, k, 1.0, 0.0, t => (Dots<double>(t), Dots<float>(t)), [1, 2], "dots");
        BothTypes(false, true, m, n, k, -0.5, 1.0, t => (Dots<double>(t), Dots<float>(t)), [1], "dots");
    }

    public static TheoryData<int, int, int> DenseShapes()
    {
        var data = new TheoryData<int, int, int>();
        // The dense layers of 784-256-128-10 on a batch of 128, on 1…12 rows (dots, reference, packed) and a tiny layer
        // (the reference product with its separate passes).
        foreach (int rows in new[] { 128, 1, 2, 3, 4, 7, 12 })
            foreach (var (n, m) in new[] { (784, 256), (256, 128), (128, 10) })
                data.Add(rows, m, n);
        data.Add(2, 3, 4);
        return data;
    }

    [Theory]
    [MemberData(nameof(DenseShapes))]
    public void GemmBias_on_the_dense_layer_shapes_equals_gemm_then_AddRowVector_then_relu_bit_for_bit(int rows, int m, int n)
    {
        // Y = X·Wᵀ + b: op(A) = X (rows×n), op(B) = Wᵀ (W is m×n), whichever kernel the dispatcher picks.
        BothTypes(false, true, rows, m, n, 1.0, 0.0, _ => (Dispatcher<double>(), Dispatcher<float>()), [1], "dispatcher");
    }

    [Fact]
    public void With_k_zero_or_alpha_zero_GemmBias_gives_beta_C_plus_the_bias_and_its_relu()
    {
        foreach (var (k, alpha, beta) in new[] { (0, 1.0, 0.0), (5, 0.0, 0.5) })
        {
            var p = new GemmProblem<double>(false, true, 4, 9, k, alpha, beta, seed: 5, padC: 1);
            AssertFusedEqualsSeparate(p, Dispatcher<double>(), Bias<double>(9, 6), $"k = {k}, α = {alpha}");
        }
    }

    [Fact]
    public void Relu_in_the_store_treats_minus_zero_NaN_infinities_and_subnormals_as_the_relu_layer_does_003_Def_2_1()
    {
        // α = −1 turns a zero accumulator into −0, and −0 + b with b = −0 stays −0: the ReLU must give +0 (IEEE maximum),
        // not −0. NaN (with a payload and negative), ±∞ and subnormals in b reach C unchanged or summed; a NaN row of A makes
        // a NaN row of C. Full tiles take the vector ReLU, the 5-column tail (n = 37) the scalar one.
        int m = 13, n = 37, k = 20;
        var d = new GemmProblem<double>(false, true, m, n, k, -1.0, 0.0, seed: 9, padA: 1, padB: 1, padC: 2);
        var f = new GemmProblem<float>(false, true, m, n, k, -1.0, 0.0, seed: 10, padA: 1, padB: 1, padC: 2);
        Special(d, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_1234), BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0042)));
        Special(f, BitConverter.Int32BitsToSingle(0x7FC0_1234), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0042)));

        void Special<T>(GemmProblem<T> p, T nan, T negativeNan) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            for (int q = 0; q < k; q++)
            {
                p.A[0 * p.Lda + q] = T.Zero;                       // row 0: C = −0 before the bias
                p.A[3 * p.Lda + q] = T.Zero;                       // row 3 too, in the second micro-tile of rows
                p.A[7 * p.Lda + q] = q == 4 ? T.NaN : p.A[7 * p.Lda + q];
                p.A[11 * p.Lda + q] = q == 2 ? T.PositiveInfinity : p.A[11 * p.Lda + q];
            }
            var bias = new T[n];
            var fill = new[] { T.NegativeZero, T.Zero, nan, negativeNan, T.PositiveInfinity, T.NegativeInfinity, T.Epsilon, -T.Epsilon, T.One, -T.One };
            for (int j = 0; j < n; j++) bias[j] = fill[(j * 3) % fill.Length];
            bias[33] = T.NegativeZero; // in the scalar tail
            bias[35] = nan;
            string type = typeof(T).Name;
            AssertFusedEqualsSeparate(p, Packed<T>(1), bias, $"packed, {type}");
            AssertFusedEqualsSeparate(p, Dispatcher<T>(), bias, $"dispatcher, {type}");
            if (Gemm.BestIsa is GemmIsa.Vector512 or GemmIsa.Vector256)
            {
                var one = new GemmProblem<T>(false, true, 3, n, 64, -1.0, 0.0, seed: 11);
                for (int q = 0; q < 64; q++) one.A[q] = T.Zero;
                AssertFusedEqualsSeparate(one, Dots<T>(1), bias, $"dots, {type}");
            }
            // Row 0 really is −0 + b in the managed kernel (α·(+0) = −0): the ReLU of column 0 is +0 with C = −0 (the case
            // that tells max from a sign-blind select).
            var c = (T[])p.C0.Clone();
            var r = new T[m * n];
            Packed<T>(1)(p, c, bias, r, n);
            Assert.True(T.IsNegative(c[0]) && T.IsZero(c[0]), $"{type}: C[0,0] should be −0, got {c[0]}");
            Assert.True(T.IsPositive(r[0]) && T.IsZero(r[0]), $"{type}: max(−0, 0) should be +0, got {r[0]}");
        }
    }

    /// <summary>A kernel run with the mask epilogue C ← C·[Z &gt; 0] (Z at row stride n + 1).</summary>
    private unsafe delegate void MaskedKernel<T>(GemmProblem<T> p, T[] c, T[] z, int ldz) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    private static unsafe MaskedKernel<T> MaskedPacked<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (p, c, z, ldz) =>
        {
            fixed (T* pa = p.A, pb = p.B, pc = c, pz = z)
                Gemm.Run(p.TransA, p.TransB, p.M, p.N, p.K, p.Alpha, pa, p.Lda, pb, p.Ldb, p.Beta, pc, p.Ldc, Gemm.BestIsa, threads,
                    new GemmEpilogue<T>(null, null, 0, pz, ldz));
        };

    private static unsafe MaskedKernel<T> MaskedThin<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (p, c, z, ldz) =>
        {
            fixed (T* pa = p.A, pb = p.B, pc = c, pz = z)
                GemmThin.Run(p.M, p.N, p.K, p.Alpha, pa, p.Lda, pb, p.Ldb, p.Beta, pc, p.Ldc, Gemm.BestIsa, threads, new GemmEpilogue<T>(null, null, 0, pz, ldz));
        };

    private static unsafe MaskedKernel<T> MaskedDots<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (p, c, z, ldz) =>
        {
            fixed (T* pa = p.A, pb = p.B, pc = c, pz = z)
                GemmDots.Run(p.M, p.N, p.K, p.Alpha, pa, p.Lda, pb, p.Ldb, p.Beta, pc, p.Ldc, Gemm.BestIsa, threads, new GemmEpilogue<T>(null, null, 0, pz, ldz));
        };

    private static MaskedKernel<T> MaskedDispatcher<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (p, c, z, ldz) =>
        {
            Assert.True(p.Beta == T.Zero, "GemmMask has β = 0");
            Blas.GemmMask<T>(p.TransA, p.TransB, p.M, p.N, p.K, p.Alpha, p.A, p.Lda, p.B, p.Ldb, c, p.Ldc, z, ldz);
        };

    /// <summary>
    /// C from the kernel with the mask in its store equals, bit for bit, the plain product's C put through the ReLU layer's
    /// backward pass with input Z (dz = dy·𝟙_{ℝ++}(z), 003 Prop 5.1), written back at C's stride; C's padding untouched.
    /// Z holds uniform values with +0, −0, NaN, ±∞ and the smallest subnormals among them.
    /// </summary>
    private static void AssertMaskedEqualsSeparate<T>(GemmProblem<T> p, Product<T> plain, MaskedKernel<T> masked, string what)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int ldz = p.N + 1;
        var rng = new Rng(p.M * 13 + p.N);
        var specials = new[] { T.Zero, T.NegativeZero, T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.Epsilon, -T.Epsilon };
        var z = new T[p.M * ldz];
        for (int i = 0; i < z.Length; i++) z[i] = i % 5 == 0 ? specials[rng.NextInt(specials.Length)] : T.CreateChecked(rng.Uniform(-1, 1));

        var expected = p.Run(plain);
        var dz = new T[p.M * p.N];
        var dy = new T[p.M * p.N];
        var zc = new T[p.M * p.N];
        for (int i = 0; i < p.M; i++)
        {
            expected.AsSpan(i * p.Ldc, p.N).CopyTo(dy.AsSpan(i * p.N));
            z.AsSpan(i * ldz, p.N).CopyTo(zc.AsSpan(i * p.N));
        }
        new Relu().Backward<T>([], zc, new T[zc.Length], dy, dz, [], new Batch(p.M, p.N, p.N));
        for (int i = 0; i < p.M; i++) dz.AsSpan(i * p.N, p.N).CopyTo(expected.AsSpan(i * p.Ldc));

        var c = (T[])p.C0.Clone();
        masked(p, c, z, ldz);
        Assert.True(GemmProblem<T>.Bits(expected).SequenceEqual(GemmProblem<T>.Bits(c)), $"{what}: the mask in the store differs from the product then the ReLU's backward pass");
    }

    public static TheoryData<string, int, int, int> MaskShapes()
    {
        var data = new TheoryData<string, int, int, int>();
        // dX = δ·W of the dense layers of 784-256-128-10 (k rows, m = outputs, n = inputs: a k×m times m×n product), with
        // edge tiles and k-blocks: packed for 128 rows, thin for 1…12, dots for the Bᵀ kernel; the dispatcher on each.
        foreach (var (rows, m, n) in new[] { (128, 10, 128), (128, 128, 256), (128, 256, 784), (130, 300, 37), (13, 513, 17) })
            data.Add("packed", rows, n, m);
        foreach (var (rows, m, n) in new[] { (1, 10, 128), (7, 128, 256), (12, 256, 784), (5, 300, 37) })
            data.Add("thin", rows, n, m);
        data.Add("dots", 2, 130, 300);
        data.Add("dots", 1, 37, 64);
        return data;
    }

    /// <summary>The kernel without an epilogue, on one thread (the packed and thin kernels agree bit for bit; dots sums in its own order).</summary>
    private static unsafe Product<T> Plain<T>(string kernel) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        kernel != "dots" ? Products.Managed<T>(Gemm.BestIsa, 1) :
        (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
        {
            fixed (T* pa = a, pb = b, pc = c) GemmDots.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Gemm.BestIsa, 1);
        };

    [Theory]
    [MemberData(nameof(MaskShapes))]
    public void The_relu_backward_mask_in_the_store_equals_the_product_then_the_relu_backward_pass_bit_for_bit_003_Prop_5_1(string kernel, int m, int n, int k)
    {
        if (kernel != "packed" && Gemm.BestIsa is not (GemmIsa.Vector512 or GemmIsa.Vector256)) return; // thin and dots need vectors (dots 256-bit ones)
        bool transB = kernel == "dots";
        var d = new GemmProblem<double>(false, transB, m, n, k, 1.0, 0.0, seed: m + n + k, padA: 1, padB: 2, padC: 3);
        var f = new GemmProblem<float>(false, transB, m, n, k, 1.0, 0.0, seed: m + n + k + 1, padA: 2, padB: 1, padC: 1);
        foreach (int threads in new[] { 1, 2 })
        {
            var (md, mf) = kernel switch
            {
                "packed" => (MaskedPacked<double>(threads), MaskedPacked<float>(threads)),
                "thin" => (MaskedThin<double>(threads), MaskedThin<float>(threads)),
                _ => (MaskedDots<double>(threads), MaskedDots<float>(threads)),
            };
            string what = $"{kernel} {m}×{n}×{k}, {threads} thread(s)";
            AssertMaskedEqualsSeparate(d, Plain<double>(kernel), md, what + ", double");
            AssertMaskedEqualsSeparate(f, Plain<float>(kernel), mf, what + ", float");
        }
        AssertMaskedEqualsSeparate(d, Products.Dispatcher<double>(), MaskedDispatcher<double>(), $"dispatcher {m}×{n}×{k}, double");
        AssertMaskedEqualsSeparate(f, Products.Dispatcher<float>(), MaskedDispatcher<float>(), $"dispatcher {m}×{n}×{k}, float");
    }

    [Fact]
    public void GemmBias_names_a_short_bias_or_relu_buffer()
    {
        var a = new double[4 * 3];
        var w = new double[5 * 3];
        var c = new double[4 * 5];
        var e = Assert.Throws<ArgumentException>(() => Blas.GemmBias<double>(false, true, 4, 5, 3, 1, a, 3, w, 3, 0, c, 5, new double[4]));
        Assert.Contains("bias needs 5 entries, got 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => Blas.GemmBias<double>(false, true, 4, 5, 3, 1, a, 3, w, 3, 0, c, 5, new double[5], new double[19], 5));
        Assert.Contains("needs 20 entries", e.Message);
        e = Assert.Throws<ArgumentException>(() => Blas.GemmMask<double>(false, true, 4, 5, 3, 1, a, 3, w, 3, c, 5, new double[19], 5));
        Assert.Contains("Z (row stride 5) needs 20 entries", e.Message);
    }
}
