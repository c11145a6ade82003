using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.Training;

/// <summary>The element type of a training run's forward and backward passes and optimizer updates.</summary>
public enum Precision
{
    /// <summary>IEEE double (the default).</summary>
    Float64,
    /// <summary>IEEE single: the same generic kernels in float; the model and state are returned in double (exactly representable).</summary>
    Float32,
}

/// <summary>
/// Training as pure functions. <see cref="Epoch"/> is a fold over the seeded, shuffled mini-batches of one epoch,
/// (model, optimizer state, data, seed) ↦ (model′, state′, epoch record), each step being
/// θ ← θ + u with (u, v′) = optimizer.Update(ĝ, v, θ) (004 Algorithm 8.1 with any optimizer). <see cref="Fit"/> runs
/// epochs of that with a history, early stopping on a validation set (002 Section 10) and progress reports; it performs
/// no I/O. The same model, data, options and seed give bit-identical histories and parameters.
/// <para>
/// Inside a run the engine keeps private working copies of θ and of the optimizer's buffers and updates them in place
/// with the optimizers' kernels, so a step allocates nothing; the arguments are never mutated and what is returned is new.
/// </para>
/// </summary>
public static class Trainer
{
    /// <summary>
    /// One epoch (numbered from 1) over <paramref name="data"/>. Throws <see cref="TrainingDivergedException"/> — carrying the
    /// last finite model and state — when a loss, gradient or parameter becomes non-finite.
    /// </summary>
    public static (Network Model, OptimizerState State, EpochRecord Record) Epoch(
        Network model, OptimizerState state, Dataset data, TrainingOptions options, int epoch, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        CheckData(model, data, "training set", options.Loss);
        var run = Engine.Create(model, state, data, options);
        try
        {
            var record = run.RunEpoch(epoch, progress, []);
            return (run.Model(), run.State(), record);
        }
        finally
        {
            run.Release();
        }
    }

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

