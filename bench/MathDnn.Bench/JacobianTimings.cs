using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Bench.BenchArgs;

namespace MathDnn.Bench;

/// <summary>
/// <c>--jacobians</c>: Stopwatch timings of the structured Jacobians and the per-sample gradients, the operations that
/// bench/compare_pytorch_jacobians.py times in PyTorch (bench/compare-pytorch-jacobians.sh runs both and prints the table).
/// Networks (Network.MultiClass, ReLU, softmax, seed 42): 784-256-128-10, 784-1024-1024-10 and 64-64-32-10. Inputs: 1000
/// rows per input width drawn uniformly from [0, 1] (like MNIST pixels) by <see cref="Rng"/>(42), labels uniform in 0..9;
/// one sample is row 0, the batch of the gradients rows 0..127, the forward batch all 1000 rows.
/// <para>
/// Before any timing every cell is called 40 times (at most 0.5 s), twice, with a pause after each pass, so that the tiered
/// JIT has replaced the code with its optimised version. Each cell: two warm-up calls, the allocation of one call (<see cref="GC.GetAllocatedBytesForCurrentThread"/> before and
/// after, and <see cref="GC.GetTotalAllocatedBytes"/>(precise) for every thread, the least of two calls), then batches of
/// at least 1 ms of calls for <c>--seconds</c> (at least 3 batches); it reports the median time per call of the batches and
/// the fastest and slowest. <c>--rounds R</c> repeats the whole sweep R times and pools the batches (the warm-up and the
/// allocation in the first sweep only; at least 3 batches in all), so that each cell samples R moments of a shared machine.
/// </para>
/// Options: --threads N (KernelSettings.MaxThreads; default: the processors) --seconds 0.25 --rounds 1
/// --precision float64|float32|both --networks 784-256-128-10,… --ops input-jacobian,forward-1000,… (only these operations) --json (one JSON document on stdout instead of the text
/// table) --export DIR (write θ, the inputs, the labels, a manifest.json and the float64/float32 results at the fixed
/// inputs to DIR, raw little-endian) --no-timing (only the export).
/// </summary>
internal static class JacobianTimings
{
    public const int Seed = 42;
    public const int Batch = 128;
    public const int ForwardRows = 1000;
    public static readonly int[][] AllNetworks = [[784, 256, 128, 10], [784, 1024, 1024, 10], [64, 64, 32, 10]];

    /// <summary>Materialised per-sample gradients (Batch × |θ|) above this many entries are not timed (784-1024-1024-10: 238 M entries, 1.9 GB in float64).</summary>
    public const long PerSampleLimit = 64L << 20;

    private static readonly Objective Objective = new(new CategoricalCrossEntropy(), Reduction.Sum);

    private sealed record Cell(string Op, string Api, string Network, string Precision, double MedianSeconds, double MinSeconds, double MaxSeconds,
        int Batches, long Calls, long AllocatedBytes, long AllocatedBytesAllThreads, long ResultBytes);

    private sealed class Case(int[] sizes)
    {
        public int[] Sizes { get; } = sizes;
        public string Name { get; } = string.Join("-", sizes);
        public Network Net { get; } = Network.MultiClass(sizes, Seed);
        public double[] Inputs { get; } = InputsFor(sizes[0]);
        public int[] Labels { get; } = LabelsFor(sizes[0]);
        public int M0 => Sizes[0];
        public int Mp => Sizes[^1];
        public int Theta => Net.ParameterCount;
        public Vector<double> X1 => Vector<double>.Build.Dense(Inputs.AsSpan(0, M0).ToArray());
        public Matrix<double> XBatch => Matrix<double>.Build.DenseOfRowMajor(Batch, M0, Inputs.AsSpan(0, Batch * M0).ToArray());
        public Matrix<double> XForward => Matrix<double>.Build.DenseOfRowMajor(ForwardRows, M0, Inputs);
        public Matrix<double> YBatch => Matrix<double>.Build.Dense(Batch, Mp, (i, j) => Labels[i] == j ? 1.0 : 0.0);
        /// <summary>The clipping norm: the median of the batch's float64 per-sample gradient norms (so about half are clipped).</summary>
        public double Clip => clip ??= Median(Objective.PerSampleGradientNorms(Net, XBatch, YBatch).ToArray());
        private double? clip;
    }

