namespace MathDnn.Kernels;

/// <summary>
/// The core's matrix product on plain arrays, for callers who want the kernel every dense layer runs (benchmarks, custom
/// layers): row-major C ← α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n, for float and double, on the active backend
/// (<see cref="KernelSettings.ActiveBackend"/>) with up to <see cref="KernelSettings.MaxThreads"/> threads. β = 0 overwrites C.
/// Operand sizes are checked and a mismatch names the product and the shapes.
/// </summary>
public static class MatrixProduct
{
    /// <summary>C ← α·op(A)·op(B) + β·C in double, row-major: op(A) = Aᵀ when <paramref name="transposeA"/> (A stored k×m) else A (m×k), likewise op(B) (k×n); <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/> are the row strides of A, B and C as stored. β = 0 overwrites C.</summary>
    /// <exception cref="ArgumentException">A size is negative, a row stride is smaller than its operand's stored width, or a span is too short for its shape and stride.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
        Blas.Gemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>C ← α·op(A)·op(B) + β·C in float; as the double overload.</summary>
    /// <exception cref="ArgumentException">A size is negative, a row stride is too small, or a span is too short for its shape and stride.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Blas.Gemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
