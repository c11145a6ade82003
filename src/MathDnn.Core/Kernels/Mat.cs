using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Kernels;

/// <summary>
/// A dense row-major matrix over a contiguous array: the one buffer type of the kernel layer.
/// Row i occupies <c>Data[i*Cols .. (i+1)*Cols)</c>, so a batch (one sample per row, 003 Convention 2)
/// is a <see cref="Mat{T}"/> with one sample per row.
/// </summary>
internal sealed class Mat<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public readonly T[] Data;
    public readonly int Rows;
    public readonly int Cols;

    public Mat(int rows, int cols) : this(new T[checked(rows * cols)], rows, cols) { }

    /// <summary>A matrix over the first rows·cols entries of <paramref name="data"/> (a longer array is a workspace seen partly).</summary>
    public Mat(T[] data, int rows, int cols)
    {
        if (rows < 0 || cols < 0 || data.Length < rows * cols)
            throw new ArgumentException($"A {rows}×{cols} matrix needs {rows * cols} entries, got {data.Length}.");
        Data = data;
        Rows = rows;
        Cols = cols;
    }

    /// <summary>The rows·cols entries of the matrix (Data may be longer when the matrix views part of a workspace).</summary>
    public Span<T> Span => Data.AsSpan(0, Rows * Cols);

    /// <summary>The first <paramref name="rows"/> rows, sharing this matrix's memory.</summary>
    public Mat<T> Top(int rows) => rows == Rows ? this : new Mat<T>(Data, rows, Cols);
    public Span<T> Row(int i) => Data.AsSpan(i * Cols, Cols);
    public string Shape => $"{Rows}×{Cols}";
}

internal static class Mat
{
    public static Mat<double> From(Matrix<double> m) => new(RowMajor(m), m.RowCount, m.ColumnCount);

    public static Mat<double> FromRow(Vector<double> v) => new(v.ToArray(), 1, v.Count);

    public static Matrix<double> ToMatrix(this Mat<double> m) => ToMatrix(m.Data, m.Rows, m.Cols);

    /// <summary>A MathNet matrix (column-major) from row-major data: one transposing copy, blocked for the caches.</summary>
    public static Matrix<double> ToMatrix(ReadOnlySpan<double> rowMajor, int rows, int cols) =>
        Matrix<double>.Build.Dense(rows, cols, Transpose(rowMajor, rows, cols));

    /// <summary>The transpose of a row-major rows×cols matrix, row-major (cols×rows).</summary>
    public static T[] Transpose<T>(ReadOnlySpan<T> a, int rows, int cols) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var t = new T[rows * cols];
        TransposeInto(a, rows, cols, t);
        return t;
    }

    /// <summary>dest (cols×rows, row-major) ← aᵀ for a row-major rows×cols, converting each entry to TTo (round to nearest), in 32×32 tiles.</summary>
    public static void TransposeInto<TFrom, TTo>(ReadOnlySpan<TFrom> a, int rows, int cols, Span<TTo> dest)
        where TFrom : unmanaged, System.Numerics.INumberBase<TFrom> where TTo : unmanaged, System.Numerics.INumberBase<TTo>
    {
        const int B = 32;
        for (int i0 = 0; i0 < rows; i0 += B)
            for (int j0 = 0; j0 < cols; j0 += B)
            {
                int i1 = Math.Min(rows, i0 + B), j1 = Math.Min(cols, j0 + B);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++) dest[j * rows + i] = TTo.CreateTruncating(a[i * cols + j]);
            }
    }

    /// <summary>The entries of a MathNet matrix in row-major order: its column-major array transposed once (or MathNet's own copy for other storage).</summary>
    public static double[] RowMajor(Matrix<double> m) =>
        m.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> dense
            ? Transpose<double>(dense.Data.AsSpan(0, m.RowCount * m.ColumnCount), m.ColumnCount, m.RowCount)
            : m.ToRowMajorArray();

    public static Vector<double> ToVector(ReadOnlySpan<double> values) => Vector<double>.Build.DenseOfArray(values.ToArray());
}
