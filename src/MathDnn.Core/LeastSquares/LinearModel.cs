using MathDnn.Metrics;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.LeastSquares;

/// <summary>
/// The fitted linear model y = β·x of 002 Sections 9–10 (x a feature row, e.g. from <see cref="PolynomialFeatures"/>)
/// and its error on data: E(f, D, U) = ( Σ_{(xᵢ, yᵢ) ∈ U} (yᵢ − f(xᵢ))² / |U| )^{1/2} (002 eq. 19), the RMSE of
/// 002 eq. 16 over a set U — on unseen (validation or test) data it measures generalisation.
/// </summary>
public static class LinearModel
{
    /// <summary>The predictions Xβ, one per row of X.</summary>
    public static Vector<double> Predict(Matrix<double> x, Vector<double> beta)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.Length("LinearModel.Predict", "β", beta, x.ColumnCount);
        return x * beta;
    }

    /// <summary>E(f, D, U) of 002 eq. 19 for f(x) = β·x on the rows of X with targets y: √((1/|U|)·Σᵢ (yᵢ − xᵢ·β)²).</summary>
    public static double RootMeanSquaredError(Matrix<double> x, Vector<double> y, Vector<double> beta)
    {
        OrdinaryLeastSquares.Validate("LinearModel.RootMeanSquaredError (002 eq. 19)", x, y);
        Guard.Length("LinearModel.RootMeanSquaredError (002 eq. 19)", "β", beta, x.ColumnCount);
        return RegressionErrors.RootMeanSquaredError(y, x * beta);
    }
}
