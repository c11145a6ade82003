using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.LeastSquares;

/// <summary>
/// Polynomial features (002 Section 9): a scalar x becomes the row [x⁰, x¹, …, x^d] = [1, x, x², …, x^d], so that
/// least squares on these features fits a polynomial of degree d ("if x = 2, it will be transformed to [1, 2, 4]"
/// for d = 2). Column 0 is the intercept column of ones. A batch of n scalars becomes the n×(d+1) Vandermonde matrix.
/// Powers are built by repeated multiplication, x^k = x^{k−1}·x, so small integer powers are exact.
/// </summary>
public static class PolynomialFeatures
{
    /// <summary>[1, x, x², …, x^d] as a 1×(d+1) row.</summary>
    public static Vector<double> Of(double x, int degree)
    {
        Check(degree);
        if (!double.IsFinite(x))
            throw new ArgumentException($"PolynomialFeatures: x is {x}; it must be finite.", nameof(x));
        var row = new double[degree + 1];
        Fill(x, row);
        return Vector<double>.Build.DenseOfArray(row);
    }

    /// <summary>The n×(d+1) matrix whose row i is [1, xᵢ, xᵢ², …, xᵢ^d].</summary>
    public static Matrix<double> Of(Vector<double> x, int degree)
    {
        ArgumentNullException.ThrowIfNull(x);
        Check(degree);
        if (x.Count == 0)
            throw new ArgumentException("PolynomialFeatures: x is empty; at least one sample is needed.", nameof(x));
        Guard.Finite("PolynomialFeatures", "x", x);
        var data = new double[x.Count * (degree + 1)];
        for (int i = 0; i < x.Count; i++) Fill(x[i], data.AsSpan(i * (degree + 1), degree + 1));
        return Matrix<double>.Build.DenseOfRowMajor(x.Count, degree + 1, data);
    }

    private static void Fill(double x, Span<double> row)
    {
        double power = 1.0;
        for (int k = 0; k < row.Length; k++) { row[k] = power; power *= x; }
    }

    private static void Check(int degree)
    {
        if (degree < 0)
            throw new ArgumentException($"PolynomialFeatures: the degree is {degree}; it must be non-negative.", nameof(degree));
    }
}
