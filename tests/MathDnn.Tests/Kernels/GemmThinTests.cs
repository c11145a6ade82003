using MathDnn.Kernels;

namespace MathDnn.Tests.Kernels;

/// <summary>The thin kernel (m ≤ 12 rows, B read in place) against the packed kernel and the naive product.</summary>
public sealed class GemmThinTests
{
    private static unsafe Product<T> Thin<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
        {
            Assert.True(GemmThin.Applies<T>(ta, tb, m, n, Gemm.BestIsa), $"the thin kernel should take {m}×{n}×{k}");
            fixed (T* pa = a, pb = b, pc = c) GemmThin.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Gemm.BestIsa, threads);
        };

    public static TheoryData<int, int, int, double, double> Shapes()
    {
        var data = new TheoryData<int, int, int, double, double>();
        // Every row count 1…12; n with and without a column tail; k below, at and across KC = 256; all store modes.
        foreach (int m in new[] { 1, 2, 3, 5, 6, 7, 10, 12 })
            foreach (var (n, k) in new[] { (16, 7), (37, 256), (130, 300), (1100, 70) })
                foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-0.5, 0.0), (1.5, -0.25), (1.0, 1.0) })
                    data.Add(m, n, k, alpha, beta);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Thin_kernel_is_bit_identical_to_the_packed_kernel_for_every_thread_count(int m, int n, int k, double alpha, double beta)
    {
        // Same chain of roundings per entry (FMAs in k order within each KC block, then β·C + α·acc): identical bits, not just close.
        var d = new GemmProblem<double>(false, false, m, n, k, alpha, beta, seed: m * 1000 + n + k, padA: 1, padB: 2, padC: 3);
        var f = new GemmProblem<float>(false, false, m, n, k, alpha, beta, seed: m * 1000 + n + k + 1, padA: 2, padB: 1, padC: 1);
        byte[] packedD = GemmProblem<double>.Bits(d.Run(Products.Managed<double>(Gemm.BestIsa, 1)));
        byte[] packedF = GemmProblem<float>.Bits(f.Run(Products.Managed<float>(Gemm.BestIsa, 1)));
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var cd = d.Run(Thin<double>(threads));
            d.AssertMatchesNaive(cd, $"thin double, {threads} thread(s)");
            Assert.True(packedD.SequenceEqual(GemmProblem<double>.Bits(cd)), $"thin double with {threads} thread(s) differs from the packed kernel");
            var cf = f.Run(Thin<float>(threads));
            f.AssertMatchesNaive(cf, $"thin float, {threads} thread(s)");
            Assert.True(packedF.SequenceEqual(GemmProblem<float>.Bits(cf)), $"thin float with {threads} thread(s) differs from the packed kernel");
        }
    }

    [Fact]
    public void The_dispatcher_routes_thin_untransposed_products_to_the_thin_kernel_only()
    {
        Assert.True(GemmThin.Applies<double>(false, false, 12, 64, Gemm.BestIsa) || Gemm.BestIsa == GemmIsa.Scalar);
        Assert.False(GemmThin.Applies<double>(false, false, 13, 64, Gemm.BestIsa));
        Assert.False(GemmThin.Applies<double>(true, false, 4, 64, Gemm.BestIsa));
        Assert.False(GemmThin.Applies<double>(false, true, 4, 64, Gemm.BestIsa));
        Assert.False(GemmThin.Applies<double>(false, false, 4, 1, Gemm.BestIsa));
    }

    private static unsafe Product<T> Dots<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
        {
            Assert.True(GemmDots.Applies<T>(ta, tb, m, k, Gemm.BestIsa), $"the dot kernel should take {m}×{n}×{k}");
            fixed (T* pa = a, pb = b, pc = c) GemmDots.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Gemm.BestIsa, threads);
        };

    [Theory]
    [InlineData(1, 256, 784, 1.0, 0.0)]
    [InlineData(1, 7, 33, -0.5, 0.0)]
    [InlineData(2, 130, 300, 1.5, -0.25)]
    [InlineData(3, 1025, 100, 1.0, 1.0)]
    public void Dot_kernel_matches_the_naive_product_and_is_identical_for_every_thread_count(int m, int n, int k, double alpha, double beta)
    {
        if (Gemm.BestIsa is not (GemmIsa.Vector512 or GemmIsa.Vector256)) return; // the kernel is not used without 256-bit vectors
        var d = new GemmProblem<double>(false, true, m, n, k, alpha, beta, seed: 3 * n + k, padA: 1, padB: 2, padC: 1);
        var f = new GemmProblem<float>(false, true, m, n, k, alpha, beta, seed: 3 * n + k + 1, padA: 2, padB: 1, padC: 2);
        var one = d.Run(Dots<double>(1));
        d.AssertMatchesNaive(one, "dots double");
        var onef = f.Run(Dots<float>(1));
        f.AssertMatchesNaive(onef, "dots float");
        foreach (int threads in new[] { 2, 3 })
        {
            Assert.True(GemmProblem<double>.Bits(one).SequenceEqual(GemmProblem<double>.Bits(d.Run(Dots<double>(threads)))), $"double, {threads} threads");
            Assert.True(GemmProblem<float>.Bits(onef).SequenceEqual(GemmProblem<float>.Bits(f.Run(Dots<float>(threads)))), $"float, {threads} threads");
        }
    }

    [Theory]
    [InlineData(10, 784, 200, 2)]  // one k-block: the kept terms' chain is the full chain without its zero terms
    [InlineData(10, 300, 256, 3)]
    [InlineData(1, 64, 120, 2)]
    public void Skipping_zero_columns_gives_the_product_bit_for_bit_within_one_k_block_003_Prop_2_1(int m, int n, int k, int every)
    {
        // A as a Jacobian after a ReLU: every `every`-th column of A is zero (units that are off, 003 Prop 2.1).
        var rng = new MathDnn.Networks.Rng(11);
        var a = new double[m * k];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) a[i * k + p] = p % every == 0 ? 0 : rng.NextDouble() - 0.5;
        var b = new double[k * n];
        for (int i = 0; i < b.Length; i++) b[i] = rng.NextDouble() - 0.5;
        var skipped = new double[m * n];
        var full = new double[m * n];
        Blas.GemmSkippingZeroColumns<double>(m, n, k, a, k, b, n, skipped, n);
        Blas.Gemm(false, false, m, n, k, 1.0, a, k, b, n, 0.0, full, n);
        // fma(0, b, acc) = acc exactly (acc ≠ 0 here), so leaving the zero terms out changes no bit while k ≤ KC.
        Assert.True(GemmProblem<double>.Bits(full).SequenceEqual(GemmProblem<double>.Bits(skipped)), "skipping zero columns changed the product");
    }

    [Fact]
    public void Skipping_zero_columns_across_k_blocks_matches_the_naive_product()
    {
        int m = 10, n = 100, k = 900;
        var rng = new MathDnn.Networks.Rng(12);
        var a = new double[m * k];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) a[i * k + p] = p % 3 == 1 ? 0 : rng.NextDouble() - 0.5;
        var b = new double[k * n];
        for (int i = 0; i < b.Length; i++) b[i] = rng.NextDouble() - 0.5;
        var c = new double[m * n];
        Blas.GemmSkippingZeroColumns<double>(m, n, k, a, k, b, n, c, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double exact = 0, abs = 0;
                for (int p = 0; p < k; p++) { exact += a[i * k + p] * b[p * n + j]; abs += Math.Abs(a[i * k + p] * b[p * n + j]); }
                // Both sums have ≤ 2k roundings of partial sums bounded by Σ|a b|: |Δ| ≤ 2·2k·u·Σ|a b| = 2k·ε·Σ|a b|.
                Assert.True(Math.Abs(c[i * n + j] - exact) <= 2 * k * 2.220446049250313e-16 * abs, $"({i}, {j})");
            }
    }
}
