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

    public static Vector<double> V(params double[] entries) => Vector<double>.Build.DenseOfArray(entries);

    public static Matrix<double> M(double[,] entries) => Matrix<double>.Build.DenseOfArray(entries);
}
