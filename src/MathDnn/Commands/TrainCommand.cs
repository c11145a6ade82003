using System.CommandLine;
using System.Diagnostics;
using MathDnn.Cli.Data;
using MathDnn.Cli.Models;
using MathDnn.Cli.Output;
using MathDnn.IO;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Metrics;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn train</c>: trains a network (by default 𝒩_c+ 64 → 64 → 32 → 10 of 003 Def 5.1 on the embedded UCI
/// digits, SGD with momentum) on a seeded stratified train/test split, shows the progress, reports the test accuracy,
/// and optionally saves the model (with the optimizer state, to resume) and an SVG of the curves.
/// </summary>
internal static class TrainCommand
{
    private sealed record Options(
        Option<string> Data, Option<string?> Target, Option<string> Layers, Option<string> Activation, Option<double> Dropout, Option<bool> LayerNorm, Option<string?> Loss,
        Option<string> Optimizer, Option<double?> Lr, Option<double?> Momentum, Option<double> Decay, Option<double?> WeightDecay,
        Option<int> Batch, Option<int?> Epochs, Option<int> Seed, Option<double> TestSplit, Option<double> ValSplit,
        Option<string?> Out, Option<string?> Plot, Option<bool> Json, Option<string?> Resume, Option<bool> Force, Option<string> MnistDir, Option<int?> Shards)
    {
        /// <summary>The options a resumed run takes from its model file instead.</summary>
        public Option[] Stored => [Data, Target, Layers, Activation, Dropout, LayerNorm, Loss, Optimizer, Lr, Momentum, Decay, WeightDecay, Batch, Seed, TestSplit, ValSplit, Shards];
    }

    public static Command Create(Shell shell)
    {
        var o = new Options(
            Option("--data", "digits (embedded UCI digits), mnist, spirals, moons, xor, sawtooth, or a CSV file (features…, label).", () => "digits", "digits|mnist|spirals|moons|xor|sawtooth|file.csv"),
            Option<string?>("--target", "Regression on a CSV: the 1-based target column(s), e.g. 5 or 5,6; the other columns are features.", helpName: "columns"),
            Option("--layers", "Hidden layer widths, e.g. 64,32 (none: no hidden layer).", () => "64,32", "widths"),
            Option("--activation", "Hidden activation.", () => "relu"),
            Option("--dropout", "Dropout rate p in [0, 1[ after each hidden activation (0: none).", () => 0.0, "p"),
            Option<bool>("--layer-norm", "Layer normalisation after each hidden dense layer, before its activation."),
            Option<string?>("--loss", "Any loss of the catalogue (default categorical-cross-entropy; mean-squared-error for regression).", helpName: "name"),
            Option("--optimizer", "sgd, momentum (Keras SGD with momentum), nesterov, rmsprop, adam, adamw or adagrad.", () => "momentum"),
            Option<double?>("--lr", "Learning rate η (default 0.05 for sgd/momentum/nesterov, 0.01 for adagrad, 0.001 otherwise).", helpName: "η"),
            Option<double?>("--momentum", "Momentum μ of momentum and nesterov (default 0.9).", helpName: "μ"),
            Option("--decay", "Learning-rate decay: η_t = η/(1 + decay·t), t the step count (Keras's legacy decay).", () => 1e-4),
            Option<double?>("--weight-decay", "Decoupled weight decay λ of adamw (default 0.01).", helpName: "λ"),
            Option("--batch", "Mini-batch size (0: the whole training set in one batch).", () => 32),
            Option<int?>("--epochs", "Epochs to train (default 30); with --resume, the number of further epochs.", helpName: "n"),
            Option("--seed", "Seeds the split, the initial weights, the shuffling and the synthetic sets.", () => 42),
            Option("--test-split", "Fraction held out as the test set (seeded, stratified); mnist uses its own test set.", () => 0.2),
            Option("--val-split", "Fraction of the training part held out for validation after each epoch (0: none).", () => 0.0),
            Option<string?>("--out", "Save the trained model (JSON, with the optimizer state to resume).", helpName: "model.json"),
            Option<string?>("--plot", "Write an SVG of the loss and accuracy curves (and the decision regions of a 2-D set).", helpName: "curves.svg"),
            Json(),
            Option<string?>("--resume", "Continue the run saved in this model file for --epochs more epochs (bit for bit as if never interrupted).", helpName: "model.json"),
            Option<bool>("--force", "With --resume: continue even when the training data differs from the data the run was trained on (its recorded fingerprint)."),
            MnistDir(),
            Option<int?>("--shards", "Sum every step's gradient over K shards of the mini-batch in shard order, as K MPI ranks do: one process then reproduces `mpirun -np K` bit for bit (default: 1 in one process, N under mpirun -np N).", helpName: "K"));
        o.Activation.AcceptOnlyFromAmong(TrainingRecord.Activations);
        o.Optimizer.AcceptOnlyFromAmong(TrainingRecord.Optimizers);
        o.Loss.AcceptOnlyFromAmong([.. LossCatalogue.Names]);

        var command = new Command("train", "Train a network and report its test accuracy (default: 64 → 64 → 32 → 10 on the embedded UCI digits).");
        foreach (var option in new Option[] { o.Data, o.Target, o.Layers, o.Activation, o.Dropout, o.LayerNorm, o.Loss, o.Optimizer, o.Lr, o.Momentum, o.Decay, o.WeightDecay,
                     o.Batch, o.Epochs, o.Seed, o.TestSplit, o.ValSplit, o.Out, o.Plot, o.Json, o.Resume, o.Force, o.MnistDir, o.Shards })
            command.Add(option);
        command.SetAction(parse => Cli.Guard(shell, () => Run(shell, parse, o)));
        return command;
    }

    private static int Run(Shell shell, ParseResult parse, Options o)
    {
        var ranks = shell.Ranks; // under mpirun -np N: MPI_Init, and from here on only rank 0 prints
        bool json = parse.GetValue(o.Json);
        string? outPath = parse.GetValue(o.Out), plotPath = parse.GetValue(o.Plot), resumePath = parse.GetValue(o.Resume);
        string mnistDir = parse.GetValue(o.MnistDir)!;
        int? epochsOption = parse.GetValue(o.Epochs);
        if (epochsOption is < 0) throw new BadInputException($"--epochs {epochsOption}: must be ≥ 0.");
        bool force = parse.GetValue(o.Force);
        if (force && resumePath is null) throw new BadInputException("--force: applies to --resume only (it accepts changed training data).");

        // Everything that can be checked before training is checked first: a long run must not fail at the end.
        SavedModel? resumed = null;
        TrainingRecord record;
        if (resumePath is not null)
        {
            var given = o.Stored.Where(opt => Given(parse, opt)).Select(opt => opt.Name).ToList();
            if (given.Count > 0)
                throw new BadInputException($"--resume {resumePath}: {string.Join(", ", given)} cannot be changed when resuming; the run continues with the options stored in the model file.");
            if (epochsOption is null) throw new BadInputException($"--resume {resumePath}: give --epochs k, the number of further epochs.");
            resumed = LoadModel(resumePath);
            record = TrainingRecord.FromJson(resumed.Training, resumePath);
            if (record.Diverged is not null)
                throw new BadInputException($"--resume {resumePath}: the model is the last finite state of a diverged run ({record.Diverged}); it cannot be resumed exactly.");
            if (resumed.OptimizerState is null)
                throw new ModelFileException($"{resumePath}: optimizer_state: missing; without it the run cannot be resumed exactly.");
            outPath ??= resumePath; // a resumed run updates its model file unless told otherwise
            if (ranks.Distributed && record.Shards != ranks.Size)
                throw new BadInputException($"--resume {resumePath}: the run was trained with {record.Shards} shard{(record.Shards == 1 ? "" : "s")} per step; " +
                    $"resume it in one process{(record.Shards > 1 ? $" or under mpirun -np {record.Shards}" : "")}, not on {ranks.Size} ranks, to continue it exactly.");
        }
        else
        {
            record = FreshRecord(parse, o);
            int? shards = parse.GetValue(o.Shards);
            if (shards is < 1) throw new BadInputException($"--shards {shards}: must be ≥ 1.");
            if (ranks.Distributed && shards is int k && k != ranks.Size)
                throw new BadInputException($"--shards {k}: under mpirun -np {ranks.Size} every step has one shard per rank; leave --shards out or give {ranks.Size}.");
            record = record with { Shards = ranks.Distributed ? ranks.Size : shards ?? 1 };
        }
        // Every output is checked now and written at the end, all together: a failing run leaves every existing file as it was.
        string? dataFile = DataSource.IsBuiltIn(record.Data) ? null : record.Data;
        using var outputs = new Outputs()
            .Declare(outPath, "--out", (dataFile, "--data"))   // --out may be the --resume file: a resumed run updates it
            .Declare(plotPath, "--plot", (dataFile, "--data"), (resumePath, "--resume"));
        int epochsToRun = epochsOption ?? 30;

        // Data, split, head and network.
        var data = DataSource.Load(record.Data, record.Seed, mnistDir, record.Target);
        if (!data.IsRegression && record.Classes != 0 && data.Classes != record.Classes)
            throw new BadInputException($"--data {record.Data}: has {data.Classes} classes but the run to resume has {record.Classes}.");
        var fingerprint = DataFingerprint.Of(data);
        if (resumed is not null) CheckFingerprint(shell, record, fingerprint, resumePath!, force);
        record = record with { Classes = data.Classes, DataFingerprint = fingerprint };
        var lossName = resumed?.Loss ?? parse.GetValue(o.Loss) ?? (data.IsRegression ? "mean-squared-error" : "categorical-cross-entropy");
        Loss loss;
        try { loss = LossCatalogue.Parse(lossName); }
        catch (ArgumentException) when (resumed is not null)
        {
            throw new ModelFileException($"{resumePath}: loss: unknown loss \"{lossName}\" (known: {string.Join(", ", LossCatalogue.Names)}).");
        }
        var head = Head.ForTraining(loss, data);
        var (trainPart, test) = TrainTest(data, record.TestSplit, record.Seed);
        LoadedData train = trainPart, validation = null!;
        bool hasValidation = record.ValSplit > 0;
        if (hasValidation) (train, validation) = Split(trainPart, record.ValSplit, ValidationSeed(record.Seed), "--val-split");

        CheckMemory(record, head, loss, train, test.Count + (hasValidation ? validation.Count : 0), resumePath);
        Network network;
        OptimizerState? state = null;
        if (resumed is not null)
        {
            network = resumed.Network;
            CheckCompatible(resumed, head, train, resumePath!);
            // The record rebuilds the same layers (dropout and layer normalisation included), or the run is not the one recorded.
            var recorded = Architecture(train.Features, record, head);
            if (!recorded.SequenceEqual(network.Layers))
                throw new ModelFileException($"{resumePath}: layers: the network is {network} but its training record describes " +
                    $"{Network.Create(train.Features, recorded, Initialization.Auto, record.Seed)}; the run cannot be resumed exactly.");
            state = resumed.OptimizerState;
        }
        else
        {
            network = Build(train.Features, record, head);
        }
        var optimizer = record.BuildOptimizer();
        if (state is not null) CheckState(optimizer, network, state, resumePath!);

        int done = record.Epochs;
        var options = new TrainingOptions(loss, optimizer) { BatchSize = record.Batch, Epochs = done + epochsToRun, Seed = record.Seed, Shards = record.Shards };
        var trainSet = head.ToDataset(train);
        var validationSet = hasValidation ? head.ToDataset(validation) : null;

        ranks.Agree(); // every rank is set up (else every rank stops here with the failing rank's error)

        if (!json)
        {
            shell.Out.WriteLine($"data      {data.Summary}; train {train.Count}" + (hasValidation ? $", validation {validation.Count}" : "") +
                $", test {test.Count} ({(data.Test is not null ? "the official test set" : $"seeded {(data.IsRegression ? "" : "stratified ")}split, seed {record.Seed}")})");
            shell.Out.WriteLine($"network   {network}");
            shell.Out.WriteLine($"training  {loss.Name}, {record.DescribeOptimizer()}, batch {(record.Batch == 0 ? "all" : record.Batch.ToString(Inv))}, " +
                (resumed is null ? Epochs(epochsToRun) : $"epochs {done + 1}..{done + epochsToRun} (resumed from {resumePath} after {done})"));
            shell.Out.WriteLine($"backend   {KernelSettings.ActiveBackend}, {Threads(KernelSettings.MaxThreads)}" +
                (ranks.Distributed ? $" per rank, {ranks.Size} MPI ranks (one shard of every batch each)" : record.Shards > 1 ? $", {record.Shards} shards per step" : ""));
        }

        var display = TrainingDisplay.For(shell, json, done + epochsToRun);
        var clock = Stopwatch.StartNew();
        TrainingResult result;
        try
        {
            result = ranks.Train(() => display.Run(progress =>
                Trainer.Fit(network, trainSet, options, validationSet, progress, state, startEpoch: done + 1, communicator: ranks.Communicator)));
        }
        catch (TrainingDivergedException e)
        {
            string saved = "";
            if (ranks.IsRoot && parse.GetValue(o.Out) is string divergedOut)
            {
                var last = record with
                {
                    Epochs = e.Epoch - 1,
                    Seconds = record.Seconds + clock.Elapsed.TotalSeconds,
                    History = [.. record.History, .. e.History],
                    Diverged = $"epoch {e.Epoch}, step {e.Step}",
                };
                outputs.Stage(divergedOut, s => ModelFile.Write(s, new SavedModel(e.LastModel, loss.Name, null, last.ToJson(), e.LastState)));
                outputs.Commit();
                saved = $" The last finite model (before epoch {e.Epoch}, step {e.Step}) was saved to {divergedOut}.";
            }
            Cli.Fail(shell, e.Message + saved + " Try a smaller --lr.");
            return Cli.CheckFailed;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        if (!ranks.IsRoot) return ranks.AwaitRoot(); // rank 0 alone evaluates and writes, then passes on its exit code
        var model = result.Model;
        var history = record.History.Concat(result.History).ToList();
        record = record with { Epochs = done + result.History.Count, Seconds = record.Seconds + seconds, History = history };

        // Test metrics.
        var (testLoss, _) = Trainer.Evaluate(model, head.ToDataset(test), loss);
        double? testAccuracy = null, testRmse = null;
        int correct = 0;
        if (head.Regression)
            testRmse = RegressionErrors.RootMeanSquaredError(test.Targets!, model.Forward(test.X));
        else
        {
            var predicted = head.Predict(model, test.X);
            correct = predicted.Where((p, i) => p == test.Labels![i]).Count();
            testAccuracy = (double)correct / test.Count;
        }

        if (outPath is not null)
            outputs.Stage(outPath, s => ModelFile.Write(s, new SavedModel(model, loss.Name, null, record.ToJson(), result.State)));
        if (plotPath is not null)
        {
            var regions = !head.Regression && train.Features == 2
                ? new RegionsData(model, head, train.X, train.Labels!, test.X, test.Labels!)
                : null;
            outputs.Stage(plotPath, SvgPlot.Render($"mathdnn train --data {record.Data}: {network}", history, regions));
        }
        outputs.Commit();

        if (json)
        {
            shell.Out.WriteLine(JsonOut.Document(w =>
            {
                w.WriteStartObject();
                w.NumberOrNull("test_accuracy", testAccuracy);
                w.WriteNumber("test_loss", testLoss);
                if (testRmse is double rmse) w.WriteNumber("test_rmse", rmse);
                w.WriteNumber("epochs", record.Epochs);
                w.WriteNumber("seconds", Math.Round(seconds, 3));
                w.WritePropertyName("history");
                TrainingRecord.WriteHistory(w, history);
                w.StringOrNull("model", outPath);
                w.StringOrNull("plot", plotPath);
                w.WriteString("data", record.Data);
                w.WriteStartObject("samples");
                w.WriteNumber("train", train.Count);
                w.WriteNumber("validation", hasValidation ? validation.Count : 0);
                w.WriteNumber("test", test.Count);
                w.WriteEndObject();
                w.WriteString("network", model.ToString());
                w.WriteNumber("parameters", model.ParameterCount);
                w.WriteString("loss", loss.Name);
                w.WriteString("backend", KernelSettings.ActiveBackend);
                w.WriteNumber("threads", KernelSettings.MaxThreads);
                w.WriteNumber("ranks", ranks.Size);
                w.WriteStartObject("training");
                foreach (var (key, value) in record.ToJson())
                    if (key != "history") { w.WritePropertyName(key); value.WriteTo(w); }
                w.WriteEndObject();
                w.WriteString("stopped", result.Reason.ToString().ToLowerInvariant());
                w.WriteEndObject();
            }));
        }
        else
        {
            shell.Out.WriteLine(head.Regression
                ? $"test RMSE {testRmse!.Value.ToString("G6", Inv)}, test loss {testLoss.ToString("F4", Inv)} ({test.Count} samples)"
                : $"test accuracy {(100 * testAccuracy!.Value).ToString("F2", Inv)} % ({correct}/{test.Count}), test loss {testLoss.ToString("F4", Inv)}");
            shell.Out.WriteLine($"{Epochs(result.History.Count)} in {seconds.ToString("F1", Inv)} s" + (resumed is null ? "" : $" ({record.Epochs} in total)"));
            if (outPath is not null) shell.Out.WriteLine($"model saved to {outPath}");
            if (plotPath is not null) shell.Out.WriteLine($"plot saved to {plotPath}");
        }
        return Cli.Ok;
    }

    private static string Epochs(int n) => n == 1 ? "1 epoch" : $"{n} epochs";

    /// <summary>
    /// A resumed run must see the data it was trained on: a fingerprint that differs from the recorded one is refused
    /// unless <c>--force</c> (then a warning); a model file without one (older versions) resumes with a warning.
    /// </summary>
    private static void CheckFingerprint(Shell shell, TrainingRecord record, string fingerprint, string resumePath, bool force)
    {
        if (record.DataFingerprint is not { } recorded)
            shell.Err.WriteLine($"mathdnn: warning: {resumePath} records no fingerprint of its training data (written by an older version); " +
                $"that {record.Data} is unchanged cannot be checked. The saved model will record {fingerprint}.");
        else if (recorded != fingerprint)
        {
            string what = $"--resume {resumePath}: the data {record.Data} differs from the data the run was trained on " +
                $"(its fingerprint is {fingerprint}, the model records {recorded})";
            if (!force) throw new BadInputException(what + "; give --force to continue on the changed data.");
            shell.Err.WriteLine($"mathdnn: warning: {what}; continuing (--force).");
        }
    }

    private static string Threads(int n) => n == 1 ? "1 thread" : $"{n} threads";

    /// <summary>The record of a new run from the command line, every value checked and named when wrong.</summary>
    private static TrainingRecord FreshRecord(ParseResult parse, Options o)
    {
        string optimizer = parse.GetValue(o.Optimizer)!;
        double lr = parse.GetValue(o.Lr) ?? TrainingRecord.DefaultLr(optimizer);
        if (!(lr > 0) || !double.IsFinite(lr)) throw new BadInputException($"--lr {Fmt(lr)}: the learning rate must be a positive finite number.");
        double? momentum = null;
        if (TrainingRecord.UsesMomentum(optimizer))
        {
            momentum = parse.GetValue(o.Momentum) ?? 0.9;
            if (!(momentum >= 0 && momentum < 1)) throw new BadInputException($"--momentum {Fmt(momentum.Value)}: must lie in [0, 1[.");
        }
        else if (Given(parse, o.Momentum))
            throw new BadInputException($"--momentum: applies to --optimizer momentum or nesterov, not {optimizer}.");
        double? weightDecay = null;
        if (optimizer == "adamw")
        {
            weightDecay = parse.GetValue(o.WeightDecay) ?? 0.01;
            if (!(weightDecay >= 0) || !double.IsFinite(weightDecay.Value)) throw new BadInputException($"--weight-decay {Fmt(weightDecay.Value)}: must be a finite number ≥ 0.");
        }
        else if (Given(parse, o.WeightDecay))
            throw new BadInputException($"--weight-decay: applies to --optimizer adamw, not {optimizer}.");
        double dropout = parse.GetValue(o.Dropout);
        if (!(dropout >= 0 && dropout < 1)) throw new BadInputException($"--dropout {Fmt(dropout)}: must lie in [0, 1[ (0: no dropout).");
        double decay = parse.GetValue(o.Decay);
        if (!(decay >= 0) || !double.IsFinite(decay)) throw new BadInputException($"--decay {Fmt(decay)}: must be a finite number ≥ 0.");
        int batch = parse.GetValue(o.Batch);
        if (batch < 0) throw new BadInputException($"--batch {batch}: must be ≥ 1, or 0 for the whole training set.");
        double testSplit = parse.GetValue(o.TestSplit), valSplit = parse.GetValue(o.ValSplit);
        if (!(testSplit > 0 && testSplit < 1)) throw new BadInputException($"--test-split {Fmt(testSplit)}: must lie in ]0, 1[.");
        if (!(valSplit >= 0 && valSplit < 1)) throw new BadInputException($"--val-split {Fmt(valSplit)}: must lie in [0, 1[ (0: no validation set).");
        string data = parse.GetValue(o.Data)!;
        if (data == "mnist" && Given(parse, o.TestSplit))
            throw new BadInputException("--test-split: mnist comes with its own test set of 10,000 images; use --val-split to hold out part of the training set.");
        string? targetText = parse.GetValue(o.Target);
        int[]? target = targetText is null ? null : ParseInts(targetText, "--target", allowNone: false);
        return new TrainingRecord
        {
            Data = data,
            Target = target,
            Classes = 0,
            Layers = ParseInts(parse.GetValue(o.Layers)!, "--layers", allowNone: true),
            Activation = parse.GetValue(o.Activation)!,
            Dropout = dropout,
            LayerNorm = parse.GetValue(o.LayerNorm),
            Optimizer = optimizer,
            Lr = lr,
            Momentum = momentum,
            Decay = decay,
            WeightDecay = weightDecay,
            Batch = batch,
            Seed = parse.GetValue(o.Seed),
            TestSplit = testSplit,
            ValSplit = valSplit,
        };
    }

    /// <summary>
    /// Dense layers of the record's widths with its hidden activation, then a dense layer to the head's outputs and the
    /// head's activation: for the defaults exactly <see cref="Network.MultiClass"/>([64, 64, 32, 10], seed) of 003 Def 5.1.
    /// </summary>
    internal static Network Build(int inputs, TrainingRecord record, Head head) =>
        Network.Create(inputs, Architecture(inputs, record, head), Initialization.Auto, record.Seed);

    /// <summary>
    /// The layers of <see cref="Build"/>: per hidden width h, dense(→h), then layer-norm(h) with <c>--layer-norm</c>, the
    /// activation, then dropout(p) with <c>--dropout p</c> &gt; 0; then dense(→outputs) and the head's activation.
    /// </summary>
    internal static List<Layer> Architecture(int inputs, TrainingRecord record, Head head)
    {
        var layers = new List<Layer>();
        int width = inputs;
        foreach (var h in record.Layers)
        {
            layers.Add(new Dense(width, h));
            if (record.LayerNorm) layers.Add(new LayerNorm(h));
            layers.Add(TrainingRecord.ParseActivation(record.Activation));
            if (record.Dropout > 0) layers.Add(new Dropout(record.Dropout));
            width = h;
        }
        layers.Add(new Dense(width, head.OutputWidth));
        if (head.OutputActivation is { } output) layers.Add(output);
        return layers;
    }

    /// <summary>The saved optimizer state must have the buffers and inner states the optimizer's own initial state has.</summary>
    private static void CheckState(Optimizer optimizer, Network network, OptimizerState state, string path)
    {
        static string Shape(OptimizerState s) => $"{{{string.Join(", ", s.Buffers.Keys)}}}" + (s.Inner.Length > 0 ? $"[{string.Join(", ", s.Inner.Select(Shape))}]" : "");
        var expected = optimizer.Init(network.Parameters);
        if (Shape(expected) != Shape(state))
            throw new ModelFileException($"{path}: optimizer_state: holds buffers {Shape(state)} but the {optimizer.Name} optimizer of the run keeps {Shape(expected)}.");
    }

    /// <summary>
    /// Refuses, before the network, the optimizer state and the batch buffers exist, a run whose <see cref="MemoryEstimate"/>
    /// exceeds the memory the process may use, and one with a count no array can index (both bad input, exit 2).
    /// </summary>
    private static void CheckMemory(TrainingRecord record, Head head, Loss loss, LoadedData train, int evaluationRows, string? resumePath)
    {
        string what = resumePath is not null ? $"--resume {resumePath}" : $"--layers {string.Join(',', record.Layers)} --batch {record.Batch}";
        MemoryEstimate estimate;
        try
        {
            var options = new TrainingOptions(loss, record.BuildOptimizer()) { BatchSize = record.Batch };
            estimate = MemoryEstimate.ForTraining(train.Features, Architecture(train.Features, record, head), options, train.Count, head.OutputWidth, evaluationRows);
        }
        catch (ArgumentException e) { throw new BadInputException($"{what}: {e.Message}"); }
        long available = MemoryEstimate.AvailableBytes();
        if (!estimate.Fits(available))
            throw new BadInputException($"{what}: training needs an estimated {estimate}, more than the {MemoryEstimate.Format(available)} " +
                "this process may use (the GC's limit: DOTNET_GCHeapHardLimit, else the container's or the machine's memory).");
    }
}
