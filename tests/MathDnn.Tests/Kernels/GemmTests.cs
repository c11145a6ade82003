using MathDnn.Kernels;

namespace MathDnn.Tests.Kernels;

/// <summary>
/// The packed managed GEMM (Kernels/Gemm.cs) against the naive triple loop: every transpose combination, edge sizes
/// around the micro-tile (MR = 6, NR = 2 vectors) and the cache blocks (KC = 256, MC = 144 doubles / 288 floats,
/// NC = 4096), strided operands, several α and β, double and float, at every vector width.
/// </summary>
public class GemmTests
{
    private static readonly (bool, bool)[] Transposes = [(false, false), (false, true), (true, false), (true, true)];

    // (m, n, k): single entries, MR ± 1 and NR ± 1 for each vector width (NR = 2, 4, 8, 16, 32), k = 1,
    // k crossing KC = 256, m crossing MC (144 doubles, 288 floats), n crossing NC = 4096.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 5, 3), (5, 1, 2), (5, 7, 1), (6, 8, 1), (7, 9, 4), (6, 16, 5), (7, 17, 6), (11, 31, 9),
        (13, 33, 300), (12, 15, 256), (5, 3, 257), (151, 9, 20), (289, 5, 7), (2, 4100, 3),
    ];

    private static readonly (double Alpha, double Beta)[] Scalars = [(1, 0), (-0.5, 0), (2, 1), (1.5, -0.25), (1, 1)];

    private static readonly GemmIsa[] Isas = [GemmIsa.Scalar, GemmIsa.Vector128, GemmIsa.Vector256, GemmIsa.Vector512];

    private static IEnumerable<GemmProblem<T>> Problems<T>(bool integer) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int index = 0;
        foreach (var (ta, tb) in Transposes)
            foreach (var (m, n, k) in Shapes)
            {
                // Integer problems use powers of two for α and β so that every result is exact.
                var (alpha, beta) = integer ? (index % 2 == 0 ? (0.5, 0.0) : (2.0, -1.0)) : Scalars[index % Scalars.Length];
                int pad = index % 3 == 0 ? 0 : index % 3 + 2;
                yield return new GemmProblem<T>(ta, tb, m, n, k, alpha, beta, seed: 100 + index,
                    padA: pad, padB: 2 * pad % 5, padC: pad == 0 ? 0 : 1, integer: integer);
                index++;
            }
    }

    [Theory]
    [InlineData(nameof(GemmIsa.Scalar))]
    [InlineData(nameof(GemmIsa.Vector128))]
    [InlineData(nameof(GemmIsa.Vector256))]
    [InlineData(nameof(GemmIsa.Vector512))]
    public void Packed_kernel_matches_the_naive_product_in_double(string width)
    {
        var isa = Enum.Parse<GemmIsa>(width);
        foreach (var problem in Problems<double>(integer: false))
            problem.AssertMatchesNaive(problem.Run(Products.Managed<double>(isa, threads: 1)), $"{isa} double");
    }

    [Theory]
    [InlineData(nameof(GemmIsa.Scalar))]
    [InlineData(nameof(GemmIsa.Vector128))]
    [InlineData(nameof(GemmIsa.Vector256))]
    [InlineData(nameof(GemmIsa.Vector512))]
    public void Packed_kernel_matches_the_naive_product_in_float(string width)
    {
        var isa = Enum.Parse<GemmIsa>(width);
        foreach (var problem in Problems<float>(integer: false))
            problem.AssertMatchesNaive(problem.Run(Products.Managed<float>(isa, threads: 1)), $"{isa} float");
    }

    [Theory]
    [InlineData(nameof(GemmIsa.Scalar))]
    [InlineData(nameof(GemmIsa.Vector256))]
    [InlineData(nameof(GemmIsa.Vector512))]
    public void Packed_kernel_is_exact_on_small_integers(string width)
    {
        var isa = Enum.Parse<GemmIsa>(width);
        // Entries in {−3..3}, k ≤ 300: |Σ| ≤ 9·300 < 2²⁴, α, β ∈ {0.5, 2, −1}: every intermediate is an integer or a
        // half below 2²⁴, exact in float and double, so the product must equal the naive one exactly.
        foreach (var problem in Problems<double>(integer: true))
            problem.AssertMatchesNaive(problem.Run(Products.Managed<double>(isa, threads: 1)), $"{isa} double integer");
        foreach (var problem in Problems<float>(integer: true))
            problem.AssertMatchesNaive(problem.Run(Products.Managed<float>(isa, threads: 1)), $"{isa} float integer");
    }

    [Fact]
    public void Dispatcher_matches_the_naive_product_including_empty_and_zero_k_products()
    {
        // Blas.Gemm: the active backend, the small-product path, and the cases it handles itself.
        (int, int, int)[] degenerate = [(0, 5, 3), (4, 0, 3), (4, 5, 0), (3, 2, 0), (64, 48, 80), (3, 3, 3), (1, 40, 30), (3, 50, 20), (40, 1, 30), (40, 2, 30)];
        foreach (var (ta, tb) in Transposes)
            foreach (var (m, n, k) in degenerate)
                foreach (var (alpha, beta) in Scalars)
                {
                    var d = new GemmProblem<double>(ta, tb, m, n, k, alpha, beta, seed: m * 31 + n * 7 + k, padA: 1, padB: 2, padC: 3);
                    d.AssertMatchesNaive(d.Run(Products.Dispatcher<double>()), "Blas.Gemm double");
                    var f = new GemmProblem<float>(ta, tb, m, n, k, alpha, beta, seed: m * 31 + n * 7 + k, padA: 2, padC: 1);
                    f.AssertMatchesNaive(f.Run(Products.Dispatcher<float>()), "Blas.Gemm float");
                    f.AssertMatchesNaive(f.Run(Products.Reference<float>()), "Blas.GemmReference float");
                }
    }

    [Fact]
    public void Alpha_zero_scales_C_by_beta_without_reading_A_or_B()
    {
        // α = 0: C ← β·C; A holds NaN, which must not reach C. C = [1, −2; 3, 4], β = 3 → [3, −6; 9, 12].
        double[] a = [double.NaN, double.NaN, double.NaN, double.NaN], b = [double.NaN, double.NaN, double.NaN, double.NaN];
        double[] c = [1, -2, 3, 4];
        Blas.Gemm(false, false, 2, 2, 2, 0.0, a, 2, b, 2, 3.0, c, 2);
        Assert.Equal([3.0, -6.0, 9.0, 12.0], c);
    }

    [Fact]
    public void Hand_computed_product_with_all_transposes()
    {
        // A = [1 2 3; 4 5 6] (2×3), B = [7 8; 9 10; 11 12] (3×2):
        // A·B = [1·7+2·9+3·11, 1·8+2·10+3·12; 4·7+5·9+6·11, 4·8+5·10+6·12] = [58 64; 139 154].
        // With α = 2, β = −1 and C = [1 1; 1 1]: [115 127; 277 307].
        double[] a = [1, 2, 3, 4, 5, 6], at = [1, 4, 2, 5, 3, 6];
        double[] b = [7, 8, 9, 10, 11, 12], bt = [7, 9, 11, 8, 10, 12];
        double[] expected = [115, 127, 277, 307];
        foreach (var (ta, tb) in Transposes)
        {
            double[] c = [1, 1, 1, 1];
            Blas.Gemm(ta, tb, 2, 2, 3, 2.0, ta ? at : a, ta ? 2 : 3, tb ? bt : b, tb ? 3 : 2, -1.0, c, 2);
            Assert.Equal(expected, c);
            // The same through the packed kernel at every width (the dispatcher sends 2×2×3 to the small path).
            foreach (var isa in Isas)
            {
                double[] c2 = [1, 1, 1, 1];
                Products.Managed<double>(isa, 1)(ta, tb, 2, 2, 3, 2.0, ta ? at : a, ta ? 2 : 3, tb ? bt : b, tb ? 3 : 2, -1.0, c2, 2);
                Assert.Equal(expected, c2);
            }
        }
    }

    [Fact]
    public void All_vector_widths_agree_bit_for_bit()
    {
        // Every width runs the same fused chain per entry with the same KC, so the results are identical, not just close.
        foreach (var (ta, tb) in Transposes)
        {
            var d = new GemmProblem<double>(ta, tb, 70, 45, 300, 1.5, -0.25, seed: 5, padA: 1, padB: 3, padC: 2);
            var f = new GemmProblem<float>(ta, tb, 70, 45, 300, 1.5, -0.25, seed: 6, padA: 2, padB: 1);
            byte[] d0 = GemmProblem<double>.Bits(d.Run(Products.Managed<double>(GemmIsa.Scalar, 1)));
            byte[] f0 = GemmProblem<float>.Bits(f.Run(Products.Managed<float>(GemmIsa.Scalar, 1)));
            foreach (var isa in Isas)
            {
                Assert.True(d0.SequenceEqual(GemmProblem<double>.Bits(d.Run(Products.Managed<double>(isa, 1)))), $"{isa} double differs from scalar");
                Assert.True(f0.SequenceEqual(GemmProblem<float>.Bits(f.Run(Products.Managed<float>(isa, 1)))), $"{isa} float differs from scalar");
            }
        }
    }

    [Fact]
    public unsafe void Any_partition_of_C_into_rectangles_gives_the_same_bits()
    {
        // The property behind thread-count invariance: computing C by rectangles (here cut at odd offsets, in a
        // scrambled order) gives exactly the whole product.
        var p = new GemmProblem<double>(true, false, 61, 53, 270, 0.75, 0.5, seed: 9, padA: 2, padB: 1, padC: 3);
        byte[] whole = GemmProblem<double>.Bits(p.Run(Products.Managed<double>(Gemm.BestIsa, 1)));
        var c = (double[])p.C0.Clone();
        fixed (double* pa = p.A, pb = p.B, pc = c)
        {
            var args = new GemmArgs<double>(p.TransA, p.TransB, p.M, p.N, p.K, p.Alpha, pa, p.Lda, pb, p.Ldb, p.Beta, pc, p.Ldc, Gemm.BestIsa);
            (int, int, int, int)[] pieces = [(7, 61, 13, 53), (0, 7, 0, 29), (7, 61, 0, 13), (0, 7, 29, 53)];
            foreach (var (i0, i1, j0, j1) in pieces) Gemm.Rect(args, i0, i1, j0, j1);
        }
        Assert.True(whole.SequenceEqual(GemmProblem<double>.Bits(c)));
    }

    [Fact]
    public void Results_are_bit_identical_for_one_two_and_three_threads()
    {
        // Both shapes are above the parallel threshold and k crosses KC; 100×130 is split by columns, 160×40 by rows.
        foreach (var (ta, tb) in Transposes)
        foreach (var (m, n, k) in new[] { (100, 130, 300), (160, 40, 270) })
        {
            var d = new GemmProblem<double>(ta, tb, m, n, k, 1.0, 0.5, seed: 21, padA: 1, padC: 2);
            var f = new GemmProblem<float>(ta, tb, m, n, k, 1.0, 0.0, seed: 22, padB: 3);
            byte[] d1 = GemmProblem<double>.Bits(d.Run(Products.Managed<double>(Gemm.BestIsa, 1)));
            byte[] f1 = GemmProblem<float>.Bits(f.Run(Products.Managed<float>(Gemm.BestIsa, 1)));
            foreach (int threads in new[] { 2, 3 })
            {
                Assert.True(d1.SequenceEqual(GemmProblem<double>.Bits(d.Run(Products.Managed<double>(Gemm.BestIsa, threads)))), $"double, {threads} threads");
                Assert.True(f1.SequenceEqual(GemmProblem<float>.Bits(f.Run(Products.Managed<float>(Gemm.BestIsa, threads)))), $"float, {threads} threads");
            }
            d.AssertMatchesNaive(d.Run(Products.Managed<double>(Gemm.BestIsa, 2)), "double, 2 threads");
        }
    }

    [Fact]
    public unsafe void The_parallel_path_really_runs_on_two_threads()
    {
        // Gemm.Run reports how many threads took part; another test's product may hold the workers for a moment
        // (then this one runs alone, with the same result), so try a few times.
        var p = new GemmProblem<double>(false, true, 120, 120, 120, 1, 0, seed: 3);
        var c = (double[])p.C0.Clone();
        int participants = 0;
        for (int attempt = 0; attempt < 200 && participants < 2; attempt++)
        {
            fixed (double* pa = p.A, pb = p.B, pc = c)
                participants = Gemm.Run(false, true, p.M, p.N, p.K, 1.0, pa, p.Lda, pb, p.Ldb, 0.0, pc, p.Ldc, Gemm.BestIsa, 2);
            if (participants < 2) Thread.Sleep(5);
        }
        Assert.Equal(2, participants);
        p.AssertMatchesNaive(c, "two threads");
    }

    [Fact]
    public async Task Products_after_pauses_longer_than_the_workers_spin_complete_with_the_one_thread_bits()
    {
        // Idle workers spin ≈ 1 ms, then announce that they sleep and block until woken: pauses of 0–4 ms between
        // products reach the worker in each of those phases. Every product must finish with its one-thread bits.
        var p = new GemmProblem<double>(false, false, 150, 140, 130, 1, 0, seed: 9);
        var expected = GemmProblem<double>.Bits(p.Run(Products.Managed<double>(Gemm.BestIsa, 1)));
        var run = Task.Run(() =>
        {
            for (int r = 0; r < 40; r++)
            {
                Thread.Sleep(r % 5);
                var c = p.Run(Products.Managed<double>(Gemm.BestIsa, 2));
                Assert.True(GemmProblem<double>.Bits(c).SequenceEqual(expected), $"round {r}");
            }
        });
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))));
        await run;
    }

    [Fact]
    public void Concurrent_callers_share_the_workers_without_mixing_their_products()
    {
        // Four threads each run 25 two-thread products of different shapes at once: one holds the workers, the
        // others run alone, late workers must never touch a finished product. Every result must equal its one-thread bits.
        var problems = Enumerable.Range(0, 4)
            .Select(t => new GemmProblem<double>(t % 2 == 0, t >= 2, 100 + 7 * t, 110 - 5 * t, 120 + t, 1, 0.5, seed: 40 + t, padA: t))
            .ToArray();
        var expected = problems.Select(p => GemmProblem<double>.Bits(p.Run(Products.Managed<double>(Gemm.BestIsa, 1)))).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int r = 0; r < 25; r++)
            {
                var c = problems[t].Run(Products.Managed<double>(Gemm.BestIsa, 2));
                if (!GemmProblem<double>.Bits(c).SequenceEqual(expected[t])) failures.Add($"caller {t}, round {r}");
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        Assert.Empty(failures);
    }

    [Fact]
    public unsafe void A_steady_state_product_allocates_nothing()
    {
        var p = new GemmProblem<double>(false, false, 96, 200, 300, 1, 0, seed: 4);
        var c = (double[])p.C0.Clone();
        fixed (double* pa = p.A, pb = p.B, pc = c)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.Run(false, false, p.M, p.N, p.K, 1.0, pa, p.Lda, pb, p.Ldb, 0.0, pc, p.Ldc, Gemm.BestIsa, threads);
                // Steady state is after the JIT has settled: an on-stack replacement of a loop still at tier 0 can allocate
                // ≈ 8 KB once (seen in 1 run of 10 with other tests running, never with DOTNET_TC_OnStackReplacement=0).
                // So the least of up to five calls; an allocation of the product itself is in every one.
                var measured = new List<long>();
                for (int attempt = 0; attempt < 5 && (measured.Count == 0 || measured.Min() > 0); attempt++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    Gemm.Run(false, false, p.M, p.N, p.K, 1.0, pa, p.Lda, pb, p.Ldb, 0.0, pc, p.Ldc, Gemm.BestIsa, threads);
                    measured.Add(GC.GetAllocatedBytesForCurrentThread() - before);
                }
                Assert.True(measured.Min() == 0, $"{string.Join(", ", measured)} bytes with {threads} thread(s)");
            }
        }
    }

    [Fact]
    public void A_steady_state_call_of_the_dispatcher_allocates_nothing()
    {
        // Blas.Gemm checks the operands on every call; it must not build its messages unless it throws.
        double[] a = new double[40 * 30], b = new double[30 * 50], c = new double[40 * 50];
        Blas.Gemm(false, true, 40, 50, 30, 1.0, a, 30, b, 30, 0.0, c, 50);
        // The least of up to five batches, as in A_steady_state_product_allocates_nothing (the JIT may allocate once).
        var measured = new List<long>();
        for (int attempt = 0; attempt < 5 && (measured.Count == 0 || measured.Min() > 0); attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int r = 0; r < 10; r++) Blas.Gemm(false, true, 40, 50, 30, 1.0, a, 30, b, 30, 0.0, c, 50);
            measured.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(measured.Min() == 0, $"{string.Join(", ", measured)} bytes in 10 calls");
    }

    [Fact]
    public void OpenBlas_agrees_with_the_managed_kernel_or_the_managed_backend_is_active()
    {
        if (!KernelSettings.OpenBlasAvailable)
        {
            // No libopenblas here (as on CI): with MATHDNN_BACKEND unset or auto, products run on the managed kernel.
            Assert.Equal(GemmBackend.Managed, KernelSettings.ActiveBackendKind);
            Assert.StartsWith("managed", KernelSettings.ActiveBackend);
            return;
        }
        foreach (var (ta, tb) in Transposes)
            foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 17, 6), (13, 33, 300), (100, 130, 90) })
            {
                var d = new GemmProblem<double>(ta, tb, m, n, k, 1.5, -0.25, seed: m + n + k, padA: 1, padB: 2, padC: 3);
                var f = new GemmProblem<float>(ta, tb, m, n, k, 1.0, 0.0, seed: m + n, padA: 2, padC: 1);
                d.AssertMatchesNaive(d.Run(Products.OpenBlas<double>(2)), "OpenBLAS double");
                // Same thread count, same bits (what the library's determinism needs from a backend).
                Assert.True(GemmProblem<double>.Bits(d.Run(Products.OpenBlas<double>(2))).SequenceEqual(GemmProblem<double>.Bits(d.Run(Products.OpenBlas<double>(2)))));
                f.AssertMatchesNaive(f.Run(Products.OpenBlas<float>(2)), "OpenBLAS float");
                // Managed and native each lie within (2k + 3)·u·S of the exact product, so within (2k + 3)·ε·S of each other.
                var managed = d.Run(Products.Managed<double>(Gemm.BestIsa, 2));
                var native = d.Run(Products.OpenBlas<double>(2));
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += Math.Abs(d.OpA(i, p) * d.OpB(p, j));
                        double scale = 1.5 * s + 0.25 * Math.Abs(d.C0[i * d.Ldc + j]);
                        Assert.True(Math.Abs(managed[i * d.Ldc + j] - native[i * d.Ldc + j]) <= (2 * k + 3) * (Math.BitIncrement(1.0) - 1.0) * scale,
                            $"managed vs OpenBLAS at [{i},{j}], {d}");
                    }
            }
    }

    [Fact]
    public async Task OpenBlas_threads_stopped_while_products_run_restart_with_the_same_bits()
    {
        // NativeBlas.ParkThreads (the calibration's) waits for running OpenBLAS products and the next product starts the
        // threads again: products on other threads meanwhile give the bits of an undisturbed product, and nothing crashes.
        if (!KernelSettings.OpenBlasAvailable) return; // nothing to stop (asserted by the test above)
        var d = new GemmProblem<double>(false, false, 200, 190, 180, 1.0, 0.0, seed: 11);
        var expected = GemmProblem<double>.Bits(d.Run(Products.OpenBlas<double>(2)));
        bool parks = NativeBlas.ParkThreads();
        Assert.True(GemmProblem<double>.Bits(d.Run(Products.OpenBlas<double>(2))).SequenceEqual(expected), "after a stop");
        // Each of two threads runs 20 products (however late the pool starts it); the stops go on until both are done.
        var products = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (int r = 0; r < 20; r++)
                Assert.True(GemmProblem<double>.Bits(d.Run(Products.OpenBlas<double>(2))).SequenceEqual(expected), $"during stops, product {r}");
        })).ToArray();
        int stops = 0;
        while (!products.All(t => t.IsCompleted)) { if (NativeBlas.ParkThreads()) stops++; await Task.Delay(1); }
        await Task.WhenAll(products); // rethrows a failed comparison
        Assert.True(!parks || stops > 0); // the library exports blas_thread_shutdown_ (Debian's does): it was exercised
    }

    [Fact]
    public void Operands_too_short_for_their_shape_are_rejected_with_the_shapes_named()
    {
        double[] a = new double[6], b = new double[6], c = new double[4];
        // op(A) = A is 2×3 with lda = 3 needs 6 entries; with lda = 4 it needs (2 − 1)·4 + 3 = 7.
        var e = Assert.Throws<ArgumentException>(() => Blas.Gemm(false, false, 2, 2, 3, 1.0, a, 4, b, 2, 0.0, c, 2));
        Assert.Contains("Matrix product", e.Message);
        Assert.Contains("needs 7 entries, got 6", e.Message);
        // lda smaller than the number of stored columns.
        e = Assert.Throws<ArgumentException>(() => Blas.Gemm(false, false, 2, 2, 3, 1.0, a, 2, b, 2, 0.0, c, 2));
        Assert.Contains("A has 3 columns, but its row stride is 2", e.Message);
        // Bᵀ: op(B) is 3×2, B is stored 2×3 with ldb = 3: 6 entries fit; C with ldc = 3 needs (2 − 1)·3 + 2 = 5 > 4.
        e = Assert.Throws<ArgumentException>(() => Blas.Gemm(false, true, 2, 2, 3, 1.0, a, 3, b, 3, 0.0, c, 3));
        Assert.Contains("C is 2×2", e.Message);
        e = Assert.Throws<ArgumentException>(() => Blas.Gemm(false, false, -1, 2, 3, 1.0, a, 3, b, 2, 0.0, c, 2));
        Assert.Contains("m = -1", e.Message);
    }
}
