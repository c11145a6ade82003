using System.Collections.Immutable;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// Sizes of the Hardt experiment: training-set sizes n, epoch counts (T = epochs·n steps), repeats averaged per (n, T),
/// the step size as a fraction of Hardt's limit 2/β (η = StepFraction·2/β ≤ 2/β), the held-out pool size, and which
/// digits form the positive class of the binary task.
/// </summary>
/// <param name="Seed">The seed of every random draw (default 0).</param>
/// <param name="SampleSizes">The training-set sizes n (default [50, 100, 200, 400]).</param>
/// <param name="Epochs">The epoch counts (default [1, 2, 4]); T = epochs·n.</param>
/// <param name="Repeats">The repeats averaged per (n, T) (default 8).</param>
/// <param name="StepFraction">η as a fraction of 2/β (default 0.5, in ]0, 1]).</param>
/// <param name="TestSize">The held-out pool standing for the population (default 797 samples).</param>
/// <param name="PositiveDigits">The digits of the positive class (default the even ones).</param>
public sealed record HardtOptions(int Seed = 0, ImmutableArray<int> SampleSizes = default, ImmutableArray<int> Epochs = default, int Repeats = 8,
    double StepFraction = 0.5, int TestSize = 797, ImmutableArray<int> PositiveDigits = default)
{
    /// <summary>The sample sizes, [50, 100, 200, 400] when not given.</summary>
    public ImmutableArray<int> SampleSizesOrDefault => SampleSizes.IsDefault ? [50, 100, 200, 400] : SampleSizes;
    /// <summary>The epoch counts, [1, 2, 4] when not given.</summary>
    public ImmutableArray<int> EpochsOrDefault => Epochs.IsDefault ? [1, 2, 4] : Epochs;
    /// <summary>The positive digits, [0, 2, 4, 6, 8] (the even ones) when not given.</summary>
    public ImmutableArray<int> PositiveDigitsOrDefault => PositiveDigits.IsDefault ? [0, 2, 4, 6, 8] : PositiveDigits;
}

/// <summary>One (n, T) cell: the bound (2L²/n)·Σ_{t≤T} η_t and the measured generalisation gap, mean (and standard error) over the repeats.</summary>
/// <param name="SampleSize">n.</param>
/// <param name="Epochs">The epochs run.</param>
/// <param name="Steps">T = epochs·n.</param>
/// <param name="Bound">(2L²/n)·Σ_{t≤T} η_t.</param>
/// <param name="MeanGap">The held-out loss minus the training loss, averaged over the repeats.</param>
/// <param name="GapStandardError">The standard error of that mean.</param>
/// <param name="MeanTrainLoss">The mean training loss.</param>
/// <param name="MeanTestLoss">The mean held-out loss.</param>
/// <param name="BoundHolds">Whether MeanGap ≤ Bound.</param>
public sealed record HardtCell(int SampleSize, int Epochs, int Steps, double Bound, double MeanGap, double GapStandardError, double MeanTrainLoss, double MeanTestLoss, bool BoundHolds);

/// <summary>The result of <see cref="HardtExperiment.Run"/>.</summary>
/// <param name="Lipschitz">L = max ‖x̃‖ over the data.</param>
/// <param name="Beta">β = max ‖x̃‖²/4.</param>
/// <param name="StepSize">η = StepFraction·2/β.</param>
/// <param name="PoolSize">The samples the training sets are drawn from.</param>
/// <param name="TestSize">The held-out samples.</param>
/// <param name="Cells">One cell per (n, epochs).</param>
public sealed record HardtResult(double Lipschitz, double Beta, double StepSize, int PoolSize, int TestSize, ImmutableArray<HardtCell> Cells) : ITheoryResult
{
    /// <inheritdoc/>
    public string Name => "hardt";
    /// <inheritdoc/>
    public string Statement => "Hardt, Recht & Singer 2016 (004): convex, β-smooth, L-Lipschitz loss, SGD with η_t ≤ 2/β for T steps ⇒ E[generalisation gap] ≤ (2L²/n) Σ η_t";
    /// <summary>In every (n, T) cell the mean measured gap is at most (2L²/n)·Σ η_t.</summary>
    public bool Holds => Cells.All(c => c.BoundHolds);

    /// <inheritdoc/>
    public string Verdict =>
        $"Logistic regression on a binary digits task: L = {Lipschitz:G4}, β = {Beta:G4}, η = {StepSize:G4} (2/β = {2 / Beta:G4}). " +
        string.Join(" ", Cells.Select(c => $"n = {c.SampleSize}, T = {c.Steps}: gap {c.MeanGap:G3} ± {c.GapStandardError:G2} ≤ bound {c.Bound:G3}{(c.BoundHolds ? "" : " FAILS")};"));

    /// <summary>Bound and measured gap against n, one pair of curves per epoch count (log–log).</summary>
    public ImmutableArray<Plot> Plots =>
    [
        new("Hardt's stability bound against the measured gap", "n", "test loss − training loss", true, true,
            [.. Cells.Select(c => c.Epochs).Distinct().SelectMany(e => new[]
            {
                Series.Of($"bound, {e} epoch(s)", Cells.Where(c => c.Epochs == e).Select(c => (double)c.SampleSize), Cells.Where(c => c.Epochs == e).Select(c => c.Bound)),
                Series.Of($"gap, {e} epoch(s)", Cells.Where(c => c.Epochs == e).Select(c => (double)c.SampleSize), Cells.Where(c => c.Epochs == e).Select(c => Math.Max(c.MeanGap, 1e-6))),
            })]),
    ];
}

