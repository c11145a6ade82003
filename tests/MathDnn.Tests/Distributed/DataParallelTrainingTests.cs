using System.Runtime.InteropServices;
using MathDnn.Activations;
using MathDnn.Data;
using MathDnn.Distributed;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace MathDnn.Tests.Distributed;

/// <summary>
/// Data-parallel training on N ranks (threads of this process, <see cref="ThreadRanks"/>; the same trainer code runs under
/// mpirun in <see cref="MpiRunTests"/>): every rank returns the same result, equal bit for bit to one process with
/// Shards = N (the exact mode), for N = 1 … 4, uneven and empty shards, dropout, float32, every optimizer and a resume;
/// and a failure on one rank stops every rank with the same error.
/// </summary>
public class DataParallelTrainingTests
{
    /// <summary>301 digits: with batch 10 the last batch has 1 row, so on 2–4 ranks some shards are empty.</summary>
    private static Dataset Digits() => BuiltInData.Digits().Select([.. Enumerable.Range(0, 301)]);

    /// <summary>64 → 32 → ReLU → dropout(0.2) → 10 → softmax: dropout draws by the row's index in the whole mini-batch.</summary>
    private static Network Net(int seed = 3) =>
        Network.Create(64, [new Dense(64, 32), new Relu(), new Dropout(0.2), new Dense(32, 10), new Softmax()], seed: seed);

    private static TrainingOptions Options(Optimizer? optimizer = null, int batch = 10, int epochs = 2, Precision precision = Precision.Float64) =>
        new(new CategoricalCrossEntropy(), optimizer ?? Optim.KerasSgd(0.05, 0.9, 1e-4)) { BatchSize = batch, Epochs = epochs, Seed = 11, Precision = precision };

