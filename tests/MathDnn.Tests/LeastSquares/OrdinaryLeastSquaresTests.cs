using MathDnn.LeastSquares;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.LeastSquares;

/// <summary>Least squares β = argmin ‖Xβ − y‖² (002 Section 9, eq. 20) by QR and by the normal equations.</summary>
public class OrdinaryLeastSquaresTests
{
    private const double Eps = OrdinaryLeastSquares.Epsilon; // 2⁻⁵²

    private static Matrix<double> M(double[,] a) => Matrix<double>.Build.DenseOfArray(a);
    private static Vector<double> V(params double[] x) => Vector<double>.Build.DenseOfArray(x);

    [Fact]
    public void Three_point_line_by_hand_002_eq_20()
    {
        // Points (0, 1), (1, 3), (2, 4); X = [1 x]. XᵀX = [[3, 3], [3, 5]], Xᵀy = [8, 11], det = 15 − 9 = 6,
        // (XᵀX)⁻¹ = (1/6)[[5, −3], [−3, 3]] ⇒ β₀ = (40 − 33)/6 = 7/6, β₁ = (−24 + 33)/6 = 3/2.
        // (Check: slope Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = ((−1)(−5/3) + (1)(4/3))/2 = 3/2; intercept ȳ − 3/2·x̄ = 8/3 − 3/2 = 7/6.)
        var x = M(new double[,] { { 1, 0 }, { 1, 1 }, { 1, 2 } });
        var y = V(1, 3, 4);
        // Tolerance: the first-order error bound of either path is γ·κ²·‖β‖ with γ = n·p·ε ≈ 1.3e-15 and
        // κ² = λ_max/λ_min(XᵀX) = (4 + √10)/(4 − √10) ≈ 8.6, ‖β‖ ≈ 1.9: ≈ 2e-14; 5e-14 leaves a factor 2.5.
        const double tol = 5e-14;
        var qr = OrdinaryLeastSquares.Solve(x, y);
        var ne = OrdinaryLeastSquares.SolveNormalEquations(x, y);
        Assert.Equal(7.0 / 6, qr[0], tol);
        Assert.Equal(3.0 / 2, qr[1], tol);
        Assert.Equal(7.0 / 6, ne[0], tol);
        Assert.Equal(3.0 / 2, ne[1], tol);
        // Residual y − Xβ = [1 − 7/6, 3 − 16/6, 4 − 25/6] = [−1/6, 1/3, −1/6]; Xᵀr = [0, 1/3 − 1/3] = 0.
        var r = OrdinaryLeastSquares.Residual(x, y, qr);
        Assert.Equal(-1.0 / 6, r[0], tol);
        Assert.Equal(1.0 / 3, r[1], tol);
        Assert.Equal(-1.0 / 6, r[2], tol);
        Assert.True((x.TransposeThisAndMultiply(r)).InfinityNorm() < tol);
    }

    [Fact]
    public void Exact_quadratic_data_is_recovered_002_Section_9()
    {
        // y = 1 + 2x − 3x² at x = −2 … 2: y = [−15, −4, 1, 0, −7]; the degree-2 features fit it with zero residual.
        var x = PolynomialFeatures.Of(V(-2, -1, 0, 1, 2), 2);
        var y = V(-15, -4, 1, 0, -7);
        // VᵀV = [[5, 0, 10], [0, 10, 0], [10, 0, 34]]: eigenvalues 10 and (39 ± √1241)/2 ≈ 37.1, 1.89, so κ² ≈ 19.7;
        // γ·κ²·‖β‖ with γ = n·p·ε ≈ 3.3e-15 and ‖β‖ = √14 ≈ 3.7 is ≈ 2.4e-13; 5e-13 leaves a factor 2.
        const double tol = 5e-13;
        foreach (var beta in new[] { OrdinaryLeastSquares.Solve(x, y), OrdinaryLeastSquares.SolveNormalEquations(x, y) })
        {
            Assert.Equal(1.0, beta[0], tol);
            Assert.Equal(2.0, beta[1], tol);
            Assert.Equal(-3.0, beta[2], tol);
        }
    }

