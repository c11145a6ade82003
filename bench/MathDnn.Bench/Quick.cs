using System.Diagnostics;
using System.Globalization;
using MathDnn.Kernels;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Bench.BenchArgs;

namespace MathDnn.Bench;

/// <summary>
/// <c>--quick</c>: a plain Stopwatch loop, a few seconds in all, printing GFLOP/s (2·m·n·k / time) per size, type and
/// backend — for fast iteration; the BenchmarkDotNet run is the careful measurement. Each cell is timed in batches of
/// at least ~2 ms for <c>--seconds</c>; it prints the median batch and, in brackets, the best and worst, since the
/// machine is shared.
/// Options: --sizes 64,128,… --types double,float --backends managed,managed-1t,openblas,openblas-1t,mathnet,reference,packed-1t,managed-cN,managed-p0,managed-ns
/// --trans NN|NT|TN|TT --seconds 0.2 --shape MxNxK (one non-square product instead of the sizes).
/// </summary>
internal static class Quick
{
    public static int Run(string[] args)
    {
        int[] sizes = Option(args, "--sizes", "64,128,256,512,1024").Split(',').Select(int.Parse).ToArray();
        string[] types = Option(args, "--types", "double,float").Split(',');
        string defaultBackends = KernelSettings.OpenBlasAvailable ? "managed,managed-1t,openblas,mathnet" : "managed,managed-1t,mathnet";
        string[] backends = Option(args, "--backends", defaultBackends).Split(',');
        string trans = Option(args, "--trans", "NN").ToUpperInvariant();
        double seconds = double.Parse(Option(args, "--seconds", "0.2"), CultureInfo.InvariantCulture);
        string? shape = OptionOrNull(args, "--shape");
        var shapes = shape is null
            ? sizes.Select(s => (s, s, s)).ToArray()
            : [ParseShape(shape)];

        Control.UseManaged();
        Console.WriteLine($"managed kernel: {Gemm.Describe(Gemm.BestIsa)}; processors: {Environment.ProcessorCount}; " +
                          $"OpenBLAS: {(KernelSettings.OpenBlasAvailable ? KernelSettings.ActiveBackend : "absent")}");
        Console.WriteLine($"op = {trans}; GFLOP/s as median [min–max] over batches of ≥ 2 ms for {seconds} s per backend, backends interleaved");
        Console.WriteLine($"{"type",-7}{"m×n×k",-16}" + string.Concat(backends.Select(b => $"{b,24}")));
        foreach (var type in types)
            foreach (var (m, n, k) in shapes)
            {
                Console.Write($"{type,-7}{$"{m}×{n}×{k}",-16}");
                var results = type == "float"
                    ? Measure<float>(backends, trans, m, n, k, seconds)
                    : Measure<double>(backends, trans, m, n, k, seconds);
                foreach (var (median, min, max) in results)
                    Console.Write($"{$"{median:F1} [{min:F1}–{max:F1}]",24}");
                Console.WriteLine();
            }
        KernelSettings.Backend = GemmBackend.Auto;
        KernelSettings.MaxThreads = Environment.ProcessorCount;
        return 0;
    }

    private static (int, int, int) ParseShape(string s)
    {
        var p = s.Split('x', '×').Select(int.Parse).ToArray();
        return (p[0], p[1], p[2]);
    }


