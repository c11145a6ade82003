using MathDnn.Kernels;

namespace MathDnn.Tests.Kernels;

/// <summary>Tests that change the process-wide kernel settings run alone, so no other product sees the change.</summary>
[CollectionDefinition(nameof(KernelSettingsCollection), DisableParallelization = true)]
public class KernelSettingsCollection;

[Collection(nameof(KernelSettingsCollection))]
public class KernelSettingsTests
{
    [Fact]
    public void MaxThreads_below_one_is_rejected_and_left_unchanged()
    {
        int before = KernelSettings.MaxThreads;
        var e = Assert.Throws<ArgumentException>(() => KernelSettings.MaxThreads = 0);
        Assert.Contains("MaxThreads must be at least 1, got 0", e.Message);
        Assert.Equal(before, KernelSettings.MaxThreads);
    }

    [Fact]
    public void Default_thread_count_is_the_processor_count()
    {
        // No test leaves another value behind (each restores it), so the default is still in force.
        Assert.Equal(Environment.ProcessorCount, KernelSettings.MaxThreads);
    }

    [Theory]
    [InlineData(null, GemmBackend.Auto)]
    [InlineData("", GemmBackend.Auto)]
    [InlineData("auto", GemmBackend.Auto)]
    [InlineData(" Managed ", GemmBackend.Managed)]
    public void Backend_variable_is_parsed(string? value, GemmBackend expected) =>
        Assert.Equal(expected, KernelSettings.FromEnvironment(value));