    [Fact]
    public void Rank_deficient_X_names_the_rank_and_condition_number()
    {
        // Column 2 = 2 × column 1: rank 1 < 2 columns.
        var x = M(new double[,] { { 1, 2 }, { 2, 4 }, { 3, 6 } });
        var y = V(1, 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => OrdinaryLeastSquares.Solve(x, y));
        Assert.Contains("rank-deficient", ex.Message);
        Assert.Contains("numerical rank 1 < 2", ex.Message);
        Assert.Contains("condition number", ex.Message);
        Assert.Contains("3×2", ex.Message);
        // XᵀX = [[14, 28], [28, 56]] is exactly singular (56 − 28²/14 = 0): Cholesky fails, and says why.
        var ne = Assert.Throws<ArgumentException>(() => OrdinaryLeastSquares.SolveNormalEquations(x, y));
        Assert.Contains("not numerically positive definite", ne.Message);
        Assert.Contains("condition number", ne.Message);
        // Fewer rows than columns.
        var wide = Assert.Throws<ArgumentException>(() => OrdinaryLeastSquares.Solve(M(new double[,] { { 1, 2 } }), V(1)));
        Assert.Contains("rank is at most 1 < 2", wide.Message);
    }

    [Fact]
    public void Shape_mismatch_and_non_finite_input_are_named()
    {
        var x = M(new double[,] { { 1, 0 }, { 1, 1 }, { 1, 2 } });
        var ex = Assert.Throws<ArgumentException>(() => OrdinaryLeastSquares.Solve(x, V(1, 2)));
        Assert.Contains("3×2", ex.Message);
        Assert.Contains("1×2", ex.Message);
        var nan = Assert.Throws<ArgumentException>(() => OrdinaryLeastSquares.Solve(x, V(1, double.NaN, 2)));
        Assert.Contains("index 1", nan.Message);
        var bad = x.Clone();
        bad[2, 1] = double.PositiveInfinity;
        Assert.Contains("row 2, column 1", Assert.Throws<ArgumentException>(() => OrdinaryLeastSquares.Solve(bad, V(1, 2, 3))).Message);
    }

    [Fact]
    public void Solvers_do_not_mutate_their_arguments()
    {
        var x = M(new double[,] { { 1, 0 }, { 1, 1 }, { 1, 2 } });
        var y = V(1, 3, 4);
        var (x0, y0) = (x.Clone(), y.Clone());
        _ = OrdinaryLeastSquares.Solve(x, y);
        _ = OrdinaryLeastSquares.SolveNormalEquations(x, y);
        _ = Ridge.Solve(x, y, 2.0, penalizeIntercept: false);
        _ = Ridge.SolveNormalEquations(x, y, 2.0);
        Assert.Equal(x0, x);
        Assert.Equal(y0, y);
    }

    [Fact]
    public void Held_out_error_is_the_RMSE_of_002_eq_19()
    {
        // X = [[1, 0], [1, 1]], β = [1, 1]: predictions [1, 2]; y = [2, 2]: residuals [1, 0]; E = √((1 + 0)/2) = √(1/2).
        var e = LinearModel.RootMeanSquaredError(M(new double[,] { { 1, 0 }, { 1, 1 } }), V(2, 2), V(1, 1));
        Assert.Equal(Math.Sqrt(0.5), e, 4 * Eps); // three exact operations and one rounded sqrt: ≤ ε/2 relative
        Assert.Equal(V(1, 2), LinearModel.Predict(M(new double[,] { { 1, 0 }, { 1, 1 } }), V(1, 1)));
        Assert.Throws<ArgumentException>(() => LinearModel.Predict(M(new double[,] { { 1, 0 } }), V(1, 1, 1)));
    }
}
