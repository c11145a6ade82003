using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.Training;

/// <summary>
/// How to train: the loss, the optimizer, the batch size, the epochs and the seed.
/// <para>
/// Batch size: 0 means the whole training set in one batch (batch gradient descent, 002 Section 7.1); 1 is stochastic
/// gradient descent (002 Section 7.2); m &gt; 1 is mini-batch gradient descent (002 Section 7.3). Each step's gradient is
/// the mean over the batch, ĝ = (1/m)∇_θ Σᵢ L(f(xᵢ; θ), yᵢ) as in 004 Algorithm 8.1 (<see cref="StepReduction"/> = Mean),
/// or the sum of 003 Def 5.2 when <see cref="StepReduction"/> = Sum. A last, smaller batch takes the remaining samples.
/// </para>
/// <para>
/// Shuffling: epoch e visits the samples in the permutation drawn from <c>Rng.Derive(Seed, e)</c>, so a run resumed
/// at epoch e with the saved model and optimizer state continues bit for bit.
/// </para>
/// <para>
/// Shards (data parallelism, 003 Def 5.2: the objective is a sum over samples, so its gradient is the sum of the shards'
/// gradients): with <see cref="Shards"/> = K ≥ 2 every step cuts its mini-batch of B rows into K contiguous shards
/// (<see cref="Distributed.Shards.Of"/>), computes each shard's summed gradient g_s on its own, and takes
/// ĝ = (…(g₀ + g₁) + …) + g_{K−1} over the non-empty shards in shard order (divided by B for the mean). A run on N ranks
/// (<see cref="Trainer.Fit"/> with a communicator of N ranks) always computes this with K = N, one shard per rank, so a single
/// process with Shards = N reproduces an N-rank run bit for bit (the exact mode), and N ranks reproduce each other's runs.
/// </para>
/// <para>Early stopping (002 Section 10): with a validation set and <see cref="Patience"/> = p, training stops after p epochs
/// without a validation loss lower than the best so far, and returns the best model when <see cref="RestoreBest"/>.</para>
/// </summary>
/// <param name="Loss">ξ, the per-sample loss of the objective.</param>
/// <param name="Optimizer">The optimizer (or chain of transformations) that turns each step's gradient into an update.</param>
public sealed record TrainingOptions(Loss Loss, Optimizer Optimizer)
{
    /// <summary>Samples per step: 0 for the whole set (batch GD), 1 for SGD, m &gt; 1 for mini-batches; default 32. Must be ≥ 0.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>The last epoch to run (epochs are numbered from 1); default 10. Must be ≥ 0.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>The seed of the epoch permutations and of the layers' draws (e.g. dropout); default 0.</summary>
    public int Seed { get; init; }
    /// <summary>Whether each epoch visits the samples in a seeded permutation (default) or in their order.</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>How a step combines the batch's losses: <see cref="Reduction.Mean"/> (default, 004 Algorithm 8.1) or <see cref="Reduction.Sum"/> (003 Def 5.2).</summary>
    public Reduction StepReduction { get; init; } = Reduction.Mean;
    /// <summary>Early stopping after this many epochs (≥ 1) without a lower validation loss; null (default) for none. Needs a validation set.</summary>
    public int? Patience { get; init; }
    /// <summary>On early stopping, return the model and optimizer state of the best validation epoch (default) instead of the last.</summary>
    public bool RestoreBest { get; init; } = true;

    /// <summary>The element type of the forward/backward passes and optimizer updates (float64 by default).</summary>
    public Precision Precision { get; init; } = Precision.Float64;

    /// <summary>
    /// K, the shards of every step's gradient: 0 (default) or 1 computes the mini-batch in one pass; K ≥ 2 sums the K shards'
    /// gradients in shard order, as a run on K ranks does (so one process reproduces it bit for bit). On N ≥ 2 ranks it must be 0 or N.
    /// </summary>
    public int Shards { get; init; }

    /// <summary>A copy with the given options changed (for F# and other callers without <c>with</c> expressions).</summary>
    public TrainingOptions With(int? batchSize = null, int? epochs = null, int? seed = null, int? patience = null, Reduction? stepReduction = null, bool? shuffle = null, Precision? precision = null, int? shards = null) =>
        this with
        {
            BatchSize = batchSize ?? BatchSize,
            Epochs = epochs ?? Epochs,
            Seed = seed ?? Seed,
            Patience = patience ?? Patience,
            StepReduction = stepReduction ?? StepReduction,
            Shuffle = shuffle ?? Shuffle,
            Precision = precision ?? Precision,
            Shards = shards ?? Shards,
        };

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Loss);
        ArgumentNullException.ThrowIfNull(Optimizer);
        if (BatchSize < 0) throw new ArgumentException($"Training: the batch size must be ≥ 0 (0 = the whole set), got {BatchSize}.");
        if (Epochs < 0) throw new ArgumentException($"Training: the number of epochs must be ≥ 0, got {Epochs}.");
        if (Patience is < 1) throw new ArgumentException($"Training: the patience must be ≥ 1 epoch, got {Patience}.");
        if (Shards < 0) throw new ArgumentException($"Training: the number of shards must be ≥ 0 (0 = none), got {Shards}.");
    }
}

/// <summary>The outcome of a fit: the final (or best) model, the optimizer state to resume from, the history, and why it stopped.</summary>
/// <param name="Model">The model after the last epoch, or the best one when early stopping restored it.</param>
/// <param name="State">The optimizer state that goes with <paramref name="Model"/>, to resume from.</param>
/// <param name="History">One record per epoch run.</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss (training loss without a validation set); the epoch before the first when none ran.</param>
/// <param name="Reason">Why the fit stopped.</param>
public sealed record TrainingResult(Network Model, OptimizerState State, IReadOnlyList<EpochRecord> History, int BestEpoch, StopReason Reason);

/// <summary>
/// Training stopped because a loss, gradient or parameter became non-finite. The message names where it first appeared
/// (epoch, step, and the layer and parameter, or the layer whose output overflowed); <see cref="LastModel"/> and
/// <see cref="LastState"/> are the last finite model and optimizer state, so nothing learned is lost.
/// </summary>
/// <param name="message">Where the non-finite value appeared, and a diagnosis.</param>
/// <param name="epoch">The epoch (from 1).</param>
/// <param name="step">The step within the epoch (from 1).</param>
/// <param name="lastModel">The last finite model.</param>
/// <param name="lastState">Its optimizer state.</param>
/// <param name="history">The epochs completed.</param>
public sealed class TrainingDivergedException(string message, int epoch, int step, Network lastModel, OptimizerState lastState, IReadOnlyList<EpochRecord> history)
    : Exception(message)
{
    /// <summary>The epoch (from 1) in which the non-finite value appeared.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>The step (from 1, within the epoch) in which it appeared.</summary>
    public int Step { get; } = step;
    /// <summary>The last model whose parameters were all finite.</summary>
    public Network LastModel { get; } = lastModel;
    /// <summary>The optimizer state that goes with <see cref="LastModel"/>.</summary>
    public OptimizerState LastState { get; } = lastState;
    /// <summary>The records of the epochs completed before the divergence.</summary>
    public IReadOnlyList<EpochRecord> History { get; } = history;
}
