using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Tests.Cli;

public class BenchCommandTests
{
    // --samples (hidden) keeps the synthetic set tiny: 1,280 training samples (10 batches of 128), 1280/6 = 213 test samples.
    private static readonly string[] Tiny = ["bench", "--data", "synthetic", "--samples", "1280", "--warmup-steps", "2"];

    [Fact]
    public void Json_reports_the_throughput_the_GEMM_rate_the_backend_and_the_accuracy_of_the_MNIST_scenario()
    {
        var j = CliHarness.Run([.. Tiny, "--epochs", "2", "--json"]).AssertOk().Json();
        Assert.True(j.GetProperty("samples_per_second").GetDouble() > 0);
        Assert.Equal("float64", j.GetProperty("precision").GetString());
        Assert.Equal(KernelSettings.ActiveBackend, j.GetProperty("backend").GetString());
        Assert.Equal(Environment.ProcessorCount, j.GetProperty("threads").GetInt32());
        Assert.True(j.GetProperty("gemm_gflops").GetDouble() > 0);
        Assert.Equal("synthetic", j.GetProperty("dataset").GetString());
        Assert.Equal((1280, 213, 2, 128, 2), (j.GetProperty("train_samples").GetInt32(), j.GetProperty("test_samples").GetInt32(),
            j.GetProperty("epochs").GetInt32(), j.GetProperty("batch").GetInt32(), j.GetProperty("warmup_steps").GetInt32()));
        Assert.Equal(2, j.GetProperty("epoch_seconds").GetArrayLength());
        // 784-256-128-10: 784·256 + 256 + 256·128 + 128 + 128·10 + 10 = 235,146 parameters.
        Assert.Equal(235_146, j.GetProperty("parameters").GetInt32());
        // The throughput is the samples of the timed window over its time: (2 × 1280 − 128) / seconds.
        Assert.Equal((2 * 1280 - 128) / j.GetProperty("seconds").GetDouble(), j.GetProperty("samples_per_second").GetDouble(), 0.05 * j.GetProperty("samples_per_second").GetDouble());
        // Learnable: two class prototypes differ in ≈ 2·0.2·0.8·784 ≈ 250 pixels while a sample keeps 80 % of its
        // prototype's ink and has 5 % noise pixels, so 20 steps of SGD separate the classes well (far above 10 % chance).
        double accuracy = j.GetProperty("test_accuracy").GetDouble();
        Assert.InRange(accuracy, 0.9, 1.0);
    }

    [Fact]
    public void Float32_runs_the_same_scenario_and_the_human_output_names_the_backend_and_what_is_timed()
    {
        var j = CliHarness.Run([.. Tiny, "--epochs", "2", "--precision", "float32", "--json"]).AssertOk().Json();
        Assert.Equal("float32", j.GetProperty("precision").GetString());
        Assert.True(j.GetProperty("gemm_gflops").GetDouble() > 0);

        var r = CliHarness.Run([.. Tiny, "--epochs", "1"]).AssertOk();
        Assert.Contains($"backend    {KernelSettings.ActiveBackend}, {Environment.ProcessorCount} thread", r.Out);
        Assert.Contains("dataset    synthetic, MNIST-shaped", r.Out);
        Assert.Matches(@"(?m)^epoch 1/1  loss \d\.\d{4}  accuracy \d\.\d{4}  ", r.Out);
        Assert.Matches(@"(?m)^training samples/s\s+[\d,]+$", r.Out);
        Assert.Matches(@"(?m)^timed\s+1 × 1,280 − 128 samples in ", r.Out);
        Assert.Matches(@"(?m)^GEMM 512³ GFLOP/s\s+\d+\.\d \(float64, best of 5 windows of 20 ms\)$", r.Out);
    }

