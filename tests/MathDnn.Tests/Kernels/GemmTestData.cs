using System.Runtime.InteropServices;
using MathDnn.Kernels;
using MathDnn.Networks;

namespace MathDnn.Tests.Kernels;

/// <summary>A product under test: C ← α·op(A)·op(B) + β·C on whole arrays with row strides.</summary>
internal delegate void Product<T>(bool transA, bool transB, int m, int n, int k, T alpha, T[] a, int lda, T[] b, int ldb,
    T beta, T[] c, int ldc) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

/// <summary>
/// One GEMM problem with strided operands whose padding holds NaN (so a read outside op(A), op(B) or C poisons the
/// result, and a write outside C is seen), and the naive triple-loop reference in double.
/// </summary>
internal sealed class GemmProblem<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public readonly bool TransA, TransB;
    public readonly int M, N, K, Lda, Ldb, Ldc;
    public readonly T Alpha, Beta;
    public readonly T[] A, B, C0;
    private readonly bool _integer;

    /// <param name="integer">Entries in {−3, …, 3}: with α, β powers of two every sum is exact, so the product must be exact.</param>
    public GemmProblem(bool transA, bool transB, int m, int n, int k, double alpha, double beta, int seed,
        int padA = 0, int padB = 0, int padC = 0, bool integer = false)
    {
        (TransA, TransB, M, N, K) = (transA, transB, m, n, k);
        (Alpha, Beta) = (T.CreateChecked(alpha), T.CreateChecked(beta));
        _integer = integer;
        var rng = new Rng(seed);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        Lda = aCols + padA;
        Ldb = bCols + padB;
        Ldc = n + padC;
        A = Strided(aRows, aCols, Lda, ref rng, poisonEntries: false);
        B = Strided(bRows, bCols, Ldb, ref rng, poisonEntries: false);
        // β = 0 must overwrite C without reading it: fill C with NaN then.
        C0 = Strided(m, n, Ldc, ref rng, poisonEntries: beta == 0);
    }

    private T[] Strided(int rows, int cols, int ld, ref Rng rng, bool poisonEntries)
    {
        int length = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
        var x = new T[length + 3];
        Array.Fill(x, T.NaN);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                x[i * ld + j] = poisonEntries ? T.NaN
                    : _integer ? T.CreateChecked(rng.NextInt(7) - 3)
                    : T.CreateChecked(rng.Uniform(-1, 1));
        return x;
    }

    public T OpA(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];
    public T OpB(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];

    /// <summary>C after the product under test (on a copy of C0), A and B checked unchanged.</summary>
    public T[] Run(Product<T> product)
    {
        var a = (T[])A.Clone();
        var b = (T[])B.Clone();
        var c = (T[])C0.Clone();
        product(TransA, TransB, M, N, K, Alpha, a, Lda, b, Ldb, Beta, c, Ldc);
        Assert.True(Bits(a).SequenceEqual(Bits(A)), "the product wrote to A");
        Assert.True(Bits(b).SequenceEqual(Bits(B)), "the product wrote to B");
        return c;
    }

    public static byte[] Bits(T[] x) => MemoryMarshal.AsBytes(x.AsSpan()).ToArray();

    /// <summary>
    /// Checks <paramref name="c"/> against the naive product in double, entry by entry, and that C's padding is untouched.
    /// Tolerance (first order): a value computed by r roundings, each of a partial result bounded by S, is off by at most
    /// r·u·S (u = ε/2). With S = |α|·Σ_p|a_ip||b_pj| + |β|·|c_ij|, the kernel uses k fused multiply-adds, then per k-block
    /// of KC one α·acc and one addition, plus β·c: r ≤ k + 2⌈k/KC⌉ + 1 ≤ 2k + 3; the naive double loop uses k products,
    /// k sums and three for α, β: r ≤ 2k + 3 as well. So |kernel − naive| ≤ 2·(2k + 3)·u·S = (2k + 3)·ε·S, with ε of T
    /// (for float the double reference's share is negligible and the bound is generous). Integer problems are exact:
    /// tolerance 0.
    /// </summary>
    public void AssertMatchesNaive(T[] c, string label)
    {
        double eps = double.CreateChecked(MachineEpsilon());
        double alpha = double.CreateChecked(Alpha), beta = double.CreateChecked(Beta);
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                double s = 0, sAbs = 0;
                for (int p = 0; p < K; p++)
                {
                    double x = double.CreateChecked(OpA(i, p)) * double.CreateChecked(OpB(p, j));
                    s += x;
                    sAbs += Math.Abs(x);
                }
                double c0 = double.CreateChecked(C0[i * Ldc + j]);
                double expected = beta == 0 ? alpha * s : alpha * s + beta * c0;
                double scale = Math.Abs(alpha) * sAbs + (beta == 0 ? 0 : Math.Abs(beta * c0));
                double tolerance = _integer ? 0 : (2 * K + 3) * eps * scale;
                double got = double.CreateChecked(c[i * Ldc + j]);
                if (!(Math.Abs(got - expected) <= tolerance))
                    Assert.Fail($"{label}: C[{i},{j}] = {got:R}, naive {expected:R}, |diff| {Math.Abs(got - expected):E2} > tolerance {tolerance:E2} " +
                                $"(op = {(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')}, m = {M}, n = {N}, k = {K}, α = {alpha}, β = {beta})");
            }
        for (int idx = 0; idx < c.Length; idx++)
        {
            bool inside = idx < (M == 0 || N == 0 ? 0 : (M - 1) * Ldc + N) && idx % Ldc < N;
            if (!inside && !T.IsNaN(c[idx]))
                Assert.Fail($"{label}: the product wrote {c[idx]} at index {idx}, outside C (ldc = {Ldc}).");
        }
    }

    /// <summary>ε of T: the gap between 1 and the next representable number (2⁻⁵² for double, 2⁻²³ for float).</summary>
    private static T MachineEpsilon() => T.BitIncrement(T.One) - T.One;

    public override string ToString() =>
        $"op = {(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')}, m = {M}, n = {N}, k = {K}, lda = {Lda}, ldb = {Ldb}, ldc = {Ldc}";
}

/// <summary>Runners: the managed kernel at a given vector width and thread count, the dispatcher, OpenBLAS.</summary>
internal static unsafe class Products
{
    public static Product<T> Managed<T>(GemmIsa isa, int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
        {
            fixed (T* pa = a, pb = b, pc = c)
                Gemm.Run(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, isa, threads);
        };

    public static Product<T> Dispatcher<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => Blas.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    public static Product<T> Reference<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => Blas.GemmReference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    public static Product<T> OpenBlas<T>(int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
        {
            fixed (T* pa = a, pb = b, pc = c)
                NativeBlas.Gemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads);
        };
}
