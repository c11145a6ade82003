using MathDnn.Kernels;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.Tests.Kernels;

/// <summary>
/// The fused optimizer passes (<see cref="ParallelMap"/>): θ′ and the buffers equal the pure update's bit for bit at every length
/// (whole vectors, a partial last vector, one chunk per thread), and the finiteness flag it returns is false exactly when
/// θ′ holds a non-finite entry, wherever that entry is.
/// </summary>
public class ParallelMapTests
{
    private static (double[] G, double[] Theta, WorkingBuffers<double> Buffers, Parameters P, OptimizerState S) Setup(Optimizer optimizer, int n)
    {
        var layout = new ParameterLayout([new ParameterBlock(0, "W", 1, n, 0)]);
        var rng = new Rng(n);
        var theta = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var g = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var p = Parameters.FromArray(layout, theta);
        // A state with non-zero buffers: one pure step first.
        var (_, s) = optimizer.Update(Parameters.FromArray(layout, g), optimizer.Init(p), p);
        return (g, theta, new WorkingBuffers<double>(s, layout, optimizer.Name), p, s);
    }

    public static TheoryData<int> Lengths => [1, 3, 4, 5, 64, 1001, ParallelMap.MinParallelLength + 13, 3 * ParallelMap.MinParallelLength];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void The_fused_optimizer_pass_equals_the_pure_update_bit_for_bit(int n)
    {
        foreach (var optimizer in new Optimizer[]
        {
            Optim.Momentum(0.05, 0.9, MomentumConvention.PyTorch), Optim.Nesterov(0.05, 0.9, MomentumConvention.PyTorch),
            Optim.KerasSgd(0.05, 0.9, decay: 0.1), Optim.KerasSgd(0.05, 0.9, decay: 0.1, nesterov: true), Optim.Sgd(0.3),
            Optim.Adam(0.01), Optim.Adam(0.01, biasCorrection: false), Optim.AdamW(0.01, weightDecay: 0.1),
            Optim.RmsProp(0.01), Optim.RmsProp(0.01, placement: EpsilonPlacement.OutsideRoot), Optim.AdaGrad(0.1),
        })
        {
            var (g, theta, buffers, p, s) = Setup(optimizer, n);
            var thetaBefore = (double[])theta.Clone();
            var next = new double[n];
            Assert.True(optimizer.Apply<double>(g, theta, next, new double[n], buffers));
            buffers.Commit();

            var (u, pureState) = optimizer.Update(Parameters.FromArray(p.Layout, g), s, p);
            var expected = (p + u).ToArray();
            Assert.Equal(expected, next);
            Assert.Equal(pureState, buffers.ToState(p.Layout));
            Assert.Equal(thetaBefore, theta); // the inputs are not touched
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1001)]
    [InlineData(3 * 65536 + 5)]
    public void In_float32_the_fused_pass_equals_Transform_then_theta_plus_u_bit_for_bit(int n)
    {
        // The float instantiation of every rule against the float kernel path (Transform into u, then θ + u).
        foreach (var optimizer in new Optimizer[]
        {
            Optim.Momentum(0.05, 0.9, MomentumConvention.PyTorch), Optim.KerasSgd(0.05, 0.9, decay: 0.1, nesterov: true),
            Optim.Sgd(0.3), Optim.Adam(0.01), Optim.AdamW(0.01, weightDecay: 0.1), Optim.RmsProp(0.01), Optim.AdaGrad(0.1),
        })
        {
            var (g64, theta64, _, p, s) = Setup(optimizer, n);
            float[] g = [.. g64.Select(v => (float)v)], theta = [.. theta64.Select(v => (float)v)];
            var fused = new WorkingBuffers<float>(s, p.Layout, optimizer.Name);
            var plain = new WorkingBuffers<float>(s, p.Layout, optimizer.Name);
            var next = new float[n];
            Assert.True(optimizer.Apply<float>(g, theta, next, new float[n], fused));
            var u = new float[n];
            optimizer.Transform<float>(g, theta, u, plain);
            var expected = new float[n];
            System.Numerics.Tensors.TensorPrimitives.Add<float>(theta, u, expected);
            Assert.Equal(expected, next);
            fused.Commit();
            plain.Commit();
            Assert.Equal(plain.ToState(p.Layout), fused.ToState(p.Layout));
        }
    }

