using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests;

/// <summary>Entry-wise comparisons with an explicit absolute tolerance (each call site derives its tolerance).</summary>
internal static class Approx
{
    public static void Equal(double[] expected, Vector<double> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance,
                $"entry {j}: expected {expected[j]:G17}, got {actual[j]:G17} (tolerance {tolerance:G3})");
    }

    public static void Equal(double[,] expected, Matrix<double> actual, double tolerance)
    {
        Assert.Equal(expected.GetLength(0), actual.RowCount);
        Assert.Equal(expected.GetLength(1), actual.ColumnCount);
        for (int i = 0; i < actual.RowCount; i++)
            for (int j = 0; j < actual.ColumnCount; j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance,
                    $"entry ({i}, {j}): expected {expected[i, j]:G17}, got {actual[i, j]:G17} (tolerance {tolerance:G3})");
    }

    /// <summary>|expected − actual| ≤ tolerance entry-wise, naming the first offending entry and <paramref name="what"/>.</summary>
    public static void Equal(Matrix<double> expected, Matrix<double> actual, double tolerance, string what = "")
    {
        Assert.True(expected.RowCount == actual.RowCount && expected.ColumnCount == actual.ColumnCount,
            $"{what}: expected {expected.RowCount}×{expected.ColumnCount}, got {actual.RowCount}×{actual.ColumnCount}");
        for (int i = 0; i < actual.RowCount; i++)
            for (int j = 0; j < actual.ColumnCount; j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance,
                    $"{what} entry ({i}, {j}): expected {expected[i, j]:G17}, got {actual[i, j]:G17} (tolerance {tolerance:G3})");
    }

    /// <summary>The same for a row-major block of <paramref name="actual"/> holding expected.RowCount × expected.ColumnCount entries.</summary>
    public static void Equal<T>(Matrix<double> expected, ReadOnlySpan<T> actual, double tolerance, string what = "")
        where T : System.Numerics.INumberBase<T>
    {
        int m = expected.RowCount, n = expected.ColumnCount;
        Assert.True(actual.Length == m * n, $"{what}: expected {m * n} entries, got {actual.Length}");
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double a = double.CreateChecked(actual[i * n + j]);
                Assert.True(Math.Abs(expected[i, j] - a) <= tolerance,
                    $"{what} entry ({i}, {j}): expected {expected[i, j]:G17}, got {a:G17} (tolerance {tolerance:G3})");
            }
    }

    public static void Equal(Vector<double> expected, Vector<double> actual, double tolerance, string what = "")
    {
        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} entries, got {actual.Count}");
        for (int j = 0; j < expected.Count; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance,
                $"{what} entry {j}: expected {expected[j]:G17}, got {actual[j]:G17} (tolerance {tolerance:G3})");
    }

    /// <summary>Bit for bit (NaN payloads aside): the same doubles in the same places.</summary>
    public static void Identical(Matrix<double> expected, Matrix<double> actual, string what = "")
    {
        Assert.True(expected.RowCount == actual.RowCount && expected.ColumnCount == actual.ColumnCount,
            $"{what}: expected {expected.RowCount}×{expected.ColumnCount}, got {actual.RowCount}×{actual.ColumnCount}");
        for (int i = 0; i < actual.RowCount; i++)
            for (int j = 0; j < actual.ColumnCount; j++)
                Assert.True(BitConverter.DoubleToInt64Bits(expected[i, j]) == BitConverter.DoubleToInt64Bits(actual[i, j]),
                    $"{what} entry ({i}, {j}): expected {expected[i, j]:G17}, got {actual[i, j]:G17} (bit for bit)");
    }

    public static void Identical<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what = "") where T : IEquatable<T>
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} entries, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i].Equals(actual[i]), $"{what} entry {i}: expected {expected[i]}, got {actual[i]} (bit for bit)");
    }

    public static Vector<double> V(params double[] entries) => Vector<double>.Build.DenseOfArray(entries);

    public static Matrix<double> M(double[,] entries) => Matrix<double>.Build.DenseOfArray(entries);
}