    [Fact]
    public void Backend_variable_rejects_unknown_values_and_an_absent_OpenBlas()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelSettings.FromEnvironment("fast"));
        Assert.Contains("MATHDNN_BACKEND='fast'", e.Message);
        if (KernelSettings.OpenBlasAvailable)
            Assert.Equal(GemmBackend.OpenBlas, KernelSettings.FromEnvironment("OpenBLAS"));
        else
            Assert.Contains("none of", Assert.Throws<ArgumentException>(() => KernelSettings.FromEnvironment("openblas")).Message);
    }

    [Fact]
    public void Choosing_the_backend_changes_the_active_one()
    {
        var before = KernelSettings.Backend;
        try
        {
            KernelSettings.Backend = GemmBackend.Managed;
            Assert.Equal(GemmBackend.Managed, KernelSettings.ActiveBackendKind);
            Assert.StartsWith("managed (", KernelSettings.ActiveBackend);
            if (KernelSettings.OpenBlasAvailable)
            {
                KernelSettings.Backend = GemmBackend.OpenBlas;
                Assert.Equal(GemmBackend.OpenBlas, KernelSettings.ActiveBackendKind);
                Assert.StartsWith("OpenBLAS (", KernelSettings.ActiveBackend);
                // Auto takes, per precision, what its calibration measured faster.
                KernelSettings.Backend = GemmBackend.Auto;
                var calibration = KernelSettings.Calibration!;
                Assert.Equal(calibration.Double, KernelSettings.ActiveBackendKind);
                Assert.Equal(calibration.Float, KernelSettings.ActiveBackendKindOf<float>());
                Assert.StartsWith("auto → ", KernelSettings.ActiveBackend);
                Assert.Contains(calibration.ToString(), KernelSettings.ActiveBackend);
            }
            else
            {
                var e = Assert.Throws<ArgumentException>(() => KernelSettings.Backend = GemmBackend.OpenBlas);
                Assert.Contains("libopenblas.so.0", e.Message);
                KernelSettings.Backend = GemmBackend.Auto;
                Assert.Equal(GemmBackend.Managed, KernelSettings.ActiveBackendKind);
                Assert.Null(KernelSettings.Calibration); // nothing to choose between
            }
        }
        finally
        {
            KernelSettings.Backend = before;
        }
    }

    [Fact]
    public void Through_the_settings_the_managed_product_is_the_same_for_every_thread_count()
    {
        var before = (KernelSettings.Backend, KernelSettings.MaxThreads);
        try
        {
            KernelSettings.Backend = GemmBackend.Managed;
            var p = new GemmProblem<double>(false, true, 90, 150, 200, 1, 0, seed: 17, padB: 1);
            byte[]? first = null;
            foreach (int threads in new[] { 1, 2, 4 })
            {
                KernelSettings.MaxThreads = threads;
                var c = p.Run(Products.Dispatcher<double>());
                p.AssertMatchesNaive(c, $"{threads} threads");
                first ??= GemmProblem<double>.Bits(c);
                Assert.True(first.SequenceEqual(GemmProblem<double>.Bits(c)), $"{threads} threads differ from 1");
            }
        }
        finally
        {
            (KernelSettings.Backend, KernelSettings.MaxThreads) = before;
        }
    }

    [Fact]
    public void Auto_calibrates_once_per_process_and_reports_its_figures_a_forced_backend_none()
    {
        var before = (KernelSettings.Backend, KernelSettings.MaxThreads);
        try
        {
            KernelSettings.Backend = GemmBackend.Managed;
            Assert.Null(KernelSettings.Calibration);
            KernelSettings.Backend = GemmBackend.Auto;
            if (!KernelSettings.OpenBlasAvailable)
            {
                Assert.Null(KernelSettings.Calibration);
                Assert.Null(KernelSettings.Recalibrate());
                return;
            }
            var first = KernelSettings.Calibration!;
            Assert.Same(first, KernelSettings.Calibration); // measured once, then kept
            Assert.Equal(BackendCalibration.DefaultSize, first.Size);
            Assert.All(new[] { first.ManagedDouble, first.OpenBlasDouble, first.ManagedFloat, first.OpenBlasFloat },
                rate => Assert.True(double.IsFinite(rate) && rate > 0, $"rate {rate}"));
            // The choices follow the rule from the measured times t = 2n³/rate (the common factor cancels), unless OpenBLAS
            // runs a core older than the CPU, which leaves the managed kernel.
            Assert.Equal(OpenBlasCore.LoadedMismatch is not null, first.OpenBlasCoreOlder);
            var rule = (double m, double o) => first.OpenBlasCoreOlder ? GemmBackend.Managed : BackendCalibration.Choose(1 / m, 1 / o);
            Assert.Equal(rule(first.ManagedDouble, first.OpenBlasDouble), first.Double);
            Assert.Equal(rule(first.ManagedFloat, first.OpenBlasFloat), first.Float);
            var older = BackendCalibration.Measure(32, 1, openBlasCoreOlder: true);
            Assert.Equal((GemmBackend.Managed, GemmBackend.Managed), (older.Double, older.Float));
            Assert.EndsWith("(OpenBLAS runs a core older than the CPU: managed)", older.ToString());
            // Recalibrating measures anew, at the default size on the current thread count, and auto follows the new measurement.
            var again = KernelSettings.Recalibrate()!;
            Assert.NotSame(first, again);
            Assert.Equal((BackendCalibration.DefaultSize, KernelSettings.MaxThreads), (again.Size, again.Threads));
            Assert.Same(again, KernelSettings.Calibration);
            Assert.Equal(again.Double, KernelSettings.ActiveBackendKind);
            Assert.Contains("must be in [16, 4096], got 8", Assert.Throws<ArgumentException>(() => KernelSettings.Recalibrate(8)).Message);
            Assert.Same(again, KernelSettings.Calibration); // a refused size measures nothing
            // Other sizes and thread counts, measured without installing the result.
            var small = BackendCalibration.Measure(64, 1);
            Assert.Equal((64, 1), (small.Size, small.Threads));
            Assert.True(small.ManagedDouble > 0 && small.OpenBlasFloat > 0 && small.Milliseconds > 0);
            Assert.Same(again, KernelSettings.Calibration);
        }
        finally
        {
            (KernelSettings.Backend, KernelSettings.MaxThreads) = before;
        }
    }

    [Theory]
    [InlineData(1.00, 0.79, GemmBackend.Managed)]   // 27 % faster: within the margin, the managed kernel stays
    [InlineData(1.00, 0.51, GemmBackend.Managed)]   // 1.96× as fast: still within it
    [InlineData(1.00, 0.49, GemmBackend.OpenBlas)]  // 2.04× as fast: OpenBLAS
    [InlineData(1.00, 1.50, GemmBackend.Managed)]
    [InlineData(1.00, double.NaN, GemmBackend.Managed)]
    [InlineData(1.00, double.PositiveInfinity, GemmBackend.Managed)]
    public void Calibration_takes_OpenBlas_only_when_it_is_more_than_twice_as_fast(double managed, double openBlas, GemmBackend expected) =>
        Assert.Equal(expected, BackendCalibration.Choose(managed, openBlas));

    [Theory]
    [InlineData("Prescott", 3, "OpenBLAS core Prescott (SSE) is older than this CPU's AVX-512: OPENBLAS_CORETYPE=SkylakeX gives it its best kernels")]
    [InlineData("haswell", 3, "OpenBLAS core haswell (AVX2) is older than this CPU's AVX-512: OPENBLAS_CORETYPE=SkylakeX gives it its best kernels")]
    [InlineData("Sandybridge", 2, "OpenBLAS core Sandybridge (AVX) is older than this CPU's AVX2: OPENBLAS_CORETYPE=Haswell gives it its best kernels")]
    [InlineData("SkylakeX", 3, null)]
    [InlineData("Zen", 2, null)]
    [InlineData("Cooperlake", 2, null)]
    [InlineData("SomeFutureCore", 3, null)] // unknown names are not judged
    public void An_OpenBlas_core_older_than_the_CPU_is_recognised_and_the_better_core_named(string core, int cpuLevel, string? expected) =>
        Assert.Equal(expected, OpenBlasCore.Mismatch(core, cpuLevel));

    [Fact]
    public void The_loaded_OpenBlas_core_is_judged_against_this_CPU()
    {
        if (!KernelSettings.OpenBlasAvailable)
        {
            Assert.Null(OpenBlasCore.LoadedMismatch);
            return;
        }
        Assert.NotEqual("", OpenBlasCore.Loaded); // 0.3.21 exports openblas_get_corename
        Assert.Equal(OpenBlasCore.Mismatch(OpenBlasCore.Loaded, OpenBlasCore.CpuVectorLevel), OpenBlasCore.LoadedMismatch);
        // The CPU's level agrees with .NET's view of its instructions.
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, OpenBlasCore.CpuVectorLevel == 3);
    }
}
