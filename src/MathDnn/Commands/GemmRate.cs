using System.Diagnostics;
using System.Reflection;
using MathDnn.Kernels;
using MathDnn.Networks;

namespace MathDnn.Cli.Commands;

/// <summary>
/// The GFLOP/s of one n×n×n matrix product C ← A·B through the core's kernel layer (the product every dense layer and
/// its backward pass runs), on the active backend (<see cref="KernelSettings.ActiveBackend"/>) with
/// <see cref="KernelSettings.MaxThreads"/> threads: one untimed call, then the best of <c>repetitions</c> timed calls,
/// 2n³ / best time. A and B hold U(−1, 1) entries (seed 7).
/// <para>
/// The kernel layer (<c>MathDnn.Kernels.Blas</c>) is internal to the core and the core grants its internals to the
/// tests and the bench project only, so the shell binds <c>Blas.Gemm&lt;T&gt;</c> by reflection, once per element type.
/// A test runs this, so a renamed or re-shaped kernel is noticed at once.
/// </para>
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
        var blas = typeof(KernelSettings).Assembly.GetType("MathDnn.Kernels.Blas")
            ?? throw new InvalidOperationException("GEMM rate: the core has no MathDnn.Kernels.Blas.");
        var method = blas.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .SingleOrDefault(m => m.Name == "Gemm" && m.IsGenericMethodDefinition && m.GetParameters().Length == 13)
            ?? throw new InvalidOperationException("GEMM rate: MathDnn.Kernels.Blas has no Gemm<T>(transA, transB, m, n, k, α, A, lda, B, ldb, β, C, ldc).");
        return method.MakeGenericMethod(typeof(T)).CreateDelegate<Gemm<T>>();
    }
}
