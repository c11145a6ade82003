using System.Numerics;
using System.Numerics.Tensors;

namespace MathDnn.Kernels;

/// <summary>
/// The small kernel layer that every hot path of the core goes through: a row-major matrix product with
/// transposes and a few element-wise maps over contiguous spans, generic over the element type
/// (float64 by default, float32 through the same code). A faster implementation replaces these bodies
/// without touching the mathematics above them.
/// </summary>
internal static class Blas
{
    /// <summary>
    /// C ← α·op(A)·op(B) + β·C, all row-major; op(A) is m×k, op(B) is k×n and C is m×n.
    /// <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/> are the row strides of the stored matrices.
    /// With β = 0, C is overwritten (NaN in C does not propagate), as in BLAS.
    /// </summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) TensorPrimitives.Multiply(row, beta, row);
        }
        if (k == 0 || alpha == T.Zero) return;

        if (!transA && !transB)
        {
            // C[i,:] += α·A[i,p]·B[p,:]
            for (int i = 0; i < m; i++)
            {
                var crow = c.Slice(i * ldc, n);
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), alpha * a[i * lda + p], crow, crow);
            }
        }
        else if (!transA && transB)
        {
            // C[i,j] += α·⟨A[i,:], B[j,:]⟩
            for (int i = 0; i < m; i++)
            {
                var arow = a.Slice(i * lda, k);
                var crow = c.Slice(i * ldc, n);
                for (int j = 0; j < n; j++)
                    crow[j] += alpha * TensorPrimitives.Dot(arow, b.Slice(j * ldb, k));
            }
        }
        else if (transA && !transB)
        {
            // C[i,:] += α·A[p,i]·B[p,:]
            for (int p = 0; p < k; p++)
            {
                var brow = b.Slice(p * ldb, n);
                for (int i = 0; i < m; i++)
                {
                    var crow = c.Slice(i * ldc, n);
                    TensorPrimitives.MultiplyAdd(brow, alpha * a[p * lda + i], crow, crow);
                }
            }
        }
        else
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    T s = T.Zero;
                    for (int p = 0; p < k; p++) s += a[p * lda + i] * b[j * ldb + p];
                    c[i * ldc + j] += alpha * s;
                }
        }
    }

    /// <summary>C ← op(A)·op(B) for whole <see cref="Mat{T}"/> buffers, shapes checked.</summary>
    public static void Gemm<T>(bool transA, bool transB, Mat<T> a, Mat<T> b, Mat<T> c, T beta = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = transA ? a.Cols : a.Rows, k = transA ? a.Rows : a.Cols;
        int kb = transB ? b.Cols : b.Rows, n = transB ? b.Rows : b.Cols;
        if (k != kb || c.Rows != m || c.Cols != n)
            throw new ArgumentException(
                $"Matrix product: op(A) is {m}×{k}, op(B) is {kb}×{n}, C is {c.Shape}.");
        Gemm(transA, transB, m, n, k, T.One, a.Data, a.Cols, b.Data, b.Cols, beta, c.Data, c.Cols);
    }

    /// <summary>Adds the row vector <paramref name="bias"/> to every row of <paramref name="x"/>.</summary>
    public static void AddRowVector<T>(Mat<T> x, ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>sums[j] = Σ_i x[i,j] (column sums), overwriting <paramref name="sums"/>.</summary>
    public static void ColumnSums<T>(Mat<T> x, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        sums.Clear();
        for (int i = 0; i < x.Rows; i++) TensorPrimitives.Add(sums, x.Row(i), sums);
    }
}
