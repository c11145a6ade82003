using MathDnn.Distributed;
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
/// Data parallelism: given a communicator of N ≥ 2 ranks (<see cref="ICommunicator"/>), every rank holds the same model,
/// optimizer state, data and options (checked before the first step: a rank that differs stops every rank with an
/// <see cref="ArgumentException"/> naming it); at every step rank r computes the summed gradient of shard r of the mini-batch
/// (<see cref="Shards"/>; a rank whose shard is empty computes nothing), the shards' gradients, losses and correct counts are
/// all-gathered and added in rank order, and every rank applies the same update, so every rank returns the same result, bit
/// for bit on every run, and equal to one process with <see cref="TrainingOptions.Shards"/> = N. Dropout draws by the row's
/// index in the whole mini-batch (<see cref="Layers.Batch.FirstRow"/>). A rank whose part of a step throws makes every rank
/// throw <see cref="RankFailedException"/> naming it; a non-finite loss on any shard makes every rank throw the same
/// <see cref="TrainingDivergedException"/>. Validation is evaluated by every rank on the whole validation set.
/// </para>
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
    /// <param name="model">θ and the architecture.</param>
    /// <param name="state">The optimizer state to start from.</param>
    /// <param name="data">The training set.</param>
    /// <param name="options">How to train.</param>
    /// <param name="epoch">The epoch's number (from 1): it seeds the permutation and the layers' draws.</param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="communicator">The ranks of a data-parallel run (see <see cref="Trainer"/>); null or <see cref="Communicator.Single"/> for one process.</param>
    public static (Network Model, OptimizerState State, EpochRecord Record) Epoch(
        Network model, OptimizerState state, Dataset data, TrainingOptions options, int epoch, IProgress<TrainingProgress>? progress = null,
        ICommunicator? communicator = null)
    {
        var comm = communicator ?? Communicator.Single;
        RankAgreement.Check(comm, () =>
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(state);
            ArgumentNullException.ThrowIfNull(data);
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            CheckData(model, data, "training set", options.Loss);
            return RankAgreement.Fingerprints(comm, model, state, data, null, options, epoch);
        });
        var run = Engine.Create(model, state, data, options, comm);
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
    /// <param name="model">θ₀ and the architecture.</param>
    /// <param name="train">The training set.</param>
    /// <param name="options">How to train.</param>
    /// <param name="validation">Evaluated after every epoch (and monitored by early stopping) when given.</param>
    /// <param name="progress">Receives a report after every step and every epoch.</param>
    /// <param name="state">The optimizer state to resume from; null for the optimizer's initial state.</param>
    /// <param name="startEpoch">The first epoch to run (from 1).</param>
    /// <param name="cancellation">Checked before every epoch; a cancelled fit returns what it has (<see cref="StopReason.Cancelled"/>). On several ranks, cancel all of them alike.</param>
    /// <param name="communicator">The ranks of a data-parallel run (see <see cref="Trainer"/>); null or <see cref="Communicator.Single"/> for one process.</param>
    public static TrainingResult Fit(
        Network model, Dataset train, TrainingOptions options, Dataset? validation = null,
        IProgress<TrainingProgress>? progress = null, OptimizerState? state = null, int startEpoch = 1,
        CancellationToken cancellation = default, ICommunicator? communicator = null)
    {
        var comm = communicator ?? Communicator.Single;
        OptimizerState v = null!;
        RankAgreement.Check(comm, () =>
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(train);
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            CheckData(model, train, "training set", options.Loss);
            if (validation is not null) CheckData(model, validation, "validation set", options.Loss);
            if (startEpoch < 1) throw new ArgumentException($"Training: epochs are numbered from 1, got start epoch {startEpoch}.");
            v = state ?? options.Optimizer.Init(model.Parameters);
            return RankAgreement.Fingerprints(comm, model, v, train, validation, options, startEpoch);
        });
        var run = Engine.Create(model, v, train, options, comm);
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
        public static Engine Create(Network model, OptimizerState state, Dataset data, TrainingOptions options, ICommunicator comm)
        {
            if (last is { InUse: false } engine && engine.TryReuse(model, state, data, options, comm))
            {
                engine.InUse = true;
                return engine;
            }
            var created = options.Precision == Precision.Float32
                ? (Engine)new Engine<float>(model, state, data, options, comm)
                : new Engine<double>(model, state, data, options, comm);
            created.InUse = true;
            if (last is not { InUse: true }) last = created;
            return created;
        }

        public bool InUse { get; private set; }

        public void Release() => InUse = false;

        protected static int BatchSize(Dataset data, TrainingOptions options) =>
            options.BatchSize == 0 ? data.Count : Math.Min(options.BatchSize, data.Count);

        /// <summary>K, the shards of a step: N on N ≥ 2 ranks, else the options' (1 for none).</summary>
        protected static int ShardCount(TrainingOptions options, ICommunicator comm) => comm.Size > 1 ? comm.Size : Math.Max(1, options.Shards);

        protected abstract bool TryReuse(Network model, OptimizerState state, Dataset data, TrainingOptions options, ICommunicator comm);

        public abstract EpochRecord RunEpoch(int epoch, IProgress<TrainingProgress>? progress, IReadOnlyList<EpochRecord> history);
        public abstract Network Model();
        public abstract OptimizerState State();
    }

    private sealed class Engine<T> : Engine where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        private const int Stats = 3;                  // a rank's block ends with (status, Σ loss, correct) in double
        private const double Empty = 0, Ok = 1, NonFinite = 2, Failed = 3;

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
        private readonly ICommunicator comm;
        private readonly int shards;                  // K: 1 for one pass per step, else the gradient is the sum of K shards'
        private readonly T[] sum = [];                // Σ_s g_s when K ≥ 2
        private readonly byte[] send = [], gathered = []; // a rank's block (gradient, padded to 8 bytes, then Stats doubles) and all N of them
        private readonly int gradientBytes;

        public Engine(Network model, OptimizerState state, Dataset data, TrainingOptions options, ICommunicator comm)
        {
            architecture = model;
            this.data = data;
            this.options = options;
            this.comm = comm;
            batch = BatchSize(data, options);
            shards = ShardCount(options, comm);
            ws = new Workspace<T>(model, options.Loss, Math.Max(1, (batch + shards - 1) / shards));
            x = Inputs(data, null);
            theta = ToT<T>(model.Parameters.AsSpan());
            next = new T[theta.Length];
            update = new T[theta.Length];
            if (shards > 1) sum = new T[theta.Length];
            if (comm.Size > 1)
            {
                gradientBytes = (theta.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + 7) / 8 * 8;
                send = new byte[gradientBytes + Stats * sizeof(double)];
                gathered = new byte[send.Length * comm.Size];
            }
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

        protected override bool TryReuse(Network model, OptimizerState state, Dataset data, TrainingOptions options, ICommunicator comm)
        {
            if (typeof(T) == typeof(float) != (options.Precision == Precision.Float32)) return false;
            if (!ReferenceEquals(comm, this.comm) || ShardCount(options, comm) != shards) return false;
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

        /// <summary>Copies rows <paramref name="first"/> … first + rows − 1 of the epoch's order into the workspace.</summary>
        private Workspace<T>.Views Load(int[] order, int first, int rows)
        {
            int d = data.InputSize, c = data.TargetSize;
            var views = ws.For(rows);
            var input = views.Input.Span;
            var targets = views.Targets.Span;
            Kernels.ParallelMap.GatherRows<T>(x, d, order.AsSpan(first, rows), input); // split over the GEMM workers: the rows wait on memory
            for (int i = 0; i < rows; i++) data.Y.Row(order[first + i]).CopyTo(targets.Slice(i * c, c));
            return views;
        }

        public override EpochRecord RunEpoch(int epoch, IProgress<TrainingProgress>? progress, IReadOnlyList<EpochRecord> history)
        {
            int n = data.Count;
            int steps = (n + batch - 1) / batch;
            var order = EpochOrder(options, epoch, n);
            bool classification = IsClassification(options.Loss, data.TargetSize);
            double threshold = Threshold(architecture, options.Loss);
            var layout = architecture.Parameters.Layout;
            var optimizer = options.Optimizer;

            double lossSum = 0;
            int correct = 0, seen = 0;
            for (int step = 0; step < steps; step++)
            {
                int start = step * batch, rows = Math.Min(batch, n - start);
                ulong seed = Layers.Batch.StepSeed(options.Seed, epoch, step);
                string Where() => At(epoch, step, steps);
                T[] gradient;
                if (shards == 1)
                {
                    var views = Load(order, start, rows);
                    double value = Backpropagation.Run(ws, views, theta, options.StepReduction, gradient: true, seed);
                    if (!double.IsFinite(value))
                        throw Diverged($"Training diverged at {Where()}: the loss is {value}; {Diagnose(architecture, theta, views.Input)}", epoch, step + 1, history);
                    lossSum += options.StepReduction == Reduction.Mean ? value * rows : value;
                    if (classification) correct += Correct(views.Output, views.Targets, threshold);
                    gradient = ws.Gradient;
                }
                else
                {
                    var (total, right) = comm.Size == 1
                        ? ShardsInOrder(order, start, rows, seed, classification, threshold, epoch, step, steps, history)
                        : ShardsOfRanks(order, start, rows, seed, classification, threshold, epoch, step, steps, history);
                    if (options.StepReduction == Reduction.Mean)
                        System.Numerics.Tensors.TensorPrimitives.Divide(sum, T.CreateTruncating(rows), sum); // ĝ = (1/B)·Σ_s g_s
                    lossSum += total;
                    correct += right;
                    gradient = sum;
                }

                bool finite;
                if (buffers is not null)
                {
                    finite = optimizer.Apply<T>(gradient, theta, next, update, buffers); // θ′ = θ + u, checked in the same pass
                }
                else
                {
                    if (FirstNonFinite(gradient) is int badGradient)
                        throw Diverged($"Training diverged at {Where()}: the gradient is {gradient[badGradient]} at {Describe(layout, badGradient)}.", epoch, step + 1, history);
                    var (t, s) = optimizer.Step(Model().Parameters, Parameters.Own(layout, ToDouble(gradient)), state!);
                    Backpropagation.Convert(t.AsSpan(), next.AsSpan());
                    state = s;
                    finite = FirstNonFinite(next) is null;
                }
                // θ′ is checked: a non-finite gradient entry makes its θ′ entry non-finite, so it is caught here and reported as
                // the gradient's fault when it is; otherwise the update itself overflowed.
                if (!finite && FirstNonFinite(next) is int badTheta)
                {
                    if (FirstNonFinite(gradient) is int bad)
                        throw Diverged($"Training diverged at {Where()}: the gradient is {gradient[bad]} at {Describe(layout, bad)}.", epoch, step + 1, history);
                    throw Diverged($"Training diverged at {Where()}: the {optimizer.Name} update made {Describe(layout, badTheta)} {next[badTheta]}.", epoch, step + 1, history);
                }
                (theta, next) = (next, theta);
                buffers?.Commit();

                seen += rows;
                progress?.Report(new TrainingProgress(epoch, step + 1, steps, seen, n, lossSum / seen, classification ? (double)correct / seen : null, null));
            }
            long count = buffers?.Count ?? state!.Count;
            return new EpochRecord(epoch, lossSum / seen, classification ? (double)correct / seen : null, null, null, count);
        }

        /// <summary>One process, K shards: Σ_s g_s into <see cref="sum"/> over the non-empty shards in order; returns (Σ_s loss_s, correct).</summary>
        private (double Loss, int Correct) ShardsInOrder(int[] order, int start, int rows, ulong seed, bool classification, double threshold,
            int epoch, int step, int steps, IReadOnlyList<EpochRecord> history)
        {
            double total = 0;
            int correct = 0;
            for (int s = 0; s < shards; s++)
            {
                var (first, count) = Shards.Of(rows, shards, s);
                if (count == 0) break; // the empty shards are the last ones
                var views = Load(order, start + first, count);
                double value = Backpropagation.Run(ws, views, theta, Reduction.Sum, gradient: true, seed, first);
                if (!double.IsFinite(value))
                    throw Diverged($"Training diverged at {At(epoch, step, steps)}: the loss is {value} on shard {s + 1} of {shards} (rows {first}..{first + count - 1} of the batch); " +
                        Diagnose(architecture, theta, views.Input), epoch, step + 1, history);
                if (s == 0) { ws.Gradient.CopyTo(sum, 0); total = value; }
                else { System.Numerics.Tensors.TensorPrimitives.Add<T>(sum, ws.Gradient, sum); total += value; }
                if (classification) correct += Correct(views.Output, views.Targets, threshold);
            }
            return (total, correct);
        }

        /// <summary>
        /// N ranks: this rank's shard, then an all-gather of every rank's (g_r, status, loss_r, correct_r) and Σ_r g_r in rank order
        /// into <see cref="sum"/>, the same additions as <see cref="ShardsInOrder"/>. A rank whose part threw or whose loss is not
        /// finite is reported by every rank alike, with the text that rank broadcasts.
        /// </summary>
        private (double Loss, int Correct) ShardsOfRanks(int[] order, int start, int rows, ulong seed, bool classification, double threshold,
            int epoch, int step, int steps, IReadOnlyList<EpochRecord> history)
        {
            int rank = comm.Rank, block = send.Length;
            var (first, count) = Shards.Of(rows, shards, rank);
            var stats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(send.AsSpan(gradientBytes));
            stats.Clear();
            string? text = null;
            Exception? failure = null;
            if (count > 0)
            {
                try
                {
                    var views = Load(order, start + first, count);
                    double value = Backpropagation.Run(ws, views, theta, Reduction.Sum, gradient: true, seed, first);
                    stats[1] = value;
                    if (!double.IsFinite(value))
                    {
                        stats[0] = NonFinite;
                        text = Diagnose(architecture, theta, views.Input);
                    }
                    else
                    {
                        stats[0] = Ok;
                        System.Runtime.InteropServices.MemoryMarshal.AsBytes(ws.Gradient.AsSpan()).CopyTo(send);
                        if (classification) stats[2] = Correct(views.Output, views.Targets, threshold);
                    }
                }
                catch (Exception e)
                {
                    stats[0] = Failed;
                    text = $"{e.GetType().Name}\n{e.Message}";
                    failure = e;
                }
            }
            comm.AllGather(send, gathered);

            double Stat(int q, int i) => System.BitConverter.ToDouble(gathered, q * block + gradientBytes + i * sizeof(double));
            for (int q = 0; q < comm.Size; q++)
            {
                double status = Stat(q, 0);
                if (status is Empty or Ok) continue;
                string message = comm.BroadcastText(q, text);
                var (qFirst, qCount) = Shards.Of(rows, shards, q);
                if (status == NonFinite)
                    throw Diverged($"Training diverged at {At(epoch, step, steps)}: the loss is {Stat(q, 1)} on shard {q + 1} of {shards} (rank {q}, rows {qFirst}..{qFirst + qCount - 1} of the batch); {message}",
                        epoch, step + 1, history);
                int cut = message.IndexOf('\n'); // "type\nmessage"
                throw new RankFailedException(q, $"at {At(epoch, step, steps)}: {message[(cut + 1)..]}", message[..Math.Max(0, cut)], q == rank ? failure : null);
            }

            double total = 0;
            int correct = 0;
            for (int q = 0; q < comm.Size && Stat(q, 0) == Ok; q++) // the ranks with an empty shard are the last ones
            {
                var g = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(gathered.AsSpan(q * block, theta.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
                if (q == 0) { g.CopyTo(sum); total = Stat(q, 1); }
                else { System.Numerics.Tensors.TensorPrimitives.Add<T>(sum, g, sum); total += Stat(q, 1); }
                correct += (int)Stat(q, 2);
            }
            return (total, correct);
        }

        /// <summary>"epoch e, step s of S" (s from 0 in, from 1 out).</summary>
        private static string At(int epoch, int step, int steps) => $"epoch {epoch}, step {step + 1} of {steps}";

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
