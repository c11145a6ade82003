using System.Diagnostics;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.Bench;

/// <summary>
/// <c>--profile [float32] [adam|rmsprop|adagrad] [--threads N]</c>: where the time of a training step of the MNIST network (784-256-128-10, batch 128) goes,
/// phase by phase, measured with a Stopwatch on the engine's own pieces (a layer pair the engine fuses, forward or backward, <see cref="LayerFusion"/>, as one phase). A development aid, not a benchmark. The batches are
/// consecutive rows of MNIST's training images (from <c>--mnist-dir</c>, default data/mnist) when its files are there, else
/// 40 batches of U(0, 1) inputs with labels i mod 10; a single repeated batch is memorised within the 220 steps, and its
/// saturated softmax then times exponentials of subnormal results instead of a training step's. 600 steps run untimed first.
/// </summary>
internal static class Profile
{
    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--threads");
        if (at >= 0 && at + 1 < args.Length) Kernels.KernelSettings.MaxThreads = int.Parse(args[at + 1]);
        Optimizer optimizer =
            args.Contains("adam") ? Optim.Adam(0.001)
            : args.Contains("rmsprop") ? Optim.RmsProp(0.001)
            : args.Contains("adagrad") ? Optim.AdaGrad(0.01)
            : Optim.Momentum(0.01, 0.9, MomentumConvention.PyTorch);
        int dir = Array.IndexOf(args, "--mnist-dir");
        string folder = dir >= 0 && dir + 1 < args.Length ? args[dir + 1] : "data/mnist";
        var (x, labels) = Data.Mnist.IsAvailable(folder) ? Data.Mnist.Load(folder, test: false) : (null, null);
        Console.WriteLine(x is null ? $"data: 40 batches of U(0, 1) inputs (no MNIST in {folder})" : $"data: MNIST from {folder}");
        return args.Contains("float32") ? Run<float>(optimizer, x, labels) : Run<double>(optimizer, x, labels);
    }

    private static int Run<T>(Optimizer optimizer, MathNet.Numerics.LinearAlgebra.Matrix<double>? x, int[]? labels) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        const int batch = 128, steps = 200, Warmup = 600; // the warm-up lets tiered JIT optimise every phase (after 20 steps the loss still ran 8× slower than at tier 1)
        var net = Network.MultiClass([784, 256, 128, 10], seed: 1);
        var loss = new CategoricalCrossEntropy();
        var ws = new Workspace<T>(net, loss, batch);
        var views = ws.For(batch);
        const int synthetic = 40;
        int samples = x?.RowCount ?? synthetic * batch;
        var rng = new Rng(3);
        var inputs = new T[samples * 784];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = T.CreateTruncating(x is null ? rng.NextDouble() : x[i / 784, i % 784]);
        void Load(int step)
        {
            int first = (int)((long)step * batch % (samples - batch + 1));
            inputs.AsSpan(first * 784, batch * 784).CopyTo(views.Input.Span);
            var targets = views.Targets.Span;
            targets.Clear();
            for (int r = 0; r < batch; r++) targets[r * 10 + (labels is null ? (first + r) % 10 : labels[first + r])] = 1;
        }
        var theta = new T[net.ParameterCount];
        Backpropagation.Convert(net.Parameters.AsSpan(), theta.AsSpan());
        var next = new T[theta.Length];
        var update = new T[theta.Length];
        var buffers = new WorkingBuffers<T>(optimizer.Init(net.Parameters), net.Parameters.Layout, optimizer.Name);

        var names = new List<string>();
        var times = new Dictionary<string, Stopwatch>();
        void Time(string name, Action a)
        {
            if (!times.TryGetValue(name, out var sw)) { times[name] = sw = new Stopwatch(); names.Add(name); }
            sw.Start(); a(); sw.Stop();
        }
        var total = new Stopwatch();
        for (int s = -Warmup; s < steps; s++)
        {
            total.Stop();
            Load(s + Warmup);
            if (s == 0) { foreach (var t in times.Values) t.Reset(); total.Reset(); }
            total.Start();
            var acts = views.Acts;
            for (int k = 0; k < ws.LayerCount; k++)
            {
                int kk = k;
                if (ws.FusedWithNext[kk])
                {
                    // A pair the engine runs as one pass (a dense layer's product also writing the ReLU after it): timed as one.
                    Time($"forward {kk}+{kk + 1} {net.Layers[kk].Name}+{net.Layers[kk + 1].Name}",
                        () => net.Layers[kk].ForwardFusedOn(net.LayerParameters<T>(theta, kk), acts[kk], acts[kk + 1], acts[kk + 2]));
                    k++;
                }
                else Time($"forward {kk} {net.Layers[kk].Name}", () => net.Layers[kk].ForwardOn(net.LayerParameters<T>(theta, kk), acts[kk], acts[kk + 1]));
            }
            Time("loss", () =>
            {
                if (typeof(T) != typeof(double)) Backpropagation.Convert<T, double>(acts[ws.LayerCount].Span, views.Output.Span);
                ws.Loss.Evaluate(views.Output, views.Targets, Reduction.Mean, views.OutputGradient);
                if (typeof(T) != typeof(double)) Backpropagation.Convert<double, T>(views.OutputGradient.Span, views.Deltas[ws.LayerCount].Span);
            });
            for (int k = ws.LayerCount - 1; k >= 0; k--)
            {
                int kk = k;
                if (ws.BackwardFusedWithPrevious[kk])
                {
                    // A dense layer's dX product applying the mask of the ReLU before it, as the engine runs it: one phase.
                    Time($"backward {kk}+{kk - 1} {net.Layers[kk].Name}+{net.Layers[kk - 1].Name}", () => net.Layers[kk].BackwardFusedOn(net.LayerParameters<T>(theta, kk),
                        acts[kk], acts[kk + 1], views.Deltas[kk + 1], acts[kk - 1], views.Deltas[kk - 1], ws.Gradient.AsSpan(net.ParameterOffset(kk), net.LayerParameterCount(kk))));
                    k--;
                }
                else Time($"backward {kk} {net.Layers[kk].Name}", () => net.Layers[kk].BackwardOn(net.LayerParameters<T>(theta, kk), acts[kk], acts[kk + 1],
                    views.Deltas[kk + 1], kk > 0 ? views.Deltas[kk] : null, ws.Gradient.AsSpan(net.ParameterOffset(kk), net.LayerParameterCount(kk))));
            }
            Time("optimizer θ′, check", () => optimizer.Apply<T>(ws.Gradient, theta, next, update, buffers)); // as the engine does
            (theta, next) = (next, theta);
            buffers.Commit();
        }
        total.Stop();
        double perStep = total.Elapsed.TotalMilliseconds / steps;
        Console.WriteLine($"{typeof(T).Name}: {perStep:F3} ms per step, {batch / perStep * 1000:F0} samples/s ({Kernels.KernelSettings.ActiveBackend})");
        foreach (var n in names)
            Console.WriteLine($"  {n,-22} {times[n].Elapsed.TotalMilliseconds / steps,8:F3} ms  {100 * times[n].Elapsed.TotalMilliseconds / total.Elapsed.TotalMilliseconds,5:F1} %");
        return 0;
    }
}
