using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.Training;

/// <summary>
/// Training as pure functions. <see cref="Epoch"/> is a fold over the seeded, shuffled mini-batches of one epoch,
/// (model, optimizer state, data, seed) ↦ (model′, state′, epoch record), each step being
/// θ ← θ + u with (u, v′) = optimizer.Update(ĝ, v, θ) (004 Algorithm 8.1 with any optimizer). <see cref="Fit"/> runs
/// epochs of that with a history, early stopping on a validation set (002 Section 10) and progress reports; it performs
/// no I/O. The same model, data, options and seed give bit-identical histories and parameters.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// One epoch (numbered from 1) over <paramref name="data"/>. Throws <see cref="TrainingDivergedException"/> — carrying the
    /// last finite model and state — when a loss, gradient or parameter becomes non-finite.
    /// </summary>
    public static (Network Model, OptimizerState State, EpochRecord Record) Epoch(
        Network model, OptimizerState state, Dataset data, TrainingOptions options, int epoch, IProgress<TrainingProgress>? progress = null) =>
        RunEpoch(model, state, data, options, epoch, progress, []);

    /// <summary>
    /// Epochs <paramref name="startEpoch"/> … <see cref="TrainingOptions.Epochs"/> (so a run resumed at epoch n + 1 with the model
    /// and optimizer state saved after epoch n continues exactly), with validation after every epoch when
    /// <paramref name="validation"/> is given, and early stopping when <see cref="TrainingOptions.Patience"/> is set.
    /// </summary>
    public static TrainingResult Fit(
        Network model, Dataset train, TrainingOptions options, Dataset? validation = null,
        IProgress<TrainingProgress>? progress = null, OptimizerState? state = null, int startEpoch = 1,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        options.Validate();
        CheckData(model, train, "training set", options.Loss);
        if (validation is not null) CheckData(model, validation, "validation set", options.Loss);
        if (startEpoch < 1) throw new ArgumentException($"Training: epochs are numbered from 1, got start epoch {startEpoch}.");

        var history = new List<EpochRecord>();
        var v = state ?? options.Optimizer.Init(model.Parameters);
        var best = (Model: model, State: v, Loss: double.PositiveInfinity, Epoch: startEpoch - 1);
        int sinceBest = 0;
        var reason = StopReason.Completed;
        for (int e = startEpoch; e <= options.Epochs; e++)
        {
            if (cancellation.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            var (m, s, record) = RunEpoch(model, v, train, options, e, progress, history);
            if (validation is not null)
            {
                var (vl, va) = Evaluate(m, validation, options.Loss);
                record = record with { ValidationLoss = vl, ValidationAccuracy = va };
            }
            (model, v) = (m, s);
            history.Add(record);
            progress?.Report(new TrainingProgress(e, 0, 0, 0, train.Count, record.Loss, record.Accuracy, record));

            double monitored = record.ValidationLoss ?? record.Loss;
            if (monitored < best.Loss) { best = (model, v, monitored, e); sinceBest = 0; }
            else if (options.Patience is int p && validation is not null && ++sinceBest >= p) { reason = StopReason.EarlyStopping; break; }
        }
        if (reason == StopReason.EarlyStopping && options.RestoreBest) (model, v) = (best.Model, best.State);
        return new TrainingResult(model, v, history, best.Epoch, reason);
    }

    /// <summary>The mean loss per sample of <paramref name="model"/> on <paramref name="data"/>, and its accuracy for classification (else null).</summary>
    public static (double Loss, double? Accuracy) Evaluate(Network model, Dataset data, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        CheckData(model, data, "evaluation set", loss);
        const int chunk = 4096; // bounds the memory of the forward pass on large sets
        double total = 0;
        int correct = 0;
        bool classification = IsClassification(loss, data.TargetSize);
        for (int start = 0; start < data.Count; start += chunk)
        {
            int rows = Math.Min(chunk, data.Count - start);
            var x = new Mat<double>(data.X.Data.AsSpan(start * data.InputSize, rows * data.InputSize).ToArray(), rows, data.InputSize);
            var y = new Mat<double>(data.Y.Data.AsSpan(start * data.TargetSize, rows * data.TargetSize).ToArray(), rows, data.TargetSize);
            double value = Backpropagation.Run(model, loss, Reduction.Sum, x, y, model.Parameters.Values, default, out var outputs);
            if (!double.IsFinite(value))
                throw new ArithmeticException($"Evaluation: the loss is {value} on samples {start}..{start + rows - 1}; {Diagnose(model, x)}");
            total += value;
            if (classification) correct += Correct(outputs, y, Threshold(model, loss));
        }
        return (total / data.Count, classification ? (double)correct / data.Count : null);
    }

    private static EpochRecord Record(int epoch, double lossSum, int correct, int seen, bool classification, long steps) =>
        new(epoch, lossSum / seen, classification ? (double)correct / seen : null, null, null, steps);

    private static (Network, OptimizerState, EpochRecord) RunEpoch(
        Network model, OptimizerState state, Dataset data, TrainingOptions options, int epoch,
        IProgress<TrainingProgress>? progress, IReadOnlyList<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        CheckData(model, data, "training set");
        int n = data.Count, d = data.InputSize, c = data.TargetSize;
        int batch = options.BatchSize == 0 ? n : Math.Min(options.BatchSize, n);
        int steps = (n + batch - 1) / batch;
        var order = options.Shuffle ? Rng.Derive(options.Seed, epoch).Permutation(n) : Enumerable.Range(0, n).ToArray();
        bool classification = IsClassification(options.Loss, c);
        double threshold = Threshold(model, options.Loss);
        var layout = model.Parameters.Layout;

        double lossSum = 0;
        int correct = 0, seen = 0;
        Mat<double> xb = new(batch, d), yb = new(batch, c);
        for (int step = 0; step < steps; step++)
        {
            int start = step * batch, rows = Math.Min(batch, n - start);
            if (rows != xb.Rows) (xb, yb) = (new Mat<double>(rows, d), new Mat<double>(rows, c));
            for (int i = 0; i < rows; i++)
            {
                data.X.Row(order[start + i]).CopyTo(xb.Row(i));
                data.Y.Row(order[start + i]).CopyTo(yb.Row(i));
            }

            var g = new double[layout.Count];
            double value = Backpropagation.Run(model, options.Loss, options.StepReduction, xb, yb, model.Parameters.Values, g, out var outputs);
            string where = $"epoch {epoch}, step {step + 1} of {steps}";
            if (!double.IsFinite(value))
                throw Diverged($"Training diverged at {where}: the loss is {value}; {Diagnose(model, xb)}", epoch, step + 1, model, state, history);
            var gradient = Parameters.Own(layout, g);
            if (gradient.FirstNonFinite() is { } bad)
                throw Diverged($"Training diverged at {where}: the gradient is {bad.Value} at {bad.Block} entry ({bad.Row}, {bad.Column}).",
                    epoch, step + 1, model, state, history);

            var (theta, next) = options.Optimizer.Step(model.Parameters, gradient, state);
            if (theta.FirstNonFinite() is { } badTheta)
                throw Diverged($"Training diverged at {where}: the {options.Optimizer.Name} update made {badTheta.Block} entry ({badTheta.Row}, {badTheta.Column}) {badTheta.Value}.",
                    epoch, step + 1, model, state, history);

            lossSum += options.StepReduction == Reduction.Mean ? value * rows : value;
            if (classification) correct += Correct(outputs, yb, threshold);
            seen += rows;
            (model, state) = (model.WithParameters(theta), next);
            progress?.Report(new TrainingProgress(epoch, step + 1, steps, seen, n, lossSum / seen, classification ? (double)correct / seen : null, null));
        }
        return (model, state, Record(epoch, lossSum, correct, seen, classification, state.Count));
    }

    private static TrainingDivergedException Diverged(string message, int epoch, int step, Network model, OptimizerState state, IReadOnlyList<EpochRecord> history) =>
        new(message, epoch, step, model, state, [.. history]);

    private static string Diagnose(Network model, Mat<double> x) =>
        model.FirstNonFinite(x, model.Parameters.Values) is { } w
            ? $"the output of layer {w.Layer} ({model.Layers[w.Layer].Name}) is first non-finite ({w.Value} at batch row {w.Row}, unit {w.Column})."
            : "every layer output is finite, so the loss itself overflowed (e.g. log of a probability that rounded to 0).";

    /// <summary>Classification when targets are one-hot or ±1 (argmax), or a single [0,1] column (threshold).</summary>
    private static bool IsClassification(Loss loss, int targetColumns) =>
        loss.Encoding is TargetEncoding.OneHot or TargetEncoding.PlusMinusOne ||
        (loss.Encoding == TargetEncoding.UnitInterval && targetColumns == 1);

    /// <summary>The decision threshold of a single-output binary classifier: 0 on logits (fused sigmoid), ½ on probabilities.</summary>
    private static double Threshold(Network model, Loss loss) => Backpropagation.FusedLoss(model, loss) is not null ? 0.0 : 0.5;

    private static int Correct(Mat<double> outputs, Mat<double> targets, double threshold)
    {
        int correct = 0;
        for (int r = 0; r < outputs.Rows; r++)
        {
            var o = outputs.Row(r);
            var t = targets.Row(r);
            bool ok = o.Length == 1
                ? (o[0] > threshold) == (t[0] > 0.5)
                : System.Numerics.Tensors.TensorPrimitives.IndexOfMax<double>(o) == System.Numerics.Tensors.TensorPrimitives.IndexOfMax<double>(t);
            if (ok) correct++;
        }
        return correct;
    }

    private static void CheckData(Network model, Dataset data, string what, Loss? loss = null)
    {
        if (loss is not null)
            for (int r = 0; r < data.Count; r++)
                if (Loss.TargetProblem(loss.Encoding, data.Y.Row(r)) is string problem)
                    throw new ArgumentException($"Training: the {what} does not suit the {loss.Name} loss: target row {r}: {problem}");
        if (data.InputSize != model.InputSize || data.TargetSize != model.OutputSize)
            throw new ArgumentException(
                $"Training: the {what} has inputs of width {data.InputSize} and targets of width {data.TargetSize}, " +
                $"but the network maps width {model.InputSize} to width {model.OutputSize}.");
    }
}