    /// <summary>ForwardRows × m0 inputs in [0, 1], the same for every network of input width m0.</summary>
    public static double[] InputsFor(int m0)
    {
        var rng = new Rng(Seed);
        var x = new double[ForwardRows * m0];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble();
        return x;
    }

    public static int[] LabelsFor(int m0)
    {
        var rng = Rng.Derive(Seed, m0);
        return [.. Enumerable.Range(0, ForwardRows).Select(_ => rng.NextInt(10))];
    }

    public static int Run(string[] args)
    {
        int threads = int.Parse(Option(args, "--threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        double seconds = double.Parse(Option(args, "--seconds", "0.25"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(Option(args, "--rounds", "1"), CultureInfo.InvariantCulture);
        string precision = Option(args, "--precision", "both");
        string[] precisions = precision switch
        {
            "both" => ["float64", "float32"],
            "float64" or "float32" => [precision],
            _ => throw new ArgumentException($"bench --jacobians: --precision {precision}: expected float64, float32 or both."),
        };
        string? networks = OptionOrNull(args, "--networks");
        var sizes = networks is null ? AllNetworks : [.. networks.Split(',').Select(n => n.Split('-').Select(int.Parse).ToArray())];
        string? export = OptionOrNull(args, "--export");
        bool json = args.Contains("--json"), timing = !args.Contains("--no-timing");
        KernelSettings.MaxThreads = threads;
        var cases = sizes.Select(s => new Case(s)).ToArray();

        if (export is not null) Export(export, cases);
        if (!timing) return 0;

        var samples = new Dictionary<string, (string Op, string Api, string Network, string Precision, List<double> Times, long Calls, long Alloc, long AllocAll, long Result)>();
        var order = new List<string>();
        string[]? ops = OptionOrNull(args, "--ops")?.Split(',');
        var all = (from c in cases from p in precisions select (c, p, Calls(c, p).Where(x => ops is null || ops.Contains(x.Op)).ToList())).ToList();
        int minBatches = (3 + rounds - 1) / rounds; // at least 3 batches in all
        // Tiered JIT: a method is recompiled optimised after 30 calls, in the background, once no new method has been
        // compiled for 100 ms. Two warm-up calls per cell left the first sweep timing unoptimised code (Forward of 128 rows:
        // 1160 µs against 385 µs optimised). So every cell is called 40 times (at most 0.5 s each) and the process pauses
        // twice before any timing.
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var (_, _, list) in all)
                foreach (var (_, _, _, call) in list)
                {
                    var warmSw = Stopwatch.StartNew();
                    for (int i = 0; i < 40 && warmSw.Elapsed.TotalSeconds < 0.5; i++) call();
                }
            Thread.Sleep(400);
        }
        for (int round = 0; round < rounds; round++)
            foreach (var (c, p, list) in all)
                foreach (var (op, api, result, call) in list)
                {
                    var (times, calls, alloc, allocAll) = Time(call, seconds, warm: round == 0, minBatches);
                    string key = $"{op}|{api}|{c.Name}|{p}";
                    if (!samples.TryGetValue(key, out var s))
                    {
                        s = (op, api, c.Name, p, new List<double>(), 0, long.MaxValue, long.MaxValue, result);
                        order.Add(key);
                    }
                    s.Times.AddRange(times);
                    samples[key] = s with { Calls = s.Calls + calls, Alloc = Math.Min(s.Alloc, alloc), AllocAll = Math.Min(s.AllocAll, allocAll) };
                    if (!json) Console.Error.WriteLine($"bench --jacobians: {c.Name} {p} {op} ({api}): {Median(times) * 1e3:F4} ms");
                }
        var cells = order.Select(key =>
        {
            var s = samples[key];
            return new Cell(s.Op, s.Api, s.Network, s.Precision, Median(s.Times), s.Times.Min(), s.Times.Max(), s.Times.Count, s.Calls, s.Alloc, s.AllocAll, s.Result);
        }).ToList();

        if (json)
        {
            var doc = new Dictionary<string, object>
            {
                ["tool"] = "mathdnn",
                ["threads"] = threads,
                ["seconds_per_cell"] = seconds,
                ["rounds"] = rounds,
                ["backend"] = KernelSettings.ActiveBackend,
                ["backend_kind"] = KernelSettings.ActiveBackendKind == GemmBackend.OpenBlas ? "openblas" : "managed",
                ["managed_kernel"] = Gemm.Describe(Gemm.BestIsa),
                ["processors"] = Environment.ProcessorCount,
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["cells"] = cells.Select(c => new Dictionary<string, object>
                {
                    ["op"] = c.Op, ["api"] = c.Api, ["network"] = c.Network, ["precision"] = c.Precision,
                    ["median_s"] = c.MedianSeconds, ["min_s"] = c.MinSeconds, ["max_s"] = c.MaxSeconds,
                    ["batches"] = c.Batches, ["calls"] = c.Calls,
                    ["allocated_bytes"] = c.AllocatedBytes, ["allocated_bytes_all_threads"] = c.AllocatedBytesAllThreads, ["result_bytes"] = c.ResultBytes,
                }).ToList(),
            };
            Console.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Console.WriteLine($"backend: {KernelSettings.ActiveBackend}; managed kernel: {Gemm.Describe(Gemm.BestIsa)}; threads: {threads}; " +
                              $"median [min–max] per call over batches of ≥ 1 ms, {seconds} s per cell, {rounds} round(s)");
            Console.WriteLine($"{"network",-18}{"precision",-10}{"operation",-44}{"median",12}{"range",26}{"allocated",16}{"all threads",16}{"result",14}");
            foreach (var c in cells)
                Console.WriteLine($"{c.Network,-18}{c.Precision,-10}{$"{c.Op} ({c.Api})",-44}{Format(c.MedianSeconds),12}{$"[{Format(c.MinSeconds)}–{Format(c.MaxSeconds)}]",26}" +
                                  $"{c.AllocatedBytes,16:N0}{c.AllocatedBytesAllThreads,16:N0}{c.ResultBytes,14:N0}");
        }
        return 0;
    }