    /// <summary>
    /// Times every backend on the same operands, round-robin (one batch each per round), so that the load of the
    /// shared machine hits them alike.
    /// </summary>
    private static (double Median, double Min, double Max)[] Measure<T>(string[] backends, string trans, int m, int n, int k, double seconds)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        bool ta = trans[0] == 'T', tb = trans[1] == 'T';
        var rng = new Networks.Rng(42);
        T[] a = Enumerable.Range(0, m * k).Select(_ => T.CreateTruncating(rng.Uniform(-1, 1))).ToArray();
        T[] b = Enumerable.Range(0, k * n).Select(_ => T.CreateTruncating(rng.Uniform(-1, 1))).ToArray();
        T[] c = new T[m * n];
        int lda = ta ? m : k, ldb = tb ? k : n;
        var calls = backends.Select(backend => Call(backend, ta, tb, m, n, k, a, lda, b, ldb, c)).ToArray();
        double flops = 2.0 * m * n * k;
        var sw = new Stopwatch();
        int[] reps = new int[calls.Length];
        for (int i = 0; i < calls.Length; i++)
        {
            calls[i]();
            reps[i] = 1;
            while (true)
            {
                sw.Restart();
                for (int r = 0; r < reps[i]; r++) calls[i]();
                if (sw.Elapsed.TotalMilliseconds >= 2 || reps[i] > 1 << 20) break;
                reps[i] *= 2;
            }
        }
        var rates = calls.Select(_ => new List<double>()).ToArray();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds * calls.Length || rates[0].Count < 3)
            for (int i = 0; i < calls.Length; i++)
            {
                sw.Restart();
                for (int r = 0; r < reps[i]; r++) calls[i]();
                rates[i].Add(flops * reps[i] / sw.Elapsed.TotalSeconds / 1e9);
            }
        return rates.Select(list =>
        {
            list.Sort();
            return (list[list.Count / 2], list[0], list[^1]);
        }).ToArray();
    }

    /// <summary>The managed kernel on all threads with one tuning setting changed for the call and restored after it.</summary>
    private static Action Tuned(Action set, Action restore, Action product) => () =>
    {
        KernelSettings.Backend = GemmBackend.Managed;
        KernelSettings.MaxThreads = Environment.ProcessorCount;
        set();
        product();
        restore();
    };

    /// <summary>One call of <paramref name="backend"/>; the kernel settings it needs are set on every call.</summary>
    private static Action Call<T>(string backend, bool ta, bool tb, int m, int n, int k, T[] a, int lda, T[] b, int ldb, T[] c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        void Product() => Blas.Gemm(ta, tb, m, n, k, T.One, a, lda, b, ldb, T.Zero, c, n);
        switch (backend)
        {
            case "managed" or "managed-1t" or "openblas" or "openblas-1t":
                var kind = backend.StartsWith("openblas") ? GemmBackend.OpenBlas : GemmBackend.Managed;
                int threads = backend.EndsWith("-1t") ? 1 : Environment.ProcessorCount;
                return () =>
                {
                    KernelSettings.Backend = kind;
                    KernelSettings.MaxThreads = threads;
                    Blas.Gemm(ta, tb, m, n, k, T.One, a, lda, b, ldb, T.Zero, c, n);
                };
            case var tuned when tuned.StartsWith("managed-c"):
                // managed-cN: all threads, N chunks per thread (tuning Gemm.ChunksPerThread).
                int perThread = int.Parse(tuned["managed-c".Length..]);
                return Tuned(() => Gemm.ChunksPerThread = perThread, () => Gemm.ChunksPerThread = 2, Product);
            case "managed-p0":
                // All threads with no parallel threshold (tuning Gemm.ParallelThreshold).
                long threshold = Gemm.ParallelThreshold;
                return Tuned(() => Gemm.ParallelThreshold = 0, () => Gemm.ParallelThreshold = threshold, Product);
            case "managed-ns":
                // All threads, each chunk of a row split packing op(B) itself (tuning Gemm.SharedPackLimit).
                long limit = Gemm.SharedPackLimit;
                return Tuned(() => Gemm.SharedPackLimit = 0, () => Gemm.SharedPackLimit = limit, Product);
            case "packed-1t":
                // The packed kernel on one thread even where Blas.PrefersReference (tuning that rule).
                return () => Packed(ta, tb, m, n, k, a, lda, b, ldb, c);
            case "reference":
                return () => Blas.GemmReference(ta, tb, m, n, k, T.One, a, lda, b, ldb, T.Zero, c, n);
            case "mathnet":
                return MathNetProduct(ta, tb, m, n, k, a, b);
            default:
                throw new ArgumentException($"bench --quick: unknown backend '{backend}'.");
        }
    }

    private static unsafe void Packed<T>(bool ta, bool tb, int m, int n, int k, T[] a, int lda, T[] b, int ldb, T[] c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
            Gemm.Run(ta, tb, m, n, k, T.One, pa, lda, pb, ldb, T.Zero, pc, n, Gemm.BestIsa, 1);
    }

    private static Action MathNetProduct<T>(bool ta, bool tb, int m, int n, int k, T[] a, T[] b)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            var ma = Matrix<double>.Build.Dense(ta ? k : m, ta ? m : k, (double[])(object)a);
            var mb = Matrix<double>.Build.Dense(tb ? n : k, tb ? k : n, (double[])(object)b);
            var mc = Matrix<double>.Build.Dense(m, n);
            return (ta, tb) switch
            {
                (false, false) => () => ma.Multiply(mb, mc),
                (false, true) => () => ma.TransposeAndMultiply(mb, mc),
                (true, false) => () => ma.TransposeThisAndMultiply(mb, mc),
                _ => () => ma.Transpose().Multiply(mb.Transpose(), mc),
            };
        }
        else
        {
            var ma = Matrix<float>.Build.Dense(ta ? k : m, ta ? m : k, (float[])(object)a);
            var mb = Matrix<float>.Build.Dense(tb ? n : k, tb ? k : n, (float[])(object)b);
            var mc = Matrix<float>.Build.Dense(m, n);
            return (ta, tb) switch
            {
                (false, false) => () => ma.Multiply(mb, mc),
                (false, true) => () => ma.TransposeAndMultiply(mb, mc),
                (true, false) => () => ma.TransposeThisAndMultiply(mb, mc),
                _ => () => ma.Transpose().Multiply(mb.Transpose(), mc),
            };
        }
    }
}
