using MathDnn.Metrics;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Metrics;

/// <summary>MSE, RMSE, MAE and MAPE of 002 eqs. 15–18, by hand.</summary>
public class RegressionErrorsTests
{
    // Each value is a sum of three small terms divided by 3 (and a square root): ≤ 6 roundings of values ≤ 10,
    // relative error ≤ 6·ε/2 ≈ 7e-16; 2e-15 absolute covers it for results ≤ 2.
    private const double Rounding = 2e-15;

    private static Vector<double> V(params double[] x) => Vector<double>.Build.DenseOfArray(x);

    [Fact]
    public void MSE_RMSE_MAE_MAPE_by_hand_002_eqs_15_to_18()
    {
        // y = [1, 2, 4], ŷ = [2, 2, 1]: y − ŷ = [−1, 0, 3]
        //   MSE  = (1 + 0 + 9)/3 = 10/3                       (002 eq. 15)
        //   RMSE = √(10/3)                                    (002 eq. 16)
        //   MAE  = (1 + 0 + 3)/3 = 4/3                        (002 eq. 17)
        //   MAPE = (1/1 + 0/2 + 3/4)/3 = (7/4)/3 = 7/12       (002 eq. 18), a fraction: 7/12 ≈ 0.583 means 58.3 %
        var (y, yHat) = (V(1, 2, 4), V(2, 2, 1));
        Assert.Equal(10.0 / 3, RegressionErrors.MeanSquaredError(y, yHat), Rounding);
        Assert.Equal(Math.Sqrt(10.0 / 3), RegressionErrors.RootMeanSquaredError(y, yHat), Rounding);
        Assert.Equal(4.0 / 3, RegressionErrors.MeanAbsoluteError(y, yHat), Rounding);
        Assert.Equal(7.0 / 12, RegressionErrors.MeanAbsolutePercentageError(y, yHat), Rounding);
    }

    [Fact]
    public void Batch_forms_average_over_every_entry()
    {
        // Rows [1, 2] and [4, −2] against [2, 2] and [1, −1]: differences −1, 0, 3, −1.
        //   MSE = (1 + 0 + 9 + 1)/4 = 11/4, MAE = (1 + 0 + 3 + 1)/4 = 5/4,
        //   MAPE = (1/1 + 0/2 + 3/4 + 1/2)/4 = (9/4)/4 = 9/16 (|y| in the denominator: the −2 target gives +1/2).
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 4, -2 } });
        var yHat = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 2 }, { 1, -1 } });
        Assert.Equal(11.0 / 4, RegressionErrors.MeanSquaredError(y, yHat), Rounding);
        Assert.Equal(Math.Sqrt(11.0 / 4), RegressionErrors.RootMeanSquaredError(y, yHat), Rounding);
        Assert.Equal(5.0 / 4, RegressionErrors.MeanAbsoluteError(y, yHat), Rounding);
        Assert.Equal(9.0 / 16, RegressionErrors.MeanAbsolutePercentageError(y, yHat), Rounding);
    }

    [Fact]
    public void MAPE_divides_by_the_absolute_target()
    {
        // y = −2, ŷ = −1: |−2 − (−1)|/|−2| = 1/2 (002 eq. 18 read literally would give −1/2).
        Assert.Equal(0.5, RegressionErrors.MeanAbsolutePercentageError(V(-2), V(-1)));
    }

    [Fact]
    public void MAPE_with_a_zero_target_names_the_row_002_eq_18()
    {
        var ex = Assert.Throws<ArgumentException>(() => RegressionErrors.MeanAbsolutePercentageError(V(1, 0, 3), V(1, 1, 1)));
        Assert.Contains("MAPE", ex.Message);
        Assert.Contains("row 1", ex.Message);
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 0, 4 } });
        var batch = Assert.Throws<ArgumentException>(() => RegressionErrors.MeanAbsolutePercentageError(y, y));
        Assert.Contains("row 1, column 0", batch.Message);
    }

    [Fact]
    public void Length_mismatch_empty_and_non_finite_input_are_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => RegressionErrors.MeanSquaredError(V(1, 2, 3), V(1, 2)));
        Assert.Contains("3 targets but 2 predictions", ex.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => RegressionErrors.MeanAbsoluteError(V(), V())).Message);
        var nan = Assert.Throws<ArgumentException>(() => RegressionErrors.RootMeanSquaredError(V(1, 2), V(1, double.NaN)));
        Assert.Contains("predictions", nan.Message);
        Assert.Contains("index 1", nan.Message);
        var shapes = Assert.Throws<ArgumentException>(() =>
            RegressionErrors.MeanSquaredError(Matrix<double>.Build.Dense(2, 3), Matrix<double>.Build.Dense(3, 2)));
        Assert.Contains("2×3", shapes.Message);
        Assert.Contains("3×2", shapes.Message);
    }

    [Fact]
    public void Inputs_are_not_mutated()
    {
        var (y, yHat) = (V(1, 2, 4), V(2, 2, 1));
        _ = RegressionErrors.MeanAbsolutePercentageError(y, yHat);
        _ = RegressionErrors.MeanSquaredError(y, yHat);
        Assert.Equal(V(1, 2, 4), y);
        Assert.Equal(V(2, 2, 1), yHat);
    }
}
