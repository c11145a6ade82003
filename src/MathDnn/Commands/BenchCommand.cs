using System.CommandLine;
using System.Diagnostics;
using MathDnn.Cli.Data;
using MathDnn.Cli.Distributed;
using MathDnn.Cli.Output;
using MathDnn.Data;
using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn bench</c>: the MNIST epoch scenario end to end, the one <c>bench/compare-pytorch.sh</c> runs in PyTorch too.
/// The network is 𝒩_c+ 784 → 256 → 128 → 10 of 003 Def 5.1 (<see cref="Network.MultiClass"/>: ReLU, softmax, He-normal
/// hidden weights, Glorot-uniform last weights, zero biases), the loss categorical cross-entropy on the softmax, the
/// optimizer SGD with momentum 0.9 in PyTorch's convention (b ← 0.9·b + g, θ ← θ − 0.01·b), batch 128, the mean
/// gradient over each batch, shuffled every epoch; the data MNIST from the IDX files, or <see cref="SyntheticMnist"/>
/// of the same shape when they are absent.
/// <para>
/// What is timed: first a warm-up — one <see cref="Trainer.Epoch"/> over the first <c>--warmup-steps</c> batches of the
/// training set, from the same initial network, whose result is discarded (300 steps, about half a second, let the
/// JIT's tiered compilation promote the hot paths; with 50 the first hundred timed steps ran 1.5× slower); then one
/// <see cref="Trainer.Fit"/> call running <c>--epochs</c> epochs over the whole training set, timed from the end of its
/// first step (its progress report) to the end of its last epoch: shuffling, gathering each batch, forward pass, loss,
/// backward pass, the optimizer update, the running loss and accuracy. Samples/s = (epochs × training samples − the
/// first batch) / that time. Fit's one-off set-up before the first step (copies of θ and, in float32, the conversion of
/// the training inputs, which PyTorch's script also does before its clock starts) is reported apart as
/// <c>setup_seconds</c>. Loading the data, building the network and evaluating the test set are not timed. The GEMM rate is that of one 512×512×512 product in the chosen precision on the active backend and threads
/// (<see cref="GemmRate"/>, best of 5 windows of back-to-back products).
/// </para>
/// <para>
/// Under <c>mpirun -np N</c> the run is data-parallel (one shard of every batch per rank, <see cref="Trainer.Fit"/> with the
/// ranks' communicator), samples/s counts the global batches, and the time spent in the collectives (the all-gather of the
/// shards' gradients, waiting for the slowest rank included) is reported per timed step as <c>communication_ms_per_step</c>
/// (0 in one process); rank 0 alone prints.
/// </para>
/// </summary>
internal static class BenchCommand
{
    public const int GemmSize = 512;
    public const int GemmWindows = 5;
    public const double LearningRate = 0.01;
    public const double Momentum = 0.9;
    public static readonly int[] Sizes = [784, 256, 128, 10];

    /// <summary>What the samples/s figure times, as the JSON document says it.</summary>
    public const string Timed =
        "Trainer.Fit over all epochs, from the end of its first step to the end of its last epoch (shuffling, batch gathering, forward, loss, " +
        "backward, optimizer update, running loss and accuracy); samples/s = (epochs × training samples − first batch) / that time. " +
        "Not timed: the discarded warm-up steps, Fit's one-off set-up (copies of θ and, in float32, of the training inputs) and first step, data loading, the test evaluation.";

