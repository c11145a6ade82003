using MathDnn.Data;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Tests.Training;

public class TrainerTests
{
    /// <summary>Plain gradient descent written out here so the training tests do not depend on the optimizer library.</summary>
    private sealed record Descent(double Rate) : Optimizer
    {
        public override string Name => "test-descent";
        public override OptimizerState Init(Parameters parameters) => OptimizerState.Empty;
        public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
            (gradient.Scale(-Rate), state with { Count = state.Count + 1 });
    }

    [Fact]
    public void Same_seed_gives_bit_identical_history_and_parameters()
    {
        var data = BuiltInData.Digits().Split(0.9, seed: 3).Second;
        var options = new TrainingOptions(new CategoricalCrossEntropy(), new Descent(0.5)) { Epochs = 2, BatchSize = 16, Seed = 9 };
        var a = Trainer.Fit(Network.MultiClass([64, 16, 10], seed: 1), data, options);
        var b = Trainer.Fit(Network.MultiClass([64, 16, 10], seed: 1), data, options);
        Assert.Equal(a.History, b.History);
        Assert.Equal(a.Model.Parameters, b.Model.Parameters);
        var c = Trainer.Fit(Network.MultiClass([64, 16, 10], seed: 1), data, options with { Seed = 10 });
        Assert.NotEqual(a.Model.Parameters, c.Model.Parameters);
    }

    [Fact]
    public void Resumed_run_equals_uninterrupted_run_bit_for_bit()
    {
        var data = BuiltInData.Digits().Split(0.9, seed: 3).Second;
        var options = new TrainingOptions(new CategoricalCrossEntropy(), new Descent(0.5)) { Epochs = 3, BatchSize = 20, Seed = 4 };
        var net = Network.MultiClass([64, 12, 10], seed: 2);
        var whole = Trainer.Fit(net, data, options);
        var first = Trainer.Fit(net, data, options with { Epochs = 1 });
        var rest = Trainer.Fit(first.Model, data, options, state: first.State, startEpoch: 2);
        Assert.Equal(whole.Model.Parameters, rest.Model.Parameters);
        Assert.Equal(whole.History.Skip(1), rest.History);
        Assert.Equal(whole.State, rest.State);
    }

    [Fact]
    public void Divergence_names_epoch_step_and_layer_and_keeps_the_last_finite_model()
    {
        var data = BuiltInData.Digits().Split(0.9, seed: 3).Second;
        var options = new TrainingOptions(new SquaredError(), new Descent(1e50)) { Epochs = 20, BatchSize = 0 };
        var net = Network.Create(64, [new MathDnn.Layers.Dense(64, 10)], seed: 1);
        var ex = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(net, data, options));
        Assert.Contains($"epoch {ex.Epoch}, step {ex.Step}", ex.Message);
        Assert.Null(ex.LastModel.Parameters.FirstNonFinite());
        Assert.True(ex.Epoch >= 2, ex.Message); // the first loss is finite; a 1e50 step makes θ, then the loss, overflow a few steps later
    }
}

public class GradientDescentVariantTests
{
    // round(0.02·n_c) samples of each digit class (n_c from 174 to 183): 39 samples.
    private static Dataset Small() => BuiltInData.Digits().Split(0.02, seed: 1).Second;

