using MathDnn.LeastSquares;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.LeastSquares;

/// <summary>Polynomial features [1, x, …, x^d] of 002 Section 9.</summary>
public class PolynomialFeaturesTests
{
    [Fact]
    public void X_equals_2_becomes_1_2_4_as_002_Section_9_writes()
    {
        // [2⁰, 2¹, 2²] = [1, 2, 4] (exact: small integer powers).
        Assert.Equal(Vector<double>.Build.DenseOfArray([1, 2, 4]), PolynomialFeatures.Of(2.0, 2));
        Assert.Equal(Vector<double>.Build.DenseOfArray([1]), PolynomialFeatures.Of(7.5, 0));
    }

    [Fact]
    public void A_batch_becomes_the_Vandermonde_matrix()
    {
        // Rows [1, x, x², x³] for x = −1, 0, 3: [1, −1, 1, −1], [1, 0, 0, 0], [1, 3, 9, 27].
        var v = PolynomialFeatures.Of(Vector<double>.Build.DenseOfArray([-1, 0, 3]), 3);
        var expected = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, -1, 1, -1 }, { 1, 0, 0, 0 }, { 1, 3, 9, 27 } });
        Assert.Equal(expected, v);
    }

    [Fact]
    public void Bad_degree_or_input_is_named()
    {
        Assert.Contains("degree is -1", Assert.Throws<ArgumentException>(() => PolynomialFeatures.Of(1.0, -1)).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => PolynomialFeatures.Of(double.NaN, 2)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => PolynomialFeatures.Of(Vector<double>.Build.Dense(0), 2)).Message);
    }
}
