using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests;

/// <summary>Seeded random matrices and one-hot targets for tests.</summary>
internal static class TestData
{
    public static Matrix<double> Random(int rows, int cols, int seed, double scale = 1.0)
    {
        var rng = new Rng(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => rng.Uniform(-scale, scale));
    }

    public static Vector<double> RandomVector(int n, int seed, double scale = 1.0)
    {
        var rng = new Rng(seed);
        return Vector<double>.Build.Dense(n, _ => rng.Uniform(-scale, scale));
    }

    public static Matrix<double> OneHot(int rows, int classes, int seed)
    {
        var rng = new Rng(seed);
        var m = Matrix<double>.Build.Dense(rows, classes);
        for (int i = 0; i < rows; i++) m[i, rng.NextInt(classes)] = 1.0;
        return m;
    }
}