        var v = state ?? options.Optimizer.Init(model.Parameters);
        var run = Engine.Create(model, v, train, options);
        try
        {
            return FitWith(run, model, v, train, options, validation, progress, startEpoch, cancellation);
        }
        finally
        {
            run.Release();
        }
    }

    private static TrainingResult FitWith(
        Engine run, Network model, OptimizerState v, Dataset train, TrainingOptions options, Dataset? validation,
        IProgress<TrainingProgress>? progress, int startEpoch, CancellationToken cancellation)
    {
        var history = new List<EpochRecord>();
        var best = (Model: model, State: v, Loss: double.PositiveInfinity, Epoch: startEpoch - 1);
        int sinceBest = 0;
        var reason = StopReason.Completed;
        for (int e = startEpoch; e <= options.Epochs; e++)
        {
            if (cancellation.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            var record = run.RunEpoch(e, progress, history);
            (model, v) = (run.Model(), run.State());
            if (validation is not null)
            {
                var (vl, va) = Evaluate(model, validation, options.Loss, options.Precision);
                record = record with { ValidationLoss = vl, ValidationAccuracy = va };
            }
            history.Add(record);
            progress?.Report(new TrainingProgress(e, 0, 0, 0, train.Count, record.Loss, record.Accuracy, record));

            double monitored = record.ValidationLoss ?? record.Loss;
            if (monitored < best.Loss) { best = (model, v, monitored, e); sinceBest = 0; }
            else if (options.Patience is int p && validation is not null && ++sinceBest >= p) { reason = StopReason.EarlyStopping; break; }
        }
        if (reason == StopReason.EarlyStopping && options.RestoreBest) (model, v) = (best.Model, best.State);
        return new TrainingResult(model, v, history, best.Epoch, reason);
    }

    /// <summary>
    /// The order in which epoch <paramref name="epoch"/> (from 1) visits <paramref name="count"/> samples under
    /// <paramref name="options"/>: a permutation drawn from (seed, epoch) alone, so every run with that seed sees the same
    /// batches, or 0 … count − 1 without shuffling. Batch b of the epoch is entries b·B … b·B + B − 1 of it.
    /// </summary>
    public static int[] EpochOrder(TrainingOptions options, int epoch, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return options.Shuffle ? Rng.Derive(options.Seed, epoch).Permutation(count) : Enumerable.Range(0, count).ToArray();
    }

    /// <summary>
    /// The mean loss per sample of <paramref name="model"/> on <paramref name="data"/>, and its accuracy for classification (else null),
    /// with the forward pass in <paramref name="precision"/> (the loss itself is summed in double either way).
    /// </summary>
    public static (double Loss, double? Accuracy) Evaluate(Network model, Dataset data, Loss loss, Precision precision = Precision.Float64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        if (!Enum.IsDefined(precision)) throw new ArgumentException($"Evaluation: {(int)precision} is not a precision.", nameof(precision));
        CheckData(model, data, "evaluation set", loss);
        return precision == Precision.Float32 ? Evaluate<float>(model, data, loss) : Evaluate<double>(model, data, loss);
    }

    private static (double Loss, double? Accuracy) Evaluate<T>(Network model, Dataset data, Loss loss)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        const int chunk = 1024; // bounds the memory of the forward pass on large sets
        var ws = new Workspace<T>(model, loss, Math.Min(chunk, data.Count));
        ReadOnlySpan<T> theta = typeof(T) == typeof(double)
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<double, T>(model.Parameters.AsSpan()) // no copy in double
            : ToT<T>(model.Parameters.AsSpan());
        double total = 0;
        int correct = 0;
        bool classification = IsClassification(loss, data.TargetSize);
        double threshold = Threshold(model, loss);
        for (int start = 0; start < data.Count; start += chunk)
        {
            int rows = Math.Min(chunk, data.Count - start);
            var views = ws.For(rows);
            Backpropagation.Convert(data.X.Data.AsSpan(start * data.InputSize, rows * data.InputSize), views.Input.Span);
            data.Y.Data.AsSpan(start * data.TargetSize, rows * data.TargetSize).CopyTo(views.Targets.Span);
            double value = Backpropagation.Run(ws, views, theta, Reduction.Sum, gradient: false);
            if (!double.IsFinite(value))
                throw new ArithmeticException($"Evaluation: the loss is {value} on samples {start}..{start + rows - 1}; {Diagnose(model, theta, views.Input)}");
            total += value;
            if (classification) correct += Correct(views.Output, views.Targets, threshold);
        }
        return (total / data.Count, classification ? (double)correct / data.Count : null);
    }

    /// <summary>The engine of one run: private working copies of θ and of the optimizer buffers, updated in place.</summary>
    private abstract class Engine
    {
        // The last engine of this thread: a later run of the same architecture, loss, optimizer, precision and batch size
        // reloads θ and the state into its buffers instead of allocating new ones (so even a one-step Epoch call allocates
        // only what it returns). Nothing of a previous run leaks into the next: everything read is reloaded.
        [ThreadStatic] private static Engine? last;

        /// <summary>An engine for this run, marked in use until <see cref="Release"/> (a run nested in a progress callback gets its own).</summary>
        public static Engine Create(Network model, OptimizerState state, Dataset data, TrainingOptions options)
        {
            if (last is { InUse: false } engine && engine.TryReuse(model, state, data, options))
            {
                engine.InUse = true;
                return engine;
            }
            var created = options.Precision == Precision.Float32
                ? (Engine)new Engine<float>(model, state, data, options)
                : new Engine<double>(model, state, data, options);
            created.InUse = true;
            if (last is not { InUse: true }) last = created;
            return created;
        }

        public bool InUse { get; private set; }

        public void Release() => InUse = false;

        protected static int BatchSize(Dataset data, TrainingOptions options) =>
            options.BatchSize == 0 ? data.Count : Math.Min(options.BatchSize, data.Count);

        protected abstract bool TryReuse(Network model, OptimizerState state, Dataset data, TrainingOptions options);

        public abstract EpochRecord RunEpoch(int epoch, IProgress<TrainingProgress>? progress, IReadOnlyList<EpochRecord> history);
        public abstract Network Model();
        public abstract OptimizerState State();
    }

    private sealed class Engine<T> : Engine where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        private readonly Network architecture;
        private Dataset data;
        private TrainingOptions options;
        private readonly Workspace<T> ws;
        private T[] x;                                // the inputs in T (the dataset's own array for double)
        private readonly int batch;
        private readonly WorkingBuffers<T>? buffers;  // the optimizer's state, when it has a kernel
        private OptimizerState? state;                // otherwise (a user-written optimizer), the immutable state
        private T[] theta, next;
        private readonly T[] update;

        public Engine(Network model, OptimizerState state, Dataset data, TrainingOptions options)
        {
            architecture = model;
            this.data = data;
            this.options = options;
            batch = BatchSize(data, options);
            ws = new Workspace<T>(model, options.Loss, batch);
            x = Inputs(data, null);
            theta = ToT<T>(model.Parameters.AsSpan());
            next = new T[theta.Length];
            update = new T[theta.Length];
            if (options.Optimizer.HasKernel) buffers = new WorkingBuffers<T>(state, model.Parameters.Layout, options.Optimizer.Name);
            else this.state = state;
        }

        /// <summary>The inputs in T: the dataset's own (read-only) array for double, a conversion (into <paramref name="reuse"/> when it fits) otherwise.</summary>
        private static T[] Inputs(Dataset data, T[]? reuse)
        {
            if (typeof(T) == typeof(double)) return System.Runtime.CompilerServices.Unsafe.As<T[]>(data.X.Data);
            var span = data.X.Span;
            var x = reuse is not null && reuse.Length == span.Length ? reuse : new T[span.Length];
            Backpropagation.Convert(span, x.AsSpan());
            return x;
        }

        protected override bool TryReuse(Network model, OptimizerState state, Dataset data, TrainingOptions options)
        {
            if (typeof(T) == typeof(float) != (options.Precision == Precision.Float32)) return false;
            if (BatchSize(data, options) != batch || !options.Loss.Equals(this.options.Loss) || !options.Optimizer.Equals(this.options.Optimizer)) return false;
            if (model.InputSize != architecture.InputSize || !model.Layers.SequenceEqual(architecture.Layers)) return false;
            if (buffers is not null ? !buffers.TryLoad(state) : false) return false;
            if (buffers is null) this.state = state;
            if (!ReferenceEquals(data, this.data) || typeof(T) == typeof(double)) x = Inputs(data, x);
            this.data = data;
            this.options = options;
            Backpropagation.Convert(model.Parameters.AsSpan(), theta.AsSpan());
            return true;
        }

        public override Network Model()
        {
            var values = new double[theta.Length];
            Backpropagation.Convert<T, double>(theta, values);
            return architecture.WithParameters(Parameters.Own(architecture.Parameters.Layout, values));
        }

        public override OptimizerState State() => buffers?.ToState(architecture.Parameters.Layout) ?? state!;

        public override EpochRecord RunEpoch(int epoch, IProgress<TrainingProgress>? progress, IReadOnlyList<EpochRecord> history)
        {
            int n = data.Count, d = data.InputSize, c = data.TargetSize;
            int steps = (n + batch - 1) / batch;
            var order = EpochOrder(options, epoch, n);
            bool classification = IsClassification(options.Loss, c);
            double threshold = Threshold(architecture, options.Loss);
            var layout = architecture.Parameters.Layout;
            var optimizer = options.Optimizer;

            double lossSum = 0;
            int correct = 0, seen = 0;
            for (int step = 0; step < steps; step++)
            {
                int start = step * batch, rows = Math.Min(batch, n - start);
                var views = ws.For(rows);
                var input = views.Input.Span;
                var targets = views.Targets.Span;
                for (int i = 0; i < rows; i++)
                {
                    int r = order[start + i];
                    x.AsSpan(r * d, d).CopyTo(input.Slice(i * d, d));
                    data.Y.Row(r).CopyTo(targets.Slice(i * c, c));
                }

                double value = Backpropagation.Run(ws, views, theta, options.StepReduction, gradient: true, Layers.Batch.StepSeed(options.Seed, epoch, step));
                string Where() => $"epoch {epoch}, step {step + 1} of {steps}";
                if (!double.IsFinite(value))
                    throw Diverged($"Training diverged at {Where()}: the loss is {value}; {Diagnose(architecture, theta, views.Input)}", epoch, step + 1, history);
                bool finite;
                if (buffers is not null)
                {
                    finite = optimizer.Apply<T>(ws.Gradient, theta, next, update, buffers); // θ′ = θ + u, checked in the same pass
                }
                else
                {
                    if (FirstNonFinite(ws.Gradient) is int badGradient)
                        throw Diverged($"Training diverged at {Where()}: the gradient is {ws.Gradient[badGradient]} at {Describe(layout, badGradient)}.", epoch, step + 1, history);
                    var (t, s) = optimizer.Step(Model().Parameters, Parameters.Own(layout, ToDouble(ws.Gradient)), state!);
                    Backpropagation.Convert(t.AsSpan(), next.AsSpan());
                    state = s;
                    finite = FirstNonFinite(next) is null;
                }
                // θ′ is checked: a non-finite gradient entry makes its θ′ entry non-finite, so it is caught here and reported as
                // the gradient's fault when it is; otherwise the update itself overflowed.
                if (!finite && FirstNonFinite(next) is int badTheta)
                {
                    if (FirstNonFinite(ws.Gradient) is int bad)
                        throw Diverged($"Training diverged at {Where()}: the gradient is {ws.Gradient[bad]} at {Describe(layout, bad)}.", epoch, step + 1, history);
                    throw Diverged($"Training diverged at {Where()}: the {optimizer.Name} update made {Describe(layout, badTheta)} {next[badTheta]}.", epoch, step + 1, history);
                }
                (theta, next) = (next, theta);
                buffers?.Commit();

                lossSum += options.StepReduction == Reduction.Mean ? value * rows : value;
                if (classification) correct += Correct(views.Output, views.Targets, threshold);
                seen += rows;
                progress?.Report(new TrainingProgress(epoch, step + 1, steps, seen, n, lossSum / seen, classification ? (double)correct / seen : null, null));
            }
            long count = buffers?.Count ?? state!.Count;
            return new EpochRecord(epoch, lossSum / seen, classification ? (double)correct / seen : null, null, null, count);
        }

        private TrainingDivergedException Diverged(string message, int epoch, int step, IReadOnlyList<EpochRecord> history) =>
            new(message, epoch, step, Model(), State(), [.. history]);

        private static double[] ToDouble(ReadOnlySpan<T> values)
        {
            var r = new double[values.Length];
            Backpropagation.Convert(values, r.AsSpan());
            return r;
        }

        private static int? FirstNonFinite(ReadOnlySpan<T> values)
        {
            if (System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(values)) return null;
            for (int i = 0; i < values.Length; i++) if (!T.IsFinite(values[i])) return i;
            return null;
        }

        private static string Describe(ParameterLayout layout, int index)
        {
            var (block, row, column) = layout.Locate(index);
            return $"{block} entry ({row}, {column})";
        }
    }

    private static T[] ToT<T>(ReadOnlySpan<double> values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var r = new T[values.Length];
        Backpropagation.Convert(values, r.AsSpan());
        return r;
    }

    private static string Diagnose<T>(Network model, ReadOnlySpan<T> theta, Mat<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        model.FirstNonFinite(x, theta) is { } w
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
        loss?.ValidateTargets(data.Y, $"Training: the {what} does not suit the {loss.Name} loss");
        if (data.InputSize != model.InputSize || data.TargetSize != model.OutputSize)
            throw new ArgumentException(
                $"Training: the {what} has inputs of width {data.InputSize} and targets of width {data.TargetSize}, " +
                $"but the network maps width {model.InputSize} to width {model.OutputSize}.");
    }
}
