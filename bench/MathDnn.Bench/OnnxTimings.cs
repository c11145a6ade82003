using System.Diagnostics;
using System.Globalization;
using MathDnn.Kernels;
using MathDnn.Networks;
using MathDnn.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MathDnn.Bench;

/// <summary>
/// <c>--onnx</c>: MathDnn's <see cref="Network.Forward{T}(ReadOnlySpan{T}, Span{T})"/> against ONNX Runtime's
/// <c>InferenceSession.Run</c> on the same model, exported by <see cref="OnnxModel"/>: Network.MultiClass(784-256-128-10,
/// seed 42, random weights), one sample and a batch of 1000 rows uniform in [0, 1], in float32 and float64. ONNX Runtime
/// runs with its default graph optimisations and intra-op threads = MathDnn's thread count (<c>--threads N</c>, default
/// the processors), and its input tensors are built once outside the timed loop, as MathDnn's spans are. Each cell: 20
/// warm-up calls, then batches of at least 1 ms of calls for <c>--seconds</c> (default 1); the median time per call of
/// the batches is reported, with the ratio ONNX Runtime / MathDnn (&gt; 1: MathDnn is faster).
/// </summary>
internal static class OnnxTimings
{
    public static int Run(string[] args)
    {
        int threads = Arg(args, "--threads") is string t ? int.Parse(t, CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        double seconds = Arg(args, "--seconds") is string s ? double.Parse(s, CultureInfo.InvariantCulture) : 1.0;
        KernelSettings.MaxThreads = threads;
        var net = Network.MultiClass([784, 256, 128, 10], seed: 42);
        var rng = new Rng(42);
        var inputs = new double[1000 * 784];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = rng.Uniform(0, 1);
        Console.WriteLine($"784-256-128-10 forward pass, {threads} thread(s), ONNX Runtime {OrtEnv.Instance().GetVersionString()}");
        Console.WriteLine($"{"precision",-10} {"rows",5} {"MathDnn",12} {"ONNX Runtime",13} {"ORT/MathDnn",12}");
        foreach (var precision in new[] { OnnxPrecision.Float32, OnnxPrecision.Float64 })
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
            using var session = new InferenceSession(OnnxModel.ToBytes(net, precision), options);
            foreach (int rows in new[] { 1, 1000 })
            {
                double ours, theirs;
                if (precision == OnnxPrecision.Float32)
                {
                    var x = inputs.AsSpan(0, rows * 784).ToArray().Select(v => (float)v).ToArray();
                    var y = new float[rows * 10];
                    ours = Time(() => net.Forward<float>(x, y), seconds);
                    var feed = new[] { NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(x, [rows, 784])) };
                    theirs = Time(() => { using var r = session.Run(feed); }, seconds);
                }
                else
                {
                    var x = inputs.AsSpan(0, rows * 784).ToArray();
                    var y = new double[rows * 10];
                    ours = Time(() => net.Forward<double>(x, y), seconds);
                    var feed = new[] { NamedOnnxValue.CreateFromTensor("input", new DenseTensor<double>(x, [rows, 784])) };
                    theirs = Time(() => { using var r = session.Run(feed); }, seconds);
                }
                Console.WriteLine($"{(precision == OnnxPrecision.Float32 ? "float32" : "float64"),-10} {rows,5} {Fmt(ours),12} {Fmt(theirs),13} {theirs / ours,12:F2}");
            }
        }
        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Fmt(double seconds) =>
        seconds < 1e-3 ? $"{seconds * 1e6:F1} µs" : $"{seconds * 1e3:F2} ms";

    /// <summary>The median seconds per call over batches of at least 1 ms, after 20 warm-up calls.</summary>
    private static double Time(Action call, double seconds)
    {
        for (int i = 0; i < 20; i++) call();
        var sw = Stopwatch.StartNew();
        int perBatch = 1;
        while (true)
        {
            sw.Restart();
            for (int i = 0; i < perBatch; i++) call();
            if (sw.Elapsed.TotalMilliseconds >= 1) break;
            perBatch *= 2;
        }
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || times.Count < 5)
        {
            sw.Restart();
            for (int i = 0; i < perBatch; i++) call();
            times.Add(sw.Elapsed.TotalSeconds / perBatch);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