    private static void AssertBitIdentical(TrainingResult expected, TrainingResult actual, string what)
    {
        var e = MemoryMarshal.Cast<double, long>(expected.Model.Parameters.AsSpan()).ToArray();
        var a = MemoryMarshal.Cast<double, long>(actual.Model.Parameters.AsSpan()).ToArray();
        int first = Enumerable.Range(0, e.Length).FirstOrDefault(i => e[i] != a[i], -1);
        Assert.True(first < 0, $"{what}: θ differs first at entry {first}: {BitConverter.Int64BitsToDouble(e[Math.Max(first, 0)]):R} vs {BitConverter.Int64BitsToDouble(a[Math.Max(first, 0)]):R}");
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.History, actual.History);
    }

    /// <summary>Fit on N thread ranks; asserts no rank failed, returns the results by rank.</summary>
    private static TrainingResult[] OnRanks(int n, Func<ICommunicator, TrainingResult> fit)
    {
        var results = ThreadRanks.Run(n, fit);
        for (int r = 0; r < n; r++) Assert.True(results[r].Error is null, $"rank {r}: {results[r].Error}");
        return [.. results.Select(r => r.Result!)];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void N_ranks_give_every_rank_the_result_of_one_process_with_N_shards_bit_for_bit_003_Def_5_2(int n)
    {
        var data = Digits();
        var options = Options();
        var single = Trainer.Fit(Net(), data, options with { Shards = n });
        var ranks = OnRanks(n, comm => Trainer.Fit(Net(), data, options, communicator: comm));
        for (int r = 0; r < n; r++) AssertBitIdentical(single, ranks[r], $"rank {r} of {n}");
        // Not a vacuous equality: training moved θ and the loss fell.
        Assert.True(single.History[^1].Loss < single.History[0].Loss);
    }

    [Fact]
    public void The_FSharp_fitOn_and_shards_are_the_CSharp_calls()
    {
        var data = Digits();
        var options = Options(epochs: 1);
        Assert.Equal(options with { Shards = 2 }, MathDnn.FSharp.Training.shards(2, options));
        var fs = OnRanks(2, comm => MathDnn.FSharp.Training.fitOn(comm, options, data, Net()));
        var cs = Trainer.Fit(Net(), data, MathDnn.FSharp.Training.shards(2, options));
        for (int r = 0; r < 2; r++) AssertBitIdentical(cs, fs[r], $"F# fitOn, rank {r} of 2");
    }

    [Fact]
    public void One_shard_is_the_unsharded_step_bit_for_bit()
    {
        var data = Digits();
        AssertBitIdentical(Trainer.Fit(Net(), data, Options()), Trainer.Fit(Net(), data, Options() with { Shards = 1 }), "Shards = 1");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Float32_ranks_equal_one_float32_process_with_N_shards(int n)
    {
        var data = Digits();
        var options = Options(precision: Precision.Float32);
        var single = Trainer.Fit(Net(), data, options with { Shards = n });
        var ranks = OnRanks(n, comm => Trainer.Fit(Net(), data, options, communicator: comm));
        for (int r = 0; r < n; r++) AssertBitIdentical(single, ranks[r], $"float32, rank {r} of {n}");
    }

    /// <summary>An optimizer without a kernel: the engine takes its pure Update path, on every rank alike.</summary>
    private sealed record Opaque(Optimizer Inner) : Optimizer
    {
        public override string Name => "opaque";
        public override OptimizerState Init(Parameters parameters) => Inner.Init(parameters);
        public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
            Inner.Update(gradient, state, parameters);
    }

    public static TheoryData<string> OptimizerNames => ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad", "clipped-adam", "opaque"];

    private static Optimizer Named(string name) => name switch
    {
        "sgd" => Optim.Sgd(0.05),
        "momentum" => Optim.Momentum(0.05, 0.9),
        "nesterov" => Optim.Nesterov(0.05, 0.9),
        "rmsprop" => Optim.RmsProp(0.001),
        "adam" => Optim.Adam(0.001),
        "adamw" => Optim.AdamW(0.001),
        "adagrad" => Optim.AdaGrad(0.01),
        "clipped-adam" => Optim.Chain(Optim.ClipByGlobalNorm(1.0), Optim.Adam(0.001)),
        _ => new Opaque(Optim.Adam(0.001)),
    };

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void Every_optimizer_on_3_ranks_equals_one_process_with_3_shards(string name)
    {
        var data = Digits();
        var options = Options(Named(name), epochs: 1);
        var single = Trainer.Fit(Net(), data, options with { Shards = 3 });
        var ranks = OnRanks(3, comm => Trainer.Fit(Net(), data, options, communicator: comm));
        for (int r = 0; r < 3; r++) AssertBitIdentical(single, ranks[r], $"{name}, rank {r} of 3");
    }

    [Fact]
    public void A_batch_smaller_than_N_leaves_the_last_ranks_idle_and_still_equals_one_process()
    {
        // Batch 2 on 4 ranks: ranks 0 and 1 take one row each, ranks 2 and 3 have empty shards at every step.
        var data = Digits().Select([.. Enumerable.Range(0, 40)]);
        var options = Options(batch: 2);
        var single = Trainer.Fit(Net(), data, options with { Shards = 4 });
        var ranks = OnRanks(4, comm => Trainer.Fit(Net(), data, options, communicator: comm));
        for (int r = 0; r < 4; r++) AssertBitIdentical(single, ranks[r], $"batch 2, rank {r} of 4");
        Assert.Equal(2 * 20, single.History[^1].Steps); // 20 steps an epoch: the empty shards add no step
    }

    [Fact]
    public void A_run_resumed_on_the_same_ranks_continues_bit_for_bit()
    {
        var data = Digits();
        var whole = OnRanks(2, comm => Trainer.Fit(Net(), data, Options(epochs: 4), communicator: comm));
        var resumed = OnRanks(2, comm =>
        {
            var first = Trainer.Fit(Net(), data, Options(epochs: 2), communicator: comm);
            return Trainer.Fit(first.Model, data, Options(epochs: 4), state: first.State, startEpoch: 3, communicator: comm);
        });
        for (int r = 0; r < 2; r++)
        {
            Assert.Equal(MemoryMarshal.Cast<double, long>(whole[r].Model.Parameters.AsSpan()).ToArray(), MemoryMarshal.Cast<double, long>(resumed[r].Model.Parameters.AsSpan()).ToArray());
            Assert.Equal(whole[r].State, resumed[r].State);
        }
    }

    [Fact]
    public void The_shards_gradients_sum_to_the_batch_gradient_within_rounding()
    {
        // One step of gradient descent with rate 1 over the whole set: θ₀ − θ₁ = ĝ. Sharded (K = 3) and in one pass, ĝ is the
        // mean of the same 301 per-sample gradients added in two orders; each order is within γ_B·Σ_i|g_i|·(1/B) ≤ B·ε·max_i|g_i|
        // of the exact mean (B = 301, ε = 2⁻⁵³ per addition), and the per-sample gradients of a row are bounded by the
        // largest |ĝ| times B, so the two differ by at most 2·B²·ε·max|ĝ| — the bound used, with max|ĝ| measured.
        var data = Digits();
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Sgd(1.0)) { BatchSize = 0, Epochs = 1, Shuffle = false };
        var net = Network.Create(64, [new Dense(64, 32), new Relu(), new Dense(32, 10), new Softmax()], seed: 3);
        var theta0 = net.Parameters.AsSpan().ToArray();
        var one = Trainer.Fit(net, data, options).Model.Parameters.AsSpan().ToArray();
        var sharded = Trainer.Fit(net, data, options with { Shards = 3 }).Model.Parameters.AsSpan().ToArray();
        double max = theta0.Select((t, i) => Math.Abs(t - one[i])).Max();
        double tolerance = 2.0 * 301 * 301 * Math.Pow(2, -53) * max + 2 * Math.Pow(2, -53) * theta0.Max(Math.Abs); // + the rounding of θ₀ − ĝ
        Assert.True(max > 0);
        int differing = 0;
        for (int i = 0; i < theta0.Length; i++)
        {
            Assert.True(Math.Abs(one[i] - sharded[i]) <= tolerance, $"θ[{i}]: {one[i]:R} in one pass, {sharded[i]:R} from 3 shards (tolerance {tolerance:E2})");
            if (one[i] != sharded[i]) differing++;
        }
        output?.WriteLine($"{differing} of {theta0.Length} entries differ in the last bits");
    }

    private readonly ITestOutputHelper? output;

    /// <summary>With <paramref name="output"/> for the count of entries that differ in rounding.</summary>
    public DataParallelTrainingTests(ITestOutputHelper output) => this.output = output;

    /// <summary>Identity that throws in the <see cref="FailAt"/>-th training pass of the rank whose thread sets <see cref="Armed"/>.</summary>
    private sealed record Tripwire : Layer
    {
        [ThreadStatic] public static bool Armed;
        [ThreadStatic] private static int passes;
        public const int FailAt = 3;
        public override string Name => "tripwire";
        public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
        {
            if (Armed && batch.Training && ++passes == FailAt) throw new InvalidOperationException("the tripwire went off");
            x[..(batch.Rows * batch.InputWidth)].CopyTo(y);
        }
        public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> parameterGradient, Batch batch)
        {
            if (!dx.IsEmpty) dy[..(batch.Rows * batch.InputWidth)].CopyTo(dx);
        }
    }

    [Fact]
    public void An_exception_on_one_rank_stops_every_rank_with_an_error_naming_it()
    {
        var data = Digits();
        var net = Network.Create(64, [new Dense(64, 10), new Tripwire(), new Softmax()], seed: 3);
        var results = ThreadRanks.Run(3, comm =>
        {
            Tripwire.Armed = comm.Rank == 1;
            return Trainer.Fit(net, data, Options(), communicator: comm);
        });
        for (int r = 0; r < 3; r++)
        {
            var e = Assert.IsType<RankFailedException>(results[r].Error);
            Assert.Equal(1, e.Rank);
            Assert.Equal(nameof(InvalidOperationException), e.ExceptionType);
            Assert.Equal("rank 1: at epoch 1, step 3 of 31: the tripwire went off", e.Message);
            Assert.Equal(r == 1, e.InnerException is InvalidOperationException);
        }
    }

    [Fact]
    public void A_rank_with_other_data_is_named_before_the_first_step()
    {
        var data = Digits();
        var other = BuiltInData.Digits().Select([.. Enumerable.Range(1, 301)]);
        var results = ThreadRanks.Run(2, comm => Trainer.Fit(Net(), comm.Rank == 1 ? other : data, Options(), communicator: comm));
        foreach (var (_, error) in results)
        {
            var e = Assert.IsType<ArgumentException>(error);
            Assert.Contains("rank 1's training set differs from rank 0's", e.Message);
        }
    }

    [Fact]
    public void A_bad_argument_on_one_rank_is_reported_by_every_rank()
    {
        // Rank 2 passes a data set of the wrong width: its own check fails, and the others learn of it instead of waiting.
        var data = Digits();
        var narrow = new Dataset(Matrix<double>.Build.Dense(301, 63), data.Targets);
        var results = ThreadRanks.Run(3, comm => Trainer.Fit(Net(), comm.Rank == 2 ? narrow : data, Options(), communicator: comm));
        foreach (var (_, error) in results)
        {
            var e = Assert.IsType<RankFailedException>(error);
            Assert.Equal(2, e.Rank);
            Assert.Equal(nameof(ArgumentException), e.ExceptionType);
            Assert.Contains("inputs of width 63", e.Message);
        }
    }

    [Fact]
    public void A_shard_count_other_than_N_is_refused_on_every_rank()
    {
        var results = ThreadRanks.Run(2, comm => Trainer.Fit(Net(), Digits(), Options() with { Shards = 3 }, communicator: comm));
        foreach (var (_, error) in results)
            Assert.Contains("3 shards were asked for on 2 ranks", Assert.IsType<RankFailedException>(error).Message);
    }

    [Fact]
    public void A_non_finite_loss_on_one_shard_stops_every_rank_with_the_same_divergence()
    {
        // Squared error against one target of 1e200: (y − t)² overflows on the shard holding that row only (row 7 of batch 0,
        // shard 1 of 2 with 10 rows in order), so rank 1 sees ∞ and rank 0 a finite loss.
        var x = Matrix<double>.Build.Dense(20, 2, (i, j) => 0.1 * (i + j));
        var y = Matrix<double>.Build.Dense(20, 1, (i, _) => i == 7 ? 1e200 : 0.5);
        var data = new Dataset(x, y);
        var net = Network.Create(2, [new Dense(2, 1)], seed: 1);
        var options = new TrainingOptions(new MeanSquaredError(), Optim.Sgd(0.01)) { BatchSize = 10, Epochs = 1, Shuffle = false };
        var results = ThreadRanks.Run(2, comm => Trainer.Fit(net, data, options, communicator: comm));
        var messages = results.Select(r => Assert.IsType<TrainingDivergedException>(r.Error).Message).ToArray();
        Assert.Equal(messages[0], messages[1]);
        output?.WriteLine(messages[0]);
        Assert.StartsWith($"Training diverged at epoch 1, step 1 of 2: the loss is {double.PositiveInfinity} on shard 2 of 2 (rank 1, rows 5..9 of the batch)", messages[0]);
        var single = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(net, data, options with { Shards = 2 }));
        Assert.StartsWith($"Training diverged at epoch 1, step 1 of 2: the loss is {double.PositiveInfinity} on shard 2 of 2 (rows 5..9 of the batch)", single.Message);
    }
}