    [Fact]
    public void Export_run_writes_the_initial_parameters_and_the_engines_batch_orders_for_PyTorch()
    {
        using var h = new CliHarness();
        var r = CliHarness.Run([.. Tiny, "--epochs", "2", "--seed", "5", "--export-run", h.P("start")]).AssertOk();
        Assert.Contains("wrote 235,146 initial parameters and 2 epoch order(s) of 1,280 samples", r.Out);
        var theta = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(h.P("start/theta.f64"))).ToArray();
        Assert.Equal(Network.MultiClass([784, 256, 128, 10], seed: 5).Parameters.ToArray(), theta);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Sgd(0.1)) { Seed = 5 };
        foreach (int epoch in new[] { 1, 2 })
        {
            var order = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(File.ReadAllBytes(h.P($"start/order-{epoch}.i32"))).ToArray();
            Assert.Equal(Trainer.EpochOrder(options, epoch, 1280), order);
        }
        Assert.False(File.Exists(h.P("start/order-3.i32")));
        var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(h.P("start/run.json"))).RootElement;
        Assert.Equal((235_146, 1280, 2), (run.GetProperty("parameters").GetInt32(), run.GetProperty("train_samples").GetInt32(), run.GetProperty("epochs").GetInt32()));
    }

    [Fact]
    public void Export_run_writes_its_files_all_or_none_and_a_failing_one_leaves_the_old_ones_as_they_were()
    {
        using var h = new CliHarness();
        var folder = Directory.CreateDirectory(h.P("start")).FullName;
        File.WriteAllText(Path.Combine(folder, "theta.f64"), "an older run");
        Directory.CreateDirectory(Path.Combine(folder, "order-2.i32")); // an output that cannot be written: a folder
        CliHarness.Run([.. Tiny, "--epochs", "2", "--export-run", folder]).AssertBadInput($"--export-run {Path.Combine(folder, "order-2.i32")}");
        Assert.Equal("an older run", File.ReadAllText(Path.Combine(folder, "theta.f64")));
        Assert.False(File.Exists(Path.Combine(folder, "order-1.i32")) || File.Exists(Path.Combine(folder, "run.json")));
        Assert.Equal([Path.Combine(folder, "order-2.i32"), Path.Combine(folder, "theta.f64")], Directory.EnumerateFileSystemEntries(folder).Order());
    }

    [Fact]
    public void Bad_options_are_bad_input()
    {
        CliHarness.Run("bench", "--precision", "float16").AssertBadInput("float16");
        CliHarness.Run("bench", "--threads", "0").AssertBadInput("--threads 0: must be ≥ 1");
        CliHarness.Run("bench", "--epochs", "0").AssertBadInput("--epochs 0: must be ≥ 1");
        CliHarness.Run("bench", "--data", "mnist", "--samples", "600").AssertBadInput("--samples: applies to the synthetic set");
        using var h = new CliHarness();
        CliHarness.Run("bench", "--data", "mnist", "--mnist-dir", h.P("none")).AssertBadInput("no such folder");
        File.WriteAllText(h.P("a-file"), "x");
        CliHarness.Run([.. Tiny, "--export-run", h.P("a-file")]).AssertBadInput($"--export-run {h.P("a-file")}: ");
        Assert.Equal("x", File.ReadAllText(h.P("a-file"))); // untouched
    }

    [Fact]
    public void Train_prints_the_backend_and_its_JSON_has_it()
    {
        var r = CliHarness.Run("train", "--data", "xor", "--epochs", "1").AssertOk();
        Assert.Contains($"backend   {KernelSettings.ActiveBackend}, {KernelSettings.MaxThreads} thread", r.Out);
        var j = CliHarness.Run("train", "--data", "xor", "--epochs", "1", "--json").AssertOk().Json();
        Assert.Equal(KernelSettings.ActiveBackend, j.GetProperty("backend").GetString());
        Assert.True(j.GetProperty("threads").GetInt32() >= 1);
    }
}

/// <summary><c>bench --threads</c> changes the process-wide <see cref="KernelSettings.MaxThreads"/>: it runs alone.</summary>
[Collection(nameof(MathDnn.Tests.Kernels.KernelSettingsCollection))]
public class BenchThreadsTests
{
    [Fact]
    public void Threads_sets_KernelSettings_MaxThreads_for_the_run_and_restores_it()
    {
        int before = KernelSettings.MaxThreads;
        var j = CliHarness.Run("bench", "--data", "synthetic", "--samples", "1280", "--warmup-steps", "1", "--epochs", "1", "--threads", "1", "--json")
            .AssertOk().Json();
        Assert.Equal(1, j.GetProperty("threads").GetInt32());
        Assert.Equal(before, KernelSettings.MaxThreads);
    }
}
