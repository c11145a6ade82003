using System.Diagnostics;
using MathDnn.Kernels;
using MathDnn.Networks;

namespace MathDnn.Cli.Commands;

/// <summary>
/// The GFLOP/s of one n×n×n matrix product C ← A·B through the core's kernel layer (the product every dense layer and
/// its backward pass runs), on the active backend (<see cref="KernelSettings.ActiveBackend"/>) with
/// <see cref="KernelSettings.MaxThreads"/> threads: one untimed call, then the best of <c>repetitions</c> timed calls,
/// 2n³ / best time. A and B hold U(−1, 1) entries (seed 7).
/// The product goes through the core's public <see cref="MatrixProduct"/>, the same kernel the dense layers call.
/// </summary>
internal static class GemmRate
{
    private delegate void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc);

    public static (double Gflops, double BestSeconds) Measure<T>(int n, int repetitions) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var gemm = Bind<T>();
        var rng = new Rng(7);
        var a = new T[n * n];
        var b = new T[n * n];
        var c = new T[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = T.CreateTruncating(rng.Uniform(-1, 1));
        for (int i = 0; i < b.Length; i++) b[i] = T.CreateTruncating(rng.Uniform(-1, 1));
        gemm(false, false, n, n, n, T.One, a, n, b, n, T.Zero, c, n);
        double best = double.PositiveInfinity;
        var clock = new Stopwatch();
        for (int r = 0; r < repetitions; r++)
        {
            clock.Restart();
            gemm(false, false, n, n, n, T.One, a, n, b, n, T.Zero, c, n);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return (2.0 * n * n * n / best / 1e9, best);
    }

    private static Gemm<T> Bind<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return (Gemm<T>)(object)new Gemm<double>(MatrixProduct.Multiply);
        if (typeof(T) == typeof(float)) return (Gemm<T>)(object)new Gemm<float>(MatrixProduct.Multiply);
        throw new NotSupportedException($"GEMM rate: no product for {typeof(T).Name}.");
    }
}
