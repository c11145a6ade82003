using MathDnn.Data;
using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Tests.Training;

public class EngineTests
{
    private static Dataset Digits(double fraction) => BuiltInData.Digits().Split(fraction, seed: 5).Second;

    /// <summary>An optimizer without a kernel: the engine must fall back to its pure Update, with identical results.</summary>
    private sealed record Opaque(Optimizer Inner) : Optimizer
    {
        public override string Name => "opaque";
        public override OptimizerState Init(Parameters parameters) => Inner.Init(parameters);
        public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
            Inner.Update(gradient, state, parameters);
    }

    // Networks of 1,210 parameters (one thread, a partial last vector) and 133,898 (past ParallelMap.MinParallelLength = 65,536:
    // the fused optimizer pass is split over the worker threads).
    [Theory]
    [InlineData("momentum-pytorch", false)]
    [InlineData("momentum-pytorch", true)]
    [InlineData("nesterov-pytorch", false)]
    [InlineData("momentum-keras", false)]
    [InlineData("momentum-keras", true)]
    [InlineData("nesterov-keras", true)]
    [InlineData("sgd", false)]
    [InlineData("sgd", true)]
    [InlineData("adam", false)]
    [InlineData("adam", true)]
    [InlineData("adamw", true)]
    [InlineData("adamw-masked", false)]
    [InlineData("rmsprop", true)]
    [InlineData("adagrad", true)]
    [InlineData("chain", false)]
    public void In_place_kernels_give_bit_for_bit_the_results_of_the_pure_updates(string which, bool wide)
    {
        Optimizer optimizer = which switch
        {
            "momentum-pytorch" => Optim.Momentum(0.05, 0.9, MomentumConvention.PyTorch),
            "nesterov-pytorch" => Optim.Nesterov(0.05, 0.9, MomentumConvention.PyTorch),
            "momentum-keras" => Optim.KerasSgd(0.05, 0.9, decay: 1e-2),
            "nesterov-keras" => Optim.KerasSgd(0.05, 0.9, decay: 1e-2, nesterov: true),
            "sgd" => Optim.Sgd(Lr.InverseTime(0.1, 0.01)),
            "adam" => Optim.Adam(Lr.InverseTime(0.01, 0.01)),
            "rmsprop" => Optim.RmsProp(Lr.InverseTime(0.01, 0.01)),
            "adagrad" => Optim.AdaGrad(Lr.InverseTime(0.1, 0.01)),
            "adamw" => Optim.AdamW(Lr.InverseTime(0.01, 0.01), weightDecay: 0.05),
            "adamw-masked" => Optim.AdamW(0.01, weightDecay: 0.05, mask: Optim.WeightsOnly(Network.MultiClass([64, 16, 10], seed: 8).Parameters.Layout)),
            _ => Optim.Chain(Optim.ClipByGlobalNorm(1.0), Optim.AddDecayedWeights(1e-3), Optim.Momentum(0.05, 0.9)),
        };
        var data = Digits(0.1);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), optimizer) { Epochs = 2, BatchSize = 25, Seed = 3 };
        var net = Network.MultiClass(wide ? [64, 1024, 64, 10] : [64, 16, 10], seed: 8);
        Assert.True(wide == net.ParameterCount >= ParallelMap.MinParallelLength, $"{net.ParameterCount} parameters");
        var kernel = Trainer.Fit(net, data, options);
        var pure = Trainer.Fit(net, data, options with { Optimizer = new Opaque(optimizer) });
        Assert.Equal(pure.Model.Parameters, kernel.Model.Parameters);
        Assert.Equal(pure.State, kernel.State);
        Assert.Equal(pure.History, kernel.History);
    }

    [Fact]
    public void Float32_objective_gradient_agrees_with_float64_to_a_tolerance_from_float32_epsilon()
    {
        var net = Network.MultiClass([64, 32, 16, 10], seed: 2);
        var data = Digits(0.05);
        var loss = new CategoricalCrossEntropy();
        double[] Gradient<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            var ws = new Workspace<T>(net, loss, data.Count);
            var views = ws.For(data.Count);
            Backpropagation.Convert<double, T>(data.X.Span, views.Input.Span);
            data.Y.Span.CopyTo(views.Targets.Span);
            var theta = new T[net.ParameterCount];
            Backpropagation.Convert(net.Parameters.AsSpan(), theta.AsSpan());
            Backpropagation.Run(ws, views, theta, Reduction.Mean, gradient: true);
            var g = new double[theta.Length];
            Backpropagation.Convert<T, double>(ws.Gradient, g);
            return g;
        }
        var g64 = Gradient<double>();
        var g32 = Gradient<float>();
        // Each gradient entry is a sum of k products along a chain of depth p = 3 layers and width ≤ 64: rounding in float
        // accumulates to about (k + p)·ε_f·Σ|terms| with ε_f = 2⁻²⁴ ≈ 6e-8 and k ≤ 64 (the widest inner product), i.e.
        // ≈ 67·6e-8 ≈ 4e-6 relative to the gradient's scale. Compare against ‖g₆₄‖∞ with a factor 10 of margin: 4e-5.
        double scale = g64.Max(Math.Abs);
        double worst = g64.Zip(g32, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 4e-5 * scale, $"max |g32 − g64| = {worst:G3}, ‖g64‖∞ = {scale:G3}");
        Assert.NotEqual(g64, g32); // float really was used
    }

    [Fact]
    public void Float32_evaluation_agrees_with_float64_to_a_tolerance_from_float32_epsilon()
    {
        var data = Digits(0.3);
        var loss = new CategoricalCrossEntropy();
        // A briefly trained model, so that biases are not zero and the logits spread.
        var net = Trainer.Fit(Network.MultiClass([64, 32, 10], seed: 3), data, new TrainingOptions(loss, Optim.Momentum(0.05, 0.9)) { Epochs = 2, BatchSize = 32 }).Model;
        var (l64, a64) = Trainer.Evaluate(net, data, loss);
        var (l32, a32) = Trainer.Evaluate(net, data, loss, Precision.Float32);
        // A logit is a sum of ≤ 64 products over p = 2 layers: float rounding (inputs, weights and sums) gives
        // |Δz| ≲ (64 + 2 + 1)·ε_f·S with ε_f = 2⁻²⁴ ≈ 6e-8 and S = Σ|terms| < 100 here (64 inputs in [0, 1], weights of
        // magnitude < 0.5, then 32 hidden values), so < 4e-4; the cross-entropy moves by at most 2·max|Δz| per sample, and so
        // does its mean: 8e-4. (A worst case: roundings mostly cancel, and the measured gap is below 1e-8.)
        Assert.True(Math.Abs(l32 - l64) <= 8e-4, $"loss {l32} (float32) against {l64} (float64)");
        Assert.NotEqual(l64, l32); // float really was used
        // A sample can change class only if its two largest logits are within 2·max|Δz| < 8e-4 of each other; from the
        // softmax outputs p that logit gap is log(p₁/p₂). The accuracies may differ by at most that many samples.
        var p = net.Forward(data.Inputs);
        int nearTies = Enumerable.Range(0, p.RowCount).Count(r =>
        {
            var top = p.Row(r).ToArray().OrderDescending().ToArray();
            return Math.Log(top[0] / top[1]) < 8e-4;
        });
        int changed = (int)Math.Round(Math.Abs(a32!.Value - a64!.Value) * data.Count);
        Assert.True(changed <= nearTies, $"{changed} samples changed class, {nearTies} near-ties; accuracy {a32} (float32) against {a64} (float64)");
    }

    [Fact]
    public void Float32_training_is_deterministic_and_learns_the_digits()
    {
        var (train, test) = BuiltInData.Digits().Split(0.2, seed: 42);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.KerasSgd(0.05, 0.9, 1e-4))
        { Epochs = 15, BatchSize = 32, Seed = 42, Precision = Precision.Float32 };
        var a = Trainer.Fit(Network.MultiClass([64, 64, 32, 10], seed: 42), train, options);
        var b = Trainer.Fit(Network.MultiClass([64, 64, 32, 10], seed: 42), train, options);
        Assert.Equal(a.Model.Parameters, b.Model.Parameters);
        // Float32 parameters round-trip through double exactly.
        Assert.All(a.Model.Parameters.ToArray(), v => Assert.Equal(v, (double)(float)v));
        var (_, accuracy) = Trainer.Evaluate(a.Model, test, options.Loss);
        Assert.True(accuracy >= 0.96, $"float32 test accuracy {accuracy:P2}");
    }

    /// <summary>
    /// Rank 0 of 2 whose all-gather hands back its own block for both ranks (and whose broadcast keeps its buffer), allocating
    /// nothing: the data-parallel step's own allocations, without a transport's.
    /// </summary>
    private sealed class Mirror : MathDnn.Distributed.ICommunicator
    {
        public int Rank => 0;
        public int Size => 2;
        public void AllGather(ReadOnlySpan<byte> send, Span<byte> receive) { send.CopyTo(receive); send.CopyTo(receive[send.Length..]); }
        public void Broadcast(Span<byte> buffer, int root) { }
        public void Barrier() { }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(3, false)] // the gradient as the sum of 3 shards' (TrainingOptions.Shards, the exact mode of data-parallel training)
    [InlineData(0, true)]  // rank 0 of 2: its shard, the all-gather, the sum in rank order
    public void A_training_step_allocates_nothing_in_steady_state(int shards, bool ranks)
    {
        var comm = ranks ? new Mirror() : null;
        var data = Digits(0.5);
        var net = Network.MultiClass([64, 32, 10], seed: 1);
        long Allocated(int epochs)
        {
            var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Momentum(0.05, 0.9)) { Epochs = epochs, BatchSize = 30, Shards = shards };
            Trainer.Fit(net, data, options, communicator: comm); // warm up (JIT)
            long before = GC.GetAllocatedBytesForCurrentThread();
            Trainer.Fit(net, data, options, communicator: comm);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        int stepsPerEpoch = (data.Count + 29) / 30;
        // Extra epochs add steps plus, per epoch, the returned values: a snapshot of θ and of the state (2·|θ| doubles),
        // the shuffled order (an int per sample) and small records (measured ≈ 1.1 KB). Slack 1.5 KB: one object per step
        // (at least 24 bytes, times ⌈n/30⌉ = 31 steps = 744 bytes) would exceed it, the measured small records do not.
        // Steady state means after the JIT has settled: while tiered compilation still runs a generic kernel at tier 0 (longer
        // when other tests load the machine), that code may box. Such bytes only add, so the steady-state figure is the least
        // of a few measurements; a real per-step allocation is in every one of them and still fails.
        long snapshot = 2L * net.ParameterCount * sizeof(double) + data.Count * sizeof(int) + 1536;
        Assert.True(stepsPerEpoch >= 31, $"{stepsPerEpoch} steps per epoch: the slack assumes at least 31");
        var measured = new List<long>();
        for (int attempt = 0; attempt < 5 && (measured.Count == 0 || measured.Min() > snapshot); attempt++)
            measured.Add((Allocated(6) - Allocated(2)) / 4);
        Assert.True(measured.Min() <= snapshot,
            $"{string.Join(", ", measured)} bytes per epoch of {stepsPerEpoch} steps in {measured.Count} measurements; bound {snapshot}");
    }
}

public class EngineReuseTests
{
    private sealed class Nested(Action inner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { if (value.Step == 1) inner(); }
    }

    [Fact]
    public void A_run_started_from_a_progress_callback_does_not_disturb_the_outer_run()
    {
        var data = BuiltInData.Digits().Split(0.1, seed: 2).Second;
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Momentum(0.05, 0.9)) { Epochs = 2, BatchSize = 20, Seed = 1 };
        var net = Network.MultiClass([64, 16, 10], seed: 4);
        var alone = Trainer.Fit(net, data, options);
        // The same run, while each first step starts another run of the same shape (which would reuse a free engine).
        var other = Network.MultiClass([64, 16, 10], seed: 99);
        var disturbed = Trainer.Fit(net, data, options, progress: new Nested(() => Trainer.Fit(other, data, options with { Epochs = 1 })));
        Assert.Equal(alone.Model.Parameters, disturbed.Model.Parameters);
        Assert.Equal(alone.State, disturbed.State);
        // And a later run on this thread, reusing the engine, starts from its own model and state.
        var again = Trainer.Fit(net, data, options);
        Assert.Equal(alone.Model.Parameters, again.Model.Parameters);
    }
}
