using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Training;

/// <summary>The memory estimate of a training run against the sizes the library actually allocates (issue 13, item 7).</summary>
public class MemoryEstimateTests
{
    private static List<Layer> Mlp(params int[] sizes)
    {
        var layers = new List<Layer>();
        for (int k = 1; k < sizes.Length; k++)
        {
            layers.Add(new Dense(sizes[k - 1], sizes[k]));
            layers.Add(k < sizes.Length - 1 ? new Relu() : new Softmax());
        }
        return layers;
    }

    public static TheoryData<Optimizer> Optimizers => new()
    {
        Optim.Sgd(0.1), Optim.KerasSgd(0.05, 0.9), Optim.RmsProp(1e-3), Optim.Adam(1e-3), Optim.AdamW(1e-3), Optim.AdaGrad(0.01),
        Optim.Chain(Optim.ClipByGlobalNorm(1), Optim.Adam(1e-3)),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Each_component_is_the_size_of_what_it_counts(Optimizer optimizer)
    {
        var layers = Mlp(64, 48, 32, 10);
        var network = Network.Create(64, layers, Initialization.Auto, 1);
        long p = network.ParameterCount;
        var state = optimizer.Init(network.Parameters);
        static IEnumerable<Parameters> Buffers(OptimizerState s) => s.Buffers.Values.Concat(s.Inner.SelectMany(Buffers));
        long b = Buffers(state).Count();
        Assert.All(Buffers(state), buffer => Assert.Equal(p, buffer.Count)); // every buffer is θ-sized
        bool chain = state.Inner.Length > 0;
        foreach (var (precision, s) in new[] { (Precision.Float64, 8L), (Precision.Float32, 4L) })
        {
            var options = new TrainingOptions(new CategoricalCrossEntropy(), optimizer) { BatchSize = 32, Precision = precision };
            var e = MemoryEstimate.ForTraining(64, layers, options, samples: 1000, targetSize: 10, evaluationSamples: 300);
            Assert.Equal(8 * p, e.Parameters);                                        // θ in double: ParameterCount × 8
            Assert.Equal(s * p, e.Gradients);
            Assert.Equal((8 + 2 * s) * b * p + (chain ? 2 * s * p : 0), e.OptimizerBuffers);
            Assert.Equal((3 * s + 8 * (1 + b)) * p + (s == 4 ? 4 * 1000 * 64 : 0), e.Workspaces);
            // Widths 64, 48, 48, 32, 32, 10 (the softmax fused with the cross-entropy is not stored): per row s·64 for the input,
            // 2s per unit of the other stored outputs, 8 per target, and in float the loss's double view of the logits (2 × 8 × 10).
            long row = s * 64 + 2 * s * (48 + 48 + 32 + 32 + 10) + 8 * 10 + (s == 4 ? 16 * 10 : 0);
            Assert.Equal((32 + 300) * row, e.Activations);
            Assert.Equal(8L * 1300 * (64 + 10), e.Data);
            Assert.Equal(e.Parameters + e.Gradients + e.OptimizerBuffers + e.Workspaces + e.Activations + e.Data, e.Total);
        }
    }

    [Fact]
    public void The_estimate_bounds_what_a_training_run_allocates()
    {
        // A run whose memory is dominated by θ (|θ| ≈ 0.4 M, 3.3 MB per copy): what Trainer.Fit allocates on this thread for one
        // epoch is what the estimate counts beyond the model and the data, which exist before the call, up to the engine's
        // small objects and the layers' scratch: between 80 % and 100 % of it, plus 1 MiB.
        var layers = Mlp(100, 701, 457, 10); // widths no other test uses: the thread's cached engine cannot be reused
        var network = Network.Create(100, layers, Initialization.Auto, 3);
        var rng = new Rng(5);
        var x = Matrix<double>.Build.Dense(256, 100, (_, _) => rng.NextDouble());
        var y = Matrix<double>.Build.Dense(256, 10, (i, j) => j == i % 10 ? 1 : 0);
        var data = new Dataset(x, y);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Adam(1e-3)) { BatchSize = 64, Epochs = 1 };
        var estimate = MemoryEstimate.ForTraining(100, layers, options, 256, 10);
        long counted = estimate.Total - estimate.Parameters - estimate.Data;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Trainer.Fit(network, data, options);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= counted + (1 << 20) && allocated >= 0.8 * counted,
            $"allocated {allocated} bytes, the estimate counts {counted} ({estimate})");
    }

    [Fact]
    public void Counts_beyond_an_array_index_are_refused_with_the_count_named()
    {
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Sgd(0.1));
        var e = Assert.Throws<ArgumentException>(() => MemoryEstimate.ForTraining(64, Mlp(64, 1_000_000, 1_000_000, 10), options, 100, 10));
        Assert.Contains("brings |θ| to 1,000,065,000,000 parameters (W is 1000000×1000000 = 1,000,000,000,000)", e.Message);
        Assert.Contains("2,147,483,591", e.Message);
        // The same from the network's constructor, before any array (Layer.ParameterCount would overflow, rows·columns wrap).
        var n = Assert.Throws<ArgumentException>(() => Network.Create(64, Mlp(64, 1_000_000, 1_000_000, 10)));
        Assert.Equal(e.Message, n.Message);
        Assert.Throws<ArgumentException>(() => Network.MultiClass([100_000, 100_000, 10]));
        // A batch buffer: 100,000 rows of a 40,000-wide layer.
        var batch = Assert.Throws<ArgumentException>(() =>
            MemoryEstimate.ForTraining(10, Mlp(10, 40_000, 10), options with { BatchSize = 0 }, 100_000, 10));
        Assert.Contains("the output of layer 0 (dense, width 40000) on a batch of 100000 rows hold 4,000,000,000 entries", batch.Message);
        var inputs = Assert.Throws<ArgumentException>(() => MemoryEstimate.ForTraining(100_000, Mlp(100_000, 2), options, 30_000, 2));
        Assert.Contains("the inputs (30000 rows × 100000) hold 3,000,000,000 entries", inputs.Message);
    }

    [Fact]
    public void The_20000_wide_network_of_the_issue_needs_more_than_512_MiB()
    {
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.KerasSgd(0.05, 0.9)) { BatchSize = 32 };
        var e = MemoryEstimate.ForTraining(64, Mlp(64, 20000, 20000, 10), options, 1437, 10, 360);
        long p = 64L * 20000 + 20000 + 20000L * 20000 + 20000 + 20000 * 10 + 10;
        Assert.Equal(8 * p, e.Parameters); // 3.2 GB of θ alone
        Assert.False(e.Fits(512L << 20));
        Assert.True(e.Fits(long.MaxValue));
        Assert.StartsWith($"{MemoryEstimate.Format(e.Total)} (parameters 3.0 GiB, gradients 3.0 GiB, optimizer buffers 9.0 GiB", e.ToString());
        Assert.Equal("512 MiB", MemoryEstimate.Format(512L << 20));
        Assert.Equal("1.5 KiB", MemoryEstimate.Format(1536));
        Assert.Equal("999 bytes", MemoryEstimate.Format(999));
    }

    [Fact]
    public void Available_memory_is_the_GCs()
    {
        long available = MemoryEstimate.AvailableBytes();
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, available);
        Assert.True(available > 0);
    }
}