    [Theory]
    [InlineData(5, 4, double.NaN)]
    [InlineData(64, 0, double.PositiveInfinity)]
    [InlineData(1001, 1000, double.NegativeInfinity)]
    [InlineData(1001, 517, double.NaN)]
    [InlineData(200_000, 0, double.NaN)]
    [InlineData(200_000, 150_001, double.PositiveInfinity)]
    [InlineData(200_000, 199_999, double.NaN)]
    public void The_pass_reports_a_non_finite_parameter_wherever_it_is(int n, int at, double bad)
    {
        var optimizer = Optim.Momentum(0.05, 0.9, MomentumConvention.PyTorch);
        var (g, theta, buffers, _, _) = Setup(optimizer, n);
        var next = new double[n];
        Assert.True(optimizer.Apply<double>(g, theta, next, new double[n], buffers));
        g[at] = bad;
        Assert.False(optimizer.Apply<double>(g, theta, next, new double[n], buffers));
        Assert.False(double.IsFinite(next[at]));
        // An overflow of finite inputs is caught too: θ + (−η·b′) with a huge b′.
        g[at] = double.MaxValue;
        Assert.False(Optim.Momentum(1e10, 0.9, MomentumConvention.PyTorch).Apply<double>(g, theta, next, new double[n], buffers));
    }

    [Theory]
    [InlineData(1, 784, 128)]     // one thread: the serial copy
    [InlineData(2, 784, 128)]     // a mini-batch of MNIST rows, split over two threads
    [InlineData(2, 784, 1)]       // one row: never split
    [InlineData(2, 3, 100)]       // below MinParallelLength: serial
    [InlineData(2, 65536, 5)]     // long rows, few of them: split into whole rows
    public void GatherRows_copies_the_rows_in_order_whatever_the_threads_and_leaves_the_source(int threads, int width, int count)
    {
        int before = KernelSettings.MaxThreads;
        try
        {
            KernelSettings.MaxThreads = threads;
            int sourceRows = 3 * count + 7;
            var rng = new Rng((ulong)(width + count));
            var src = Enumerable.Range(0, sourceRows * width).Select(_ => rng.NextDouble()).ToArray();
            var copy = (double[])src.Clone();
            var rows = Enumerable.Range(0, count).Select(_ => (int)(rng.NextDouble() * sourceRows)).ToArray();
            var dst = new float[count * width];
            var srcF = src.Select(v => (float)v).ToArray();
            ParallelMap.GatherRows<float>(srcF, width, rows, dst);
            var dstD = new double[count * width];
            ParallelMap.GatherRows<double>(src, width, rows, dstD);
            for (int i = 0; i < count; i++)
            {
                Assert.True(src.AsSpan(rows[i] * width, width).SequenceEqual(dstD.AsSpan(i * width, width)), $"row {i} (source row {rows[i]})");
                Assert.True(srcF.AsSpan(rows[i] * width, width).SequenceEqual(dst.AsSpan(i * width, width)), $"float row {i}");
            }
            Assert.Equal(copy, src);
        }
        finally { KernelSettings.MaxThreads = before; }
    }

    [Fact]
    public void GatherRows_refuses_a_row_outside_the_source_and_a_short_destination()
    {
        var src = new double[4 * 3];
        Assert.Contains("row 4 of a source of 4 rows of 3", Assert.Throws<ArgumentOutOfRangeException>(() => ParallelMap.GatherRows<double>(src, 3, [0, 4], new double[6])).Message);
        Assert.Contains("-1", Assert.Throws<ArgumentOutOfRangeException>(() => ParallelMap.GatherRows<double>(src, 3, [-1], new double[3])).Message);
        Assert.Contains("2 rows of 3 need 6 entries, the destination has 5", Assert.Throws<ArgumentException>(() => ParallelMap.GatherRows<double>(src, 3, [0, 1], new double[5])).Message);
    }
}