    private static string Format(double s) => s >= 1e-3 ? $"{s * 1e3:F3} ms" : $"{s * 1e6:F2} µs";

    /// <summary>The timed calls of one network in one precision: (operation, API, result bytes, call).</summary>
    private static List<(string Op, string Api, long ResultBytes, Action Call)> Calls(Case c, string precision)
    {
        var net = c.Net;
        var x1 = c.X1;
        var xb = c.XBatch;
        var yb = c.YBatch;
        var xf = c.XForward;
        double clip = c.Clip;
        int m0 = c.M0, mp = c.Mp, theta = c.Theta;
        long perSample = (long)Batch * theta;
        var list = new List<(string, string, long, Action)>();
        if (precision == "float64")
        {
            var inD = c.Inputs.AsSpan(0, m0).ToArray();
            var ij = new double[mp * m0];
            var pj = new double[(long)mp * theta];
            var fwd = new double[ForwardRows * mp];
            var fwd1 = new double[mp];
            list.Add(("input-jacobian", "InputJacobian(x)", 8L * mp * m0, () => net.InputJacobian(x1)));
            list.Add(("input-jacobian", "InputJacobians<double> span", 8L * mp * m0, () => net.InputJacobians<double>(inD, ij)));
            list.Add(("parameter-jacobian", "ParameterJacobian(x)", 8L * mp * theta, () => net.ParameterJacobian(x1)));
            list.Add(("parameter-jacobian", "ParameterJacobians<double> span", 8L * mp * theta, () => net.ParameterJacobians<double>(inD, pj)));
            list.Add(("per-sample-norms", "PerSampleGradientNorms", 8L * Batch, () => Objective.PerSampleGradientNorms(net, xb, yb)));
            list.Add(("clipped-sum", "ClippedGradientSum", 8L * (theta + Batch), () => Objective.ClippedGradientSum(net, xb, yb, clip)));
            list.Add(("batched-gradient", "Objective.ValueAndGradient", 8L * theta, () => Objective.ValueAndGradient(net, xb, yb)));
            list.Add(("batched-gradient", "engine Run<double>, reused workspace", 8L * theta, EngineGradient<double>(net, xb, yb)));
            if (perSample <= PerSampleLimit)
            {
                list.Add(("per-sample-gradients", "PerSampleGradients", 8L * perSample, () => Objective.PerSampleGradients(net, xb, yb)));
                var gd = new double[perSample];
                list.Add(("per-sample-gradients", "PerSampleGradients<double> span", 8L * perSample, () => Objective.PerSampleGradients<double>(net, xb, yb, gd)));
            }
            list.Add(("forward-1000", "Forward(Matrix)", 8L * ForwardRows * mp, () => net.Forward(xf)));
            list.Add(("forward-1000", "Forward<double> span", 8L * ForwardRows * mp, () => net.Forward<double>(c.Inputs, fwd)));
            list.Add(("forward-1", "Apply(x)", 8L * mp, () => net.Apply(x1)));
            list.Add(("forward-1", "Forward<double> span", 8L * mp, () => net.Forward<double>(inD, fwd1)));
        }
        else
        {
            var inF = c.Inputs.AsSpan(0, m0).ToArray().Select(v => (float)v).ToArray();
            var allF = c.Inputs.Select(v => (float)v).ToArray();
            var ij = new float[mp * m0];
            var pj = new float[(long)mp * theta];
            var fwd = new float[ForwardRows * mp];
            var fwd1 = new float[mp];
            list.Add(("input-jacobian", "InputJacobians<float> span", 4L * mp * m0, () => net.InputJacobians<float>(inF, ij)));
            list.Add(("parameter-jacobian", "ParameterJacobians<float> span", 4L * mp * theta, () => net.ParameterJacobians<float>(inF, pj)));
            list.Add(("per-sample-norms", "PerSampleGradientNorms(Float32)", 8L * Batch, () => Objective.PerSampleGradientNorms(net, xb, yb, Precision.Float32)));
            list.Add(("clipped-sum", "ClippedGradientSum(Float32)", 8L * (theta + Batch), () => Objective.ClippedGradientSum(net, xb, yb, clip, Precision.Float32)));
            // The public API has no float32 batched gradient; the trainer's float32 pass is the engine's, with a fresh workspace
            // per call as PerSampleGradientNorms makes its own.
            var x = Mat.From(xb);
            var t = Mat.From(yb);
            var loss = Objective.Loss;
            list.Add(("batched-gradient", "engine Run<float>, fresh workspace", 4L * theta, () =>
            {
                var ws = new Workspace<float>(net, loss, Batch);
                var views = ws.For(Batch);
                Backpropagation.Convert<double, float>(x.Span, views.Input.Span);
                t.Span.CopyTo(views.Targets.Span);
                Backpropagation.Run(ws, views, net.Theta<float>(), Reduction.Sum, Backpropagation.Pass.Gradient);
            }));
            list.Add(("batched-gradient", "engine Run<float>, reused workspace", 4L * theta, EngineGradient<float>(net, xb, yb)));
            if (perSample <= PerSampleLimit)
            {
                var g = new float[perSample];
                list.Add(("per-sample-gradients", "PerSampleGradients<float> span", 4L * perSample, () => Objective.PerSampleGradients<float>(net, xb, yb, g)));
            }
            list.Add(("forward-1000", "Forward<float> span", 4L * ForwardRows * mp, () => net.Forward<float>(allF, fwd)));
            list.Add(("forward-1", "Forward<float> span", 4L * mp, () => net.Forward<float>(inF, fwd1)));
        }
        return list;
    }

