using System.Diagnostics;
using MathDnn.Kernels;
using MathDnn.Networks;

namespace MathDnn.Cli.Commands;

/// <summary>
/// The GFLOP/s of n×n×n matrix products C ← A·B through the core's kernel layer (the product every dense layer and its
/// backward pass runs), on the active backend (<see cref="KernelSettings.ActiveBackend"/>) with
/// <see cref="KernelSettings.MaxThreads"/> threads: an untimed window of <see cref="WarmUpSeconds"/>, then
/// <c>windows</c> timed windows of <see cref="WindowSeconds"/> of back-to-back products, 2n³ / the best mean time per
/// product. Products follow one another as in training, while the threads are awake: a single product after a pause
/// mostly times the workers' wake-up (measured on the 2-core Zen 5 VM after training: 85–105 GFLOP/s in double on 2
/// threads single-shot, where back-to-back rounds read 220). A and B hold U(−1, 1) entries (seed 7).
/// The product goes through the core's public <see cref="MatrixProduct"/>, the same kernel the dense layers call.
/// </summary>
internal static class GemmRate
{
    /// <summary>The untimed window first: 0.1 s.</summary>
    public const double WarmUpSeconds = 0.1;

    /// <summary>One timed window: 20 ms (a 512³ product takes 0.6–2.5 ms here).</summary>
    public const double WindowSeconds = 0.02;

    private delegate void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc);

    public static (double Gflops, double BestSeconds) Measure<T>(int n, int windows) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var gemm = Bind<T>();
        var rng = new Rng(7);
        var a = new T[n * n];
        var b = new T[n * n];
        var c = new T[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = T.CreateTruncating(rng.Uniform(-1, 1));
        for (int i = 0; i < b.Length; i++) b[i] = T.CreateTruncating(rng.Uniform(-1, 1));
        double Window(double seconds)
        {
            var clock = Stopwatch.StartNew();
            int products = 0;
            do
            {
                gemm(false, false, n, n, n, T.One, a, n, b, n, T.Zero, c, n);
                products++;
            } while (clock.Elapsed.TotalSeconds < seconds);
            return clock.Elapsed.TotalSeconds / products;
        }
        Window(WarmUpSeconds);
        double best = double.PositiveInfinity;
        for (int w = 0; w < windows; w++) best = Math.Min(best, Window(WindowSeconds));
        return (2.0 * n * n * n / best / 1e9, best);
    }

    private static Gemm<T> Bind<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return (Gemm<T>)(object)new Gemm<double>(MatrixProduct.Multiply);
        if (typeof(T) == typeof(float)) return (Gemm<T>)(object)new Gemm<float>(MatrixProduct.Multiply);
        throw new NotSupportedException($"GEMM rate: no product for {typeof(T).Name}.");
    }
}