    public static Command Create(Shell shell)
    {
        var precision = Option("--precision", "Element type of the training run and the GEMM: float64 or float32.", () => "float64", "float64|float32");
        precision.AcceptOnlyFromAmong("float64", "float32");
        var epochs = Option("--epochs", "Epochs to time (after the warm-up).", () => 3, "n");
        var threads = Option<int?>("--threads", "Threads of the matrix products (KernelSettings.MaxThreads, by default the processor count).", helpName: "n");
        var batch = Option("--batch", "Mini-batch size.", () => 128, "n");
        var data = Option("--data", "auto (MNIST when its files are in --mnist-dir, else synthetic), mnist or synthetic.", () => "auto", "auto|mnist|synthetic");
        data.AcceptOnlyFromAmong("auto", "mnist", "synthetic");
        var seed = Option("--seed", "Seeds the initial weights, the shuffling and the synthetic set.", () => 42, "n");
        var warmup = Option("--warmup-steps", "Training steps run and discarded before the timing starts.", () => 300, "n");
        var samples = new Option<int?>("--samples")
        {
            Description = "Synthetic training samples (test: a sixth of them); for quick tests.",
            Hidden = true,
        };
        var json = Json();
        var mnistDir = MnistDir();
        var exportRun = new Option<string?>("--export-run")
        {
            Description = "Write the initial parameters and every epoch's sample order into this folder and exit without training " +
                          "(bench/compare-pytorch.sh gives them to PyTorch: both sides then train from the same start on the same batches).",
            HelpName = "folder",
        };
        var command = new Command("bench", "Time the MNIST epoch scenario (784-256-128-10, SGD momentum 0.9, batch 128) and a 512³ GEMM; compare with bench/compare-pytorch.sh.")
        {
            precision, epochs, threads, batch, data, seed, warmup, json, mnistDir, samples, exportRun,
        };
        command.SetAction(parse => Cli.Guard(shell, () => Run(shell, new Settings(
            parse.GetValue(precision) == "float32" ? Precision.Float32 : Precision.Float64,
            parse.GetValue(epochs), parse.GetValue(threads) ?? KernelSettings.MaxThreads, parse.GetValue(threads) is not null, parse.GetValue(batch), parse.GetValue(data)!,
            parse.GetValue(seed), parse.GetValue(warmup), parse.GetValue(samples), parse.GetValue(json), parse.GetValue(mnistDir)!,
            parse.GetValue(exportRun)))));
        return command;
    }

    private sealed record Settings(Precision Precision, int Epochs, int Threads, bool ThreadsGiven, int Batch, string Data, int Seed, int WarmupSteps, int? Samples, bool Json, string MnistDir, string? ExportRun = null)
    {
        public string PrecisionName => Precision == Precision.Float32 ? "float32" : "float64";
    }

    private static int Run(Shell shell, Settings s)
    {
        var ranks = shell.Ranks; // under mpirun -np N: MPI_Init, and only rank 0 prints
        if (ranks.Distributed && s.ExportRun is not null) throw new BadInputException("--export-run: writes the run's start once; run it without mpirun.");
        if (s.Epochs < 1) throw new BadInputException($"--epochs {s.Epochs}: must be ≥ 1.");
        if (s.Threads < 1) throw new BadInputException($"--threads {s.Threads}: must be ≥ 1.");
        if (s.Batch < 1) throw new BadInputException($"--batch {s.Batch}: must be ≥ 1.");
        if (s.WarmupSteps < 0) throw new BadInputException($"--warmup-steps {s.WarmupSteps}: must be ≥ 0.");
        if (s.Samples is < 6) throw new BadInputException($"--samples {s.Samples}: must be ≥ 6 (the test set has a sixth of them).");
        if (s.Samples is not null && s.Data == "mnist") throw new BadInputException("--samples: applies to the synthetic set, not to --data mnist.");

        // KernelSettings are process-wide: changed only when --threads asks, and restored afterwards.
        if (!s.ThreadsGiven) return Measure(shell, s);
        int savedThreads = KernelSettings.MaxThreads;
        KernelSettings.MaxThreads = s.Threads;
        try
        {
            return Measure(shell, s);
        }
        finally
        {
            KernelSettings.MaxThreads = savedThreads;
        }
    }

    /// <summary>
    /// <c>--export-run</c>: theta.f64 (θ as little-endian doubles in the model's order: per layer W, out × in row-major, then
    /// b), order-&lt;epoch&gt;.i32 (each epoch's sample order as little-endian int32, <see cref="Trainer.EpochOrder"/>) and
    /// run.json describing them.
    /// </summary>
    private static int ExportRun(Shell shell, Settings s, Network network, TrainingOptions options, int count, string dataset)
    {
        if (!BitConverter.IsLittleEndian) throw new BadInputException("--export-run: writes little-endian files; this machine is big-endian.");
        string folder = s.ExportRun!;
        try
        {
            return WriteRun(shell, s, network, options, count, dataset, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"--export-run {folder}: {e.Message}");
        }
    }