    /// <summary>
    /// The engine's batched gradient as the trainer runs it, on one workspace kept across calls: what the public
    /// <see cref="Objective.ValueAndGradient"/> costs less its own workspace, copies and checks.
    /// </summary>
    private static Action EngineGradient<T>(Network net, Matrix<double> xb, Matrix<double> yb) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var ws = new Workspace<T>(net, Objective.Loss, Batch);
        var views = ws.For(Batch);
        Backpropagation.Convert<double, T>(Mat.From(xb).Span, views.Input.Span);
        Mat.From(yb).Span.CopyTo(views.Targets.Span);
        var theta = net.Theta<T>();
        return () => Backpropagation.Run(ws, views, theta, Reduction.Sum, Backpropagation.Pass.Gradient);
    }

    /// <summary>Per-call times of the batches (seconds), the calls made, and the least allocation of one call on this thread and on all.</summary>
    private static (List<double> Times, long Calls, long Alloc, long AllocAll) Time(Action call, double seconds, bool warm, int minBatches)
    {
        if (warm)
        {
            call();
            call();
        }
        long alloc = long.MaxValue, allocAll = long.MaxValue;
        for (int i = 0; i < (warm ? 2 : 0); i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long beforeAll = GC.GetTotalAllocatedBytes(precise: true);
            call();
            alloc = Math.Min(alloc, GC.GetAllocatedBytesForCurrentThread() - before);
            allocAll = Math.Min(allocAll, GC.GetTotalAllocatedBytes(precise: true) - beforeAll);
        }
        var sw = Stopwatch.StartNew();
        call();
        double one = sw.Elapsed.TotalSeconds;
        int reps = Math.Max(1, (int)Math.Ceiling(1e-3 / Math.Max(one, 1e-7)));
        var times = new List<double>();
        long calls = warm ? 5 : 1;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || times.Count < minBatches)
        {
            sw.Restart();
            for (int r = 0; r < reps; r++) call();
            times.Add(sw.Elapsed.TotalSeconds / reps);
            calls += reps;
        }
        return (times, calls, alloc, allocAll);
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(d => d).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    // ---- export ----

    /// <summary>
    /// DIR/manifest.json and, per network, θ (per layer W row-major m×n then b, as nn.Linear holds them), the inputs
    /// (ForwardRows × m0) and labels, the clipping norm, and mathdnn's results at those inputs in float64 and float32.
    /// </summary>
    private static void Export(string dir, Case[] cases)
    {
        Directory.CreateDirectory(dir);
        var networks = new List<object>();
        foreach (var c in cases)
        {
            var net = c.Net;
            string name = c.Name;
            var theta = net.Parameters.AsSpan();
            Write(dir, $"{name}.theta.f64", theta);
            var layers = net.Parameters.Layout.Blocks.GroupBy(b => b.Layer).Select(g =>
            {
                var w = g.Single(b => b.Name == "W");
                var bias = g.Single(b => b.Name == "b");
                return new Dictionary<string, object>
                {
                    ["out"] = w.Rows, ["in"] = w.Columns, ["weight_offset"] = w.Offset, ["bias_offset"] = bias.Offset,
                };
            }).ToList();
            string inputs = $"inputs-{c.M0}.f64", labels = $"labels-{c.M0}.i32";
            Write<double>(dir, inputs, c.Inputs);
            Write<int>(dir, labels, c.Labels);

            var results = new Dictionary<string, object>();
            void Result<T>(string key, ReadOnlySpan<T> values, params int[] shape) where T : unmanaged
            {
                string suffix = typeof(T) == typeof(float) ? "f32" : "f64";
                string file = $"{name}.{key}.{suffix}";
                Write(dir, file, values);
                results[$"{key}.{suffix}"] = new Dictionary<string, object> { ["file"] = file, ["shape"] = shape };
            }
            var x1 = c.X1;
            var xb = c.XBatch;
            var yb = c.YBatch;
            int m0 = c.M0, mp = c.Mp, p = c.Theta;
            Result<double>("input-jacobian", net.InputJacobian(x1).ToRowMajorArray(), mp, m0);
            Result<double>("parameter-jacobian", net.ParameterJacobian(x1).ToRowMajorArray(), mp, p);
            Result<double>("per-sample-norms", Objective.PerSampleGradientNorms(net, xb, yb).ToArray(), Batch);
            Result<double>("clipped-sum", Objective.ClippedGradientSum(net, xb, yb, c.Clip).Sum.AsSpan(), p);
            Result<double>("batched-gradient", Objective.ValueAndGradient(net, xb, yb).Gradient.AsSpan(), p);
            Result<double>("forward-1000", net.Forward(c.XForward).ToRowMajorArray(), ForwardRows, mp);
            Result<double>("forward-1", net.Apply(x1).ToArray(), mp);

            var inF = c.Inputs.AsSpan(0, m0).ToArray().Select(v => (float)v).ToArray();
            var ij = new float[mp * m0];
            net.InputJacobians<float>(inF, ij);
            Result<float>("input-jacobian", ij, mp, m0);
            var pj = new float[(long)mp * p];
            net.ParameterJacobians<float>(inF, pj);
            Result<float>("parameter-jacobian", pj, mp, p);
            Result<float>("per-sample-norms", Objective.PerSampleGradientNorms(net, xb, yb, Precision.Float32).Select(v => (float)v).ToArray(), Batch);
            Result<float>("clipped-sum", Objective.ClippedGradientSum(net, xb, yb, c.Clip, Precision.Float32).Sum.AsSpan().ToArray().Select(v => (float)v).ToArray(), p);
            var f = new float[ForwardRows * mp];
            net.Forward<float>(c.Inputs.Select(v => (float)v).ToArray(), f);
            Result<float>("forward-1000", f, ForwardRows, mp);

            networks.Add(new Dictionary<string, object>
            {
                ["name"] = name, ["sizes"] = c.Sizes, ["parameters"] = p, ["theta"] = $"{name}.theta.f64", ["layers"] = layers,
                ["inputs"] = inputs, ["labels"] = labels, ["clip"] = c.Clip, ["results"] = results,
            });
        }
        var manifest = new Dictionary<string, object>
        {
            ["format"] = "raw little-endian: .f64 float64, .f32 float32, .i32 int32; matrices row-major",
            ["activation"] = "relu", ["output"] = "softmax", ["loss"] = "categorical-cross-entropy", ["reduction"] = "sum",
            ["seed"] = Seed, ["batch"] = Batch, ["forward_rows"] = ForwardRows,
            ["input_distribution"] = "uniform [0, 1), MathDnn.Networks.Rng(42).NextDouble(), row-major forward_rows × m0",
            ["one_sample"] = "row 0 of the inputs", ["gradient_batch"] = "rows 0 .. batch-1 with their labels (one-hot targets)",
            ["clip"] = "per network: the median of the batch's float64 per-sample gradient norms",
            ["networks"] = networks,
        };
        File.WriteAllText(Path.Combine(dir, "manifest.json"), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        Console.Error.WriteLine($"bench --jacobians: wrote θ, inputs, labels and results of {cases.Length} network(s) to {dir}");
    }

    private static void Write<T>(string dir, string file, ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("bench --jacobians --export writes little-endian files on little-endian machines only.");
        using var s = File.Create(Path.Combine(dir, file));
        s.Write(MemoryMarshal.AsBytes(values));
    }
}
