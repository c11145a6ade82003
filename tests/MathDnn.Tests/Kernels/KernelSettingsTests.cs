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
                KernelSettings.Backend = GemmBackend.Auto;
                Assert.Equal(GemmBackend.OpenBlas, KernelSettings.ActiveBackendKind);
            }
            else
            {
                var e = Assert.Throws<ArgumentException>(() => KernelSettings.Backend = GemmBackend.OpenBlas);
                Assert.Contains("libopenblas.so.0", e.Message);
                KernelSettings.Backend = GemmBackend.Auto;
                Assert.Equal(GemmBackend.Managed, KernelSettings.ActiveBackendKind);
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
}