    private static int WriteRun(Shell shell, Settings s, Network network, TrainingOptions options, int count, string dataset, string folder)
    {
        // A new folder changes no existing file; its files are checked first and written all or none (Outputs).
        Directory.CreateDirectory(folder);
        string In(string name) => Path.Combine(folder, name);
        string[] orders = [.. Enumerable.Range(1, s.Epochs).Select(e => In($"order-{e}.i32"))];
        using var outputs = new Outputs();
        foreach (var path in orders.Prepend(In("theta.f64")).Append(In("run.json"))) outputs.Declare(path, "--export-run");
        var theta = network.Parameters.ToArray();
        outputs.Stage(In("theta.f64"), f => f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(theta.AsSpan())));
        for (int e = 1; e <= s.Epochs; e++)
        {
            var order = Trainer.EpochOrder(options, e, count);
            outputs.Stage(orders[e - 1], f => f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(order.AsSpan())));
        }
        outputs.Stage(In("run.json"), JsonOut.Document(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("sizes");
            foreach (int size in Sizes) w.WriteNumberValue(size);
            w.WriteEndArray();
            w.WriteString("theta", "theta.f64: little-endian float64, per layer W (out × in, row-major) then b");
            w.WriteNumber("parameters", theta.Length);
            w.WriteString("orders", "order-<epoch>.i32: little-endian int32, epochs from 1; batch b is entries b·batch … b·batch + batch − 1");
            w.WriteNumber("epochs", s.Epochs);
            w.WriteNumber("train_samples", count);
            w.WriteString("dataset", dataset);
            w.WriteNumber("seed", s.Seed);
            w.WriteEndObject();
        }));
        outputs.Commit();
        shell.Out.WriteLine($"bench: wrote {theta.Length:N0} initial parameters and {s.Epochs} epoch order(s) of {count:N0} samples to {folder}/");
        return 0;
    }

    private static int Measure(Shell shell, Settings s)
    {
        // Data (not timed).
        bool mnist = s.Samples is null && (s.Data == "mnist" || (s.Data == "auto" && Mnist.IsAvailable(s.MnistDir)));
        Dataset train, test;
        string dataset, description;
        if (mnist)
        {
            var (x, labels) = DataSource.LoadMnist(s.MnistDir, test: false);
            var (xt, lt) = DataSource.LoadMnist(s.MnistDir, test: true);
            (train, test) = (Dataset.FromLabels(x, labels, Mnist.Classes), Dataset.FromLabels(xt, lt, Mnist.Classes));
            (dataset, description) = ("mnist", $"MNIST from {s.MnistDir}/: {train.Count:N0} training + {test.Count:N0} test images");
        }
        else
        {
            int n = s.Samples ?? 60_000, nt = s.Samples is int k ? k / 6 : 10_000;
            var (tr, te) = SyntheticMnist.Generate(s.Seed, n, nt);
            (train, test) = (Dataset.FromLabels(tr.X, tr.Labels, SyntheticMnist.Classes), Dataset.FromLabels(te.X, te.Labels, SyntheticMnist.Classes));
            (dataset, description) = ("synthetic",
                $"synthetic, MNIST-shaped (class prototypes plus noise, seed {s.Seed}): {train.Count:N0} training + {test.Count:N0} test samples" +
                (s.Data == "auto" && s.Samples is null ? $" (MNIST not found in {s.MnistDir}/: scripts/get-mnist.sh fetches it)" : ""));
        }

        var network = Network.MultiClass(Sizes, s.Seed);
        var loss = new CategoricalCrossEntropy();
        var optimizer = Optim.Momentum(LearningRate, Momentum, MomentumConvention.PyTorch);
        var options = new TrainingOptions(loss, optimizer) { BatchSize = s.Batch, Epochs = s.Epochs, Seed = s.Seed, Precision = s.Precision };
        if (s.ExportRun is not null) return ExportRun(shell, s, network, options, train.Count, dataset);
        var ranks = shell.Ranks;
        var comm = new TimedCommunicator(ranks.Communicator);
        ranks.Agree();
        string backend = KernelSettings.ActiveBackend;
        var kind = s.Precision == Precision.Float32 ? KernelSettings.ActiveBackendKindOf<float>() : KernelSettings.ActiveBackendKindOf<double>();
        string backendKind = kind == GemmBackend.OpenBlas ? "openblas" : "managed";

        if (!s.Json)
        {
            shell.Out.WriteLine($"dataset    {description}");
            shell.Out.WriteLine($"network    {network}");
            shell.Out.WriteLine($"training   {loss.Name}, SGD with momentum {Fmt(Momentum)} (PyTorch convention), lr {Fmt(LearningRate)}, batch {s.Batch}, " +
                                $"{s.Epochs} epoch{(s.Epochs == 1 ? "" : "s")}, {s.PrecisionName}, seed {s.Seed}");
            shell.Out.WriteLine($"backend    {backend}, {s.Threads} thread{(s.Threads == 1 ? "" : "s")} ({Environment.ProcessorCount} processors)" +
                                (ranks.Distributed ? $" per rank, {ranks.Size} MPI ranks" : ""));
            shell.Out.Flush();
        }

        // GEMM rate in the chosen precision.
        var (gflops, gemmSeconds) = s.Precision == Precision.Float32
            ? GemmRate.Measure<float>(GemmSize, GemmWindows)
            : GemmRate.Measure<double>(GemmSize, GemmWindows);

        // Warm-up: the first steps of an epoch on a prefix of the training set, discarded.
        int warmupSamples = (int)Math.Min(train.Count, (long)s.WarmupSteps * s.Batch);
        int warmupSteps = (warmupSamples + s.Batch - 1) / s.Batch;
        if (warmupSamples > 0)
            Trainer.Epoch(network, optimizer.Init(network.Parameters), train.Select(Enumerable.Range(0, warmupSamples).ToArray()), options, epoch: 1, communicator: comm);

        // The timed run: from the end of its first step to the end of its last epoch.
        var clock = new Stopwatch();
        var times = new StepClock(clock, comm);
        clock.Start();
        var result = ranks.Train(() => Trainer.Fit(network, train, options, progress: times, communicator: comm));
        clock.Stop();
        if (!ranks.IsRoot) return ranks.AwaitRoot();
        long timedSteps = (long)s.Epochs * ((train.Count + s.Batch - 1) / s.Batch) - 1;
        double communicationMs = 1000 * (times.CommunicationAtEnd - times.CommunicationAtFirstStep) / Math.Max(1, timedSteps);
        int firstBatch = Math.Min(s.Batch, train.Count);
        double seconds = times.EpochEnds[^1] - times.FirstStep, setup = times.FirstStep;
        double samplesPerSecond = ((double)s.Epochs * train.Count - firstBatch) / seconds;
        var epochSeconds = times.EpochEnds.Select((t, i) => t - (i == 0 ? times.FirstStep : times.EpochEnds[i - 1])).ToList();
        var epochRates = epochSeconds.Select((t, i) => (train.Count - (i == 0 ? firstBatch : 0)) / t).ToList();

        var (testLoss, testAccuracy) = Trainer.Evaluate(result.Model, test, loss, s.Precision); // in the run's precision, as PyTorch evaluates

        if (s.Json)
        {
            shell.Out.WriteLine(JsonOut.Document(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("samples_per_second", Math.Round(samplesPerSecond, 1));
                w.WriteString("precision", s.PrecisionName);
                w.WriteString("backend", backend);
                w.WriteString("backend_kind", backendKind);
                w.WriteNumber("threads", s.Threads);
                w.WriteNumber("ranks", ranks.Size);
                w.WriteNumber("communication_ms_per_step", Math.Round(communicationMs, 4));
                w.WriteNumber("processors", Environment.ProcessorCount);
                w.WriteNumber("gemm_gflops", Math.Round(gflops, 2));
                w.WriteString("gemm", $"{GemmSize}×{GemmSize}×{GemmSize}, {s.PrecisionName}, best of {GemmWindows} windows of 20 ms");
                w.WriteNumber("gemm_seconds", gemmSeconds);
                w.NumberOrNull("test_accuracy", testAccuracy);
                w.WriteNumber("test_loss", testLoss);
                w.WriteString("dataset", dataset);
                w.WriteString("dataset_description", description);
                w.WriteNumber("train_samples", train.Count);
                w.WriteNumber("test_samples", test.Count);
                w.WriteNumber("epochs", s.Epochs);
                w.WriteNumber("batch", s.Batch);
                w.WriteNumber("warmup_steps", warmupSteps);
                w.WriteNumber("seconds", Math.Round(seconds, 4));
                w.WriteNumber("setup_seconds", Math.Round(setup, 4));
                w.Numbers("epoch_seconds", epochSeconds.Select(t => Math.Round(t, 4)));
                w.Numbers("epoch_samples_per_second", epochRates.Select(r => Math.Round(r, 1)));
                w.Numbers("epoch_loss", result.History.Select(r => r.Loss));
                w.Numbers("epoch_accuracy", result.History.Select(r => r.Accuracy!.Value));
                w.WriteString("network", network.ToString());
                w.WriteNumber("parameters", network.ParameterCount);
                w.WriteString("loss", loss.Name);
                w.WriteString("optimizer", $"SGD, momentum {Fmt(Momentum)} (PyTorch convention: b ← μb + g, θ ← θ − ηb), lr {Fmt(LearningRate)}");
                w.WriteNumber("seed", s.Seed);
                w.WriteString("timed", Timed);
                w.WriteEndObject();
            }));
        }
        else
        {
            for (int e = 0; e < result.History.Count; e++)
            {
                var r = result.History[e];
                shell.Out.WriteLine($"epoch {e + 1}/{s.Epochs}  loss {r.Loss.ToString("F4", Inv)}  accuracy {r.Accuracy?.ToString("F4", Inv)}  " +
                                    $"{epochSeconds[e].ToString("F2", Inv)} s  {epochRates[e].ToString("N0", Inv)} samples/s");
            }
            var table = new TextTable("measure", "value").AlignLeft(1);
            table.AddRow("training samples/s", samplesPerSecond.ToString("N0", Inv));
            if (ranks.Distributed)
                table.AddRow("communication", $"{communicationMs.ToString("F3", Inv)} ms per step ({ranks.Size} MPI ranks: all-gather of {ranks.Size} × {network.ParameterCount:N0} values, waiting included)");
            table.AddRow("timed", $"{s.Epochs} × {train.Count:N0} − {firstBatch} samples in {seconds.ToString("F2", Inv)} s " +
                $"(after {warmupSteps} discarded warm-up steps, and {setup.ToString("F2", Inv)} s of set-up and first step)");
            table.AddRow($"GEMM {GemmSize}³ GFLOP/s", $"{gflops.ToString("F1", Inv)} ({s.PrecisionName}, best of {GemmWindows} windows of 20 ms)");
            table.AddRow("test accuracy", $"{(100 * testAccuracy!.Value).ToString("F2", Inv)} % (test loss {testLoss.ToString("F4", Inv)})");
            table.AddRow("dataset", dataset);
            table.AddRow("backend", $"{backend}, {s.Threads} thread{(s.Threads == 1 ? "" : "s")}");
            table.Write(shell.Out, shell.OutIsTerminal);
        }
        return Cli.Ok;
    }

    /// <summary>The times (on <paramref name="clock"/>) at which the first step of the run and each epoch ended.</summary>
    private sealed class StepClock(Stopwatch clock, TimedCommunicator comm) : IProgress<TrainingProgress>
    {
        public double FirstStep { get; private set; } = double.NaN;
        public List<double> EpochEnds { get; } = [];
        /// <summary>The communicator's seconds at the end of the first step and of the last epoch.</summary>
        public double CommunicationAtFirstStep { get; private set; }
        public double CommunicationAtEnd { get; private set; }

        public void Report(TrainingProgress p)
        {
            if (p.Completed is not null) { EpochEnds.Add(clock.Elapsed.TotalSeconds); CommunicationAtEnd = comm.Seconds; }
            else if (double.IsNaN(FirstStep)) { FirstStep = clock.Elapsed.TotalSeconds; CommunicationAtFirstStep = comm.Seconds; }
        }
    }
}
