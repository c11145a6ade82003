using MathDnn.Activations;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Tests.Kernels;

namespace MathDnn.Tests.Networks;

/// <summary>
/// A dense layer and the ReLU after it run as one product whose store writes Z = X·Wᵀ + b and max(Z, 0) (003 Def 4.1,
/// 003 Def 2.1; <see cref="LayerFusion"/>): which pairs fuse, and that the forward pass and a training step are the
/// unfused ones bit for bit.
/// </summary>
[Collection(nameof(KernelSettingsCollection))] // sets KernelSettings.MaxThreads
public sealed class LayerFusionTests
{
    private sealed record UserIdentity : Activation
    {
        public override string Name => "user-identity";
        public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch) => x[..(batch.Rows * batch.InputWidth)].CopyTo(y);
        public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> parameterGradient, Batch batch)
        {
            if (!dx.IsEmpty) dy[..(batch.Rows * batch.InputWidth)].CopyTo(dx);
        }
    }

    [Fact]
    public void Only_a_dense_layer_directly_followed_by_relu_fuses()
    {
        Assert.Equal([true, false, true, false, false], LayerFusion.Plan([new Dense(4, 5), new Relu(), new Dense(5, 3), new Relu(), new Dense(3, 2)], 5));
        // Another activation, a user's layer or dropout between them, or a ReLU first: nothing fuses.
        Assert.Equal([false, false], LayerFusion.Plan([new Dense(4, 5), new LeakyRelu(0.1)], 2));
        Assert.Equal([false, false], LayerFusion.Plan([new Dense(4, 5), new Elu()], 2));
        Assert.Equal([false, false, false], LayerFusion.Plan([new Dense(4, 5), new UserIdentity(), new Relu()], 3));
        Assert.Equal([false, false, false], LayerFusion.Plan([new Dense(4, 5), new Dropout(0.5), new Relu()], 3));
        Assert.Equal([false, true, false], LayerFusion.Plan([new Relu(), new Dense(4, 5), new Relu()], 3));
        // A ReLU after a fused pair starts nothing; a pair cut by the count (the layers the loop runs) does not fuse.
        Assert.Equal([true, false, false], LayerFusion.Plan([new Dense(4, 5), new Relu(), new Relu()], 3));
        Assert.Equal([false], LayerFusion.Plan([new Dense(4, 5), new Relu()], 1));
    }

    [Fact]
    public void Backward_a_dense_layer_takes_the_mask_of_the_relu_directly_before_it_unless_that_relu_is_the_first_layer()
    {
        Assert.Equal([false, false, true, false, true], LayerFusion.BackwardPlan([new Dense(4, 5), new Relu(), new Dense(5, 3), new Relu(), new Dense(3, 2)], 5));
        // The first layer's dX is never formed: a ReLU first fuses nothing.
        Assert.Equal([false, false, false], LayerFusion.BackwardPlan([new Relu(), new Dense(4, 5), new Relu()], 3));
        Assert.Equal([false, false, false, false], LayerFusion.BackwardPlan([new Dense(4, 5), new LeakyRelu(0.1), new Dense(5, 3), new Elu()], 4));
        Assert.Equal([false, false, false, false], LayerFusion.BackwardPlan([new Dense(4, 5), new Relu(), new UserIdentity(), new Dense(5, 3)], 4));
        Assert.Equal([false, false, false, false], LayerFusion.BackwardPlan([new Dense(4, 5), new Relu(), new Dropout(0.5), new Dense(5, 3)], 4));
        // Two ReLUs in a row: only the one next to the dense layer.
        Assert.Equal([false, false, false, true], LayerFusion.BackwardPlan([new Dense(4, 5), new Relu(), new Relu(), new Dense(5, 3)], 4));
    }

    public static TheoryData<int, int> RowsAndThreads() => new() { { 128, 1 }, { 128, 2 }, { 1, 1 }, { 7, 2 }, { 12, 1 } };

    [Theory]
    [MemberData(nameof(RowsAndThreads))]
    public void A_training_step_with_fused_dense_relu_equals_the_unfused_one_bit_for_bit(int rows, int threads)
    {
        var before = KernelSettings.MaxThreads;
        try
        {
            KernelSettings.MaxThreads = threads;
            // 784-256-128-10 with softmax and cross-entropy (the bench's network), and a net whose pairs are broken or mixed.
            var mnist = Network.MultiClass([784, 256, 128, 10], seed: 4);
            var mixed = Network.Create(20, [new Dense(20, 30), new Relu(), new Dense(30, 30), new UserIdentity(), new Relu(), new Dense(30, 17), new Relu(), new Dense(17, 5)], seed: 5);
            StepsAgree<double>(mnist, new CategoricalCrossEntropy(), rows, fusedPairs: 2, backwardPairs: 2);
            StepsAgree<float>(mnist, new CategoricalCrossEntropy(), rows, fusedPairs: 2, backwardPairs: 2);
            StepsAgree<double>(mixed, new MeanSquaredError(), rows, fusedPairs: 2, backwardPairs: 3);
            StepsAgree<float>(mixed, new MeanSquaredError(), rows, fusedPairs: 2, backwardPairs: 3);
        }
        finally { KernelSettings.MaxThreads = before; }
    }

    /// <summary>Backpropagation.Run on a fusing workspace and on one that runs every layer alone: value, every activation and ∇_θ bit for bit.</summary>
    private static void StepsAgree<T>(Network net, Loss loss, int rows, int fusedPairs, int backwardPairs) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var fused = new Workspace<T>(net, loss, rows);
        var alone = new Workspace<T>(net, loss, rows, fuseLayers: false);
        Assert.Equal(fusedPairs, fused.FusedWithNext.Count(f => f));
        Assert.Equal(backwardPairs, fused.BackwardFusedWithPrevious.Count(f => f));
        Assert.DoesNotContain(true, alone.FusedWithNext);
        Assert.DoesNotContain(true, alone.BackwardFusedWithPrevious);
        var theta = new T[net.ParameterCount];
        Backpropagation.Convert(net.Parameters.AsSpan(), theta.AsSpan());
        var rng = new Rng(rows * 3 + 1);
        var x = new T[rows * net.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(rng.Uniform(-1, 1));
        var y = new double[rows * net.OutputSize];
        for (int s = 0; s < rows; s++)
            if (loss is CategoricalCrossEntropy) y[s * net.OutputSize + rng.NextInt(net.OutputSize)] = 1;
            else for (int j = 0; j < net.OutputSize; j++) y[s * net.OutputSize + j] = rng.Uniform(-1, 1);
        double Step(Workspace<T> ws, out Workspace<T>.Views views)
        {
            views = ws.For(rows);
            x.CopyTo(views.Input.Span);
            y.CopyTo(views.Targets.Span);
            return Backpropagation.Run(ws, views, theta, Reduction.Mean, gradient: true, stepSeed: 7);
        }
        double v1 = Step(fused, out var f), v2 = Step(alone, out var a);
        string what = $"{typeof(T).Name}, {rows} rows, {KernelSettings.MaxThreads} thread(s)";
        Assert.True(double.IsFinite(v1), what);
        Assert.Equal(BitConverter.DoubleToInt64Bits(v2), BitConverter.DoubleToInt64Bits(v1));
        for (int k = 0; k < f.Acts.Length; k++)
            Assert.True(Bits(a.Acts[k].Span).SequenceEqual(Bits(f.Acts[k].Span)), $"{what}: the output of layer {k - 1} differs");
        Assert.True(Bits<T>(alone.Gradient).SequenceEqual(Bits<T>(fused.Gradient)), $"{what}: ∇θ differs");
        // Every downstream gradient the fused pass forms — all but a fused dense layer's own dX (deltas[k] with layer k's
        // backward fused with layer k − 1's), among them δ at each ReLU's input — equals the unfused one.
        var skipped = fused.BackwardFusedWithPrevious;
        for (int k = 1; k < a.Deltas.Length; k++)
            if (k == skipped.Length || !skipped[k])
                Assert.True(Bits(a.Deltas[k].Span).SequenceEqual(Bits(f.Deltas[k].Span)), $"{what}: δ at layer {k}'s input differs");
    }

    private static byte[] Bits<T>(Span<T> x) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(x).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(128)]
    public void The_fused_network_forward_pass_equals_the_layers_one_after_the_other_bit_for_bit(int rows)
    {
        var net = Network.MultiClass([784, 256, 128, 10], seed: 6);
        Agree<double>();
        Agree<float>();

        void Agree<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            var rng = new Rng(rows);
            var x = new T[rows * 784];
            for (int i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(rng.Uniform(0, 1));
            var theta = net.Theta<T>();
            // Unfused: each layer's own forward pass (Dense.Forward, then Relu.Forward, …).
            var a = new Mat<T>((T[])x.Clone(), rows, 784);
            var all = new List<Mat<T>> { a };
            for (int l = 0; l < net.Layers.Length; l++)
            {
                var b = new Mat<T>(rows, net.Widths[l + 1]);
                net.Layers[l].ForwardOn(net.LayerParameters<T>(theta, l), a, b);
                all.Add(a = b);
            }
            var y = new T[rows * 10];
            net.Forward<T>(x, y);
            Assert.True(Bits(a.Span).SequenceEqual(Bits<T>(y)), $"Forward<{typeof(T).Name}> on {rows} rows");
            var acts = net.ForwardAll(new Mat<T>(x, rows, 784), theta);
            for (int k = 0; k < acts.Length; k++)
                Assert.True(Bits(all[k].Span).SequenceEqual(Bits(acts[k].Span)), $"ForwardAll<{typeof(T).Name}>: layer {k - 1}'s output on {rows} rows");
        }
    }
}