    [Theory]
    [InlineData(0, 1)]   // 002 Section 7.1: batch gradient descent, one step per epoch
    [InlineData(1, 39)]  // 002 Section 7.2: stochastic gradient descent, one step per sample
    [InlineData(10, 4)]  // 002 Section 7.3: mini-batches of 10: ⌈39/10⌉ = 4 steps, the last of 9 samples
    public void Batch_stochastic_and_mini_batch_descent_take_the_expected_steps(int batch, int stepsPerEpoch)
    {
        var data = Small();
        Assert.Equal(39, data.Count);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Sgd(0.1)) { BatchSize = batch, Epochs = 2 };
        var fit = Trainer.Fit(Network.MultiClass([64, 10], seed: 1), data, options);
        Assert.Equal([stepsPerEpoch, 2 * stepsPerEpoch], fit.History.Select(h => (int)h.Steps));
    }

    [Fact]
    public void An_epoch_is_the_fold_of_pure_steps_over_the_batches_of_EpochOrder()
    {
        // 004 Algorithm 8.1 with momentum, batch b of epoch e taking samples EpochOrder(e)[b·B .. b·B + B − 1]: replayed
        // with the public pure API (Objective gradient, Optimizer.Step), it must give the engine's θ and state bit for bit.
        var data = Small();
        var net = Network.MultiClass([64, 12, 10], seed: 6);
        var optimizer = Optim.Momentum(0.1, 0.9, MomentumConvention.PyTorch);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), optimizer) { BatchSize = 16, Epochs = 2, Seed = 11 };
        var fit = Trainer.Fit(net, data, options);

        var objective = new Objective(new CategoricalCrossEntropy(), Reduction.Mean);
        var (theta, state) = (net.Parameters, optimizer.Init(net.Parameters));
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            var order = Trainer.EpochOrder(options, epoch, data.Count);
            Assert.Equal(Enumerable.Range(0, data.Count), order.Order());
            for (int start = 0; start < data.Count; start += 16)
            {
                var batch = data.Select(order[start..Math.Min(data.Count, start + 16)]);
                var g = objective.Gradient(net.WithParameters(theta), batch.Inputs, batch.Targets);
                (theta, state) = optimizer.Step(theta, g, state);
            }
        }
        Assert.Equal(theta, fit.Model.Parameters);
        Assert.Equal(state, fit.State);
        Assert.NotEqual(Trainer.EpochOrder(options, 1, data.Count), Trainer.EpochOrder(options, 2, data.Count));
        Assert.Equal(Enumerable.Range(0, 5), Trainer.EpochOrder(options with { Shuffle = false }, 1, 5));
    }

    [Fact]
    public void A_full_batch_step_is_004_Algorithm_8_1_with_the_gradient_averaged_over_m()
    {
        var data = Small();
        var net = Network.MultiClass([64, 10], seed: 3);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Sgd(0.5)) { BatchSize = 0, Epochs = 1, Shuffle = false };
        var trained = Trainer.Fit(net, data, options).Model;
        // θ ← θ − ε·(1/m)∇_θ Σᵢ L(f(xᵢ; θ), yᵢ)
        var g = new Objective(new CategoricalCrossEntropy(), Reduction.Sum).Gradient(net, data.Inputs, data.Targets);
        var expected = net.Parameters.AddScaled(-0.5 / data.Count, g);
        // Same operations in another order (mean inside the loss vs. scaling the summed gradient): agreement to rounding,
        // |Δθ| ≤ a few ε·|θ| with |θ| ≲ 1.
        Assert.True((trained.Parameters - expected).MaxAbs() < 1e-14, $"{(trained.Parameters - expected).MaxAbs()}");
    }
}

public class FitTests
{
    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];
        public void Report(TrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public void Progress_reports_every_step_and_every_completed_epoch()
    {
        var data = BuiltInData.Digits().Split(0.05, seed: 1).Second; // 90 samples
        var recorder = new Recorder();
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Sgd(0.1)) { Epochs = 2, BatchSize = 40 };
        var fit = Trainer.Fit(Network.MultiClass([64, 10], seed: 1), data, options, progress: recorder);
        // ⌈90/40⌉ = 3 steps per epoch, then one epoch report: 2·(3 + 1) = 8 reports.
        Assert.Equal(8, recorder.Reports.Count);
        Assert.Equal([40, 80, 90], recorder.Reports.Take(3).Select(r => r.SamplesSeen));
        Assert.Equal(fit.History, recorder.Reports.Where(r => r.Completed is not null).Select(r => r.Completed!));
    }

    [Fact]
    public void Early_stopping_002_Section_10_stops_after_patience_epochs_without_a_better_validation_loss_and_restores_the_best()
    {
        var (train, validation) = BuiltInData.Digits().Split(0.5, seed: 2);
        // A learning rate far too large: the validation loss stops improving quickly.
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Sgd(5.0)) { Epochs = 40, BatchSize = 16, Patience = 3 };
        var fit = Trainer.Fit(Network.MultiClass([64, 32, 10], seed: 3), train, options, validation);
        Assert.Equal(StopReason.EarlyStopping, fit.Reason);
        var losses = fit.History.Select(h => h.ValidationLoss!.Value).ToList();
        int best = losses.IndexOf(losses.Min());
        Assert.Equal(best + 1, fit.BestEpoch);
        Assert.Equal(best + 1 + 3, fit.History.Count); // three epochs without improvement after the best
        var (restoredLoss, _) = Trainer.Evaluate(fit.Model, validation, options.Loss);
        Assert.Equal(losses[best], restoredLoss, 12);
    }
}