/// <summary>
/// Hardt, Recht &amp; Singer 2016 (004, "Hardt's theorem") as an experiment. Task: a binary task of the digits data
/// (positive class = <see cref="HardtOptions.PositiveDigits"/>). Model: logistic regression, the network
/// 𝕃(64 → 1) then sigmoid with binary cross-entropy (fused on the logit, <see cref="SigmoidBinaryCrossEntropy"/>),
/// from θ₀ = 0. Per sample z = (x, y) the loss ℓ(θ; z) = softplus(θ·x̃ᵀ) − y·θ·x̃ᵀ with x̃ = (x, 1) is convex; its gradient
/// (σ − y)·x̃ has norm ≤ ‖x̃‖, so it is L-Lipschitz with L = max ‖x̃‖ over the data; its Hessian σ'·x̃ᵀx̃ has norm ≤ ‖x̃‖²/4,
/// so it is β-smooth with β = max ‖x̃‖²/4. SGD with batch 1 (<see cref="Trainer"/>, one shuffled pass per epoch) and
/// constant η ≤ 2/β for T steps then has E_{S,A}[J(A(S)) − Ĵ(A(S))] ≤ (2L²/n)·T·η. The gap is measured as the mean loss on
/// a held-out pool (standing for J) minus the mean loss on the n training samples (Ĵ), averaged over repeats that draw
/// S and the shuffles afresh.
/// </summary>
public static class HardtExperiment
{
    /// <summary>Runs the experiment on <paramref name="digits"/> (the 64-pixel digits with one-hot labels; defaults: <see cref="HardtOptions"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="digits"/> is null.</exception>
    /// <exception cref="ArgumentException">A size, epoch count or the repeats is not positive, the step fraction is not in ]0, 1], or the data is too small for the pool and the largest training set.</exception>
    public static HardtResult Run(Dataset digits, HardtOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var o = options ?? new HardtOptions();
        var sizes = o.SampleSizesOrDefault;
        var epochs = o.EpochsOrDefault;
        if (sizes.IsEmpty || epochs.IsEmpty || sizes.Any(n => n < 1) || epochs.Any(e => e < 1) || o.Repeats < 1)
            throw new ArgumentException("Hardt experiment: sample sizes, epochs and repeats must be positive and non-empty.");
        if (!(o.StepFraction > 0 && o.StepFraction <= 1))
            throw new ArgumentException($"Hardt experiment: η = StepFraction·2/β needs StepFraction in ]0, 1] (the theorem's η_t ≤ 2/β), got {o.StepFraction}.");
        var binary = Binary(digits, o.PositiveDigitsOrDefault);
        if (o.TestSize < 1 || o.TestSize + sizes.Max() > binary.Count)
            throw new ArgumentException($"Hardt experiment: a held-out pool of {o.TestSize} and training sets of up to {sizes.Max()} need {o.TestSize + sizes.Max()} samples; the data has {binary.Count}.");

        // L and β over the whole data (the support of the distribution the samples come from).
        double maxNorm2 = 0;
        var x = binary.Inputs;
        for (int i = 0; i < x.RowCount; i++) maxNorm2 = Math.Max(maxNorm2, x.Row(i).DotProduct(x.Row(i)) + 1);
        double lipschitz = Math.Sqrt(maxNorm2), beta = maxNorm2 / 4, eta = o.StepFraction * 2 / beta;

        var order = new Rng(o.Seed).Permutation(binary.Count);
        var test = binary.Select(order[..o.TestSize]);
        var pool = order[o.TestSize..];
        var loss = new BinaryCrossEntropy();
        var model0 = Network.Create(binary.InputSize, [new Dense(binary.InputSize, 1), new Sigmoid()], Initialization.Zeros);
        var cells = ImmutableArray.CreateBuilder<HardtCell>();
        foreach (int n in sizes)
        {
            var gaps = epochs.ToDictionary(e => e, _ => new List<(double Train, double Test)>());
            for (int r = 0; r < o.Repeats; r++)
            {
                var rng = Rng.Derive(o.Seed, 1000L * n + r);
                var perm = rng.Permutation(pool.Length);
                var train = binary.Select([.. perm[..n].Select(i => pool[i])]);
                var options1 = new TrainingOptions(loss, Optim.Sgd(eta)) { BatchSize = 1, Seed = rng.NextInt(int.MaxValue) };
                var (model, state) = (model0, options1.Optimizer.Init(model0.Parameters));
                for (int e = 1; e <= epochs.Max(); e++)
                {
                    (model, state, _) = Trainer.Epoch(model, state, train, options1, e);
                    if (gaps.TryGetValue(e, out var list))
                        list.Add((Trainer.Evaluate(model, train, loss).Loss, Trainer.Evaluate(model, test, loss).Loss));
                }
            }
            foreach (int e in epochs)
            {
                var list = gaps[e];
                var g = list.Select(p => p.Test - p.Train).ToArray();
                double mean = g.Average();
                double se = g.Length > 1 ? Math.Sqrt(g.Sum(v => (v - mean) * (v - mean)) / (g.Length - 1) / g.Length) : 0;
                int steps = e * n;
                double bound = 2 * lipschitz * lipschitz / n * steps * eta; // (2L²/n)·Σ_{t=1}^{T} η, η constant
                cells.Add(new HardtCell(n, e, steps, bound, mean, se, list.Average(p => p.Train), list.Average(p => p.Test), mean <= bound));
            }
        }
        return new HardtResult(lipschitz, beta, eta, pool.Length, test.Count, cells.ToImmutable());
    }

    /// <summary>The data with one target column: 1 for the positive digits, 0 otherwise.</summary>
    private static Dataset Binary(Dataset digits, ImmutableArray<int> positive)
    {
        var labels = digits.Labels();
        var y = Matrix<double>.Build.Dense(labels.Length, 1, (i, _) => positive.Contains(labels[i]) ? 1.0 : 0.0);
        return new Dataset(digits.Inputs, y);
    }
}
