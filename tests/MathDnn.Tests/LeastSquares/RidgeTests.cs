using MathDnn.LeastSquares;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.LeastSquares;

/// <summary>Ridge regression ‖Xβ − y‖² + λ‖β‖² of 002 Section 10.</summary>
public class RidgeTests
{
    private static Matrix<double> M(double[,] a) => Matrix<double>.Build.DenseOfArray(a);
    private static Vector<double> V(params double[] x) => Vector<double>.Build.DenseOfArray(x);

    [Fact]
    public void One_dimensional_ridge_by_hand_002_Section_10()
    {
        // X = [1; 2; 3] (one column, no intercept), y = [1, 2, 2]: d/dβ [Σ(xᵢβ − yᵢ)² + λβ²] = 0 gives
        // β = Σxᵢyᵢ / (Σxᵢ² + λ) = (1 + 4 + 6)/(14 + λ) = 11/(14 + λ): λ = 1 → 11/15, λ = 0 → 11/14 (least squares).
        var x = M(new double[,] { { 1 }, { 2 }, { 3 } });
        var y = V(1, 2, 2);
        // One column: κ = 1, so the error is a few roundings, ≈ n·ε·|β| ≈ 4·2.2e-16·0.8 ≈ 7e-16; 2e-15 bounds it.
        const double tol = 2e-15;
        Assert.Equal(11.0 / 15, Ridge.Solve(x, y, 1.0)[0], tol);
        Assert.Equal(11.0 / 15, Ridge.SolveNormalEquations(x, y, 1.0)[0], tol);
        Assert.Equal(11.0 / 14, Ridge.Solve(x, y, 0.0)[0], tol);
        Assert.Equal(OrdinaryLeastSquares.Solve(x, y)[0], Ridge.Solve(x, y, 0.0)[0], tol);
        // λ = 8: β = 11/22 = 1/2; objective (0.5−1)² + (1−2)² + (1.5−2)² + 8·(1/4) = 0.25 + 1 + 0.25 + 2 = 3.5.
        Assert.Equal(0.5, Ridge.Solve(x, y, 8.0)[0], tol);
        Assert.Equal(3.5, Ridge.Objective(x, y, V(0.5), 8.0), tol);
    }

    [Fact]
    public void Intercept_penalty_option_by_hand_002_Section_10()
    {
        // X = [1 x] with x = [−1, 0, 1], y = [1, 2, 6]: XᵀX = diag(3, 2) (1ᵀx = 0), Xᵀy = [9, −1 + 6] = [9, 5].
        //   penalised (default):  (3 + λ)β₀ = 9, (2 + λ)β₁ = 5;  λ = 3 → β = [9/6, 5/5] = [1.5, 1]
        //   intercept free:        3β₀ = 9,      (2 + λ)β₁ = 5;  λ = 3 → β = [3, 1]
        var x = M(new double[,] { { 1, -1 }, { 1, 0 }, { 1, 1 } });
        var y = V(1, 2, 6);
        // XᵀX = diag(3, 2): κ² = 1.5; γ·κ²·‖β‖ with γ = n·p·ε ≈ 1.3e-15, ‖β‖ ≤ 3.2 is ≈ 6e-15; 2e-14 bounds it.
        const double tol = 2e-14;
        var full = Ridge.Solve(x, y, 3.0);
        Assert.Equal(1.5, full[0], tol);
        Assert.Equal(1.0, full[1], tol);
        var free = Ridge.Solve(x, y, 3.0, penalizeIntercept: false);
        Assert.Equal(3.0, free[0], tol);
        Assert.Equal(1.0, free[1], tol);
        var freeNe = Ridge.SolveNormalEquations(x, y, 3.0, penalizeIntercept: false);
        Assert.Equal(3.0, freeNe[0], tol);
        Assert.Equal(1.0, freeNe[1], tol);
    }

    [Fact]
    public void A_ridge_penalty_makes_a_rank_deficient_problem_solvable()
    {
        // X = [[1, 1], [1, 1]] has rank 1; [X; √λ·I] has full rank for λ > 0. y = [2, 2]:
        // (XᵀX + λI)β = Xᵀy with XᵀX = [[2, 2], [2, 2]], Xᵀy = [4, 4]; by symmetry β₀ = β₁ = b, (4 + λ)b = 4; λ = 4 → b = 1/2.
        var x = M(new double[,] { { 1, 1 }, { 1, 1 } });
        var y = V(2, 2);
        Assert.Throws<ArgumentException>(() => OrdinaryLeastSquares.Solve(x, y));
        var beta = Ridge.Solve(x, y, 4.0);
        // A = [X; 2I] has singular values √8 and 2 (κ = √2): error ≈ n·p·ε·κ·‖β‖ ≈ 8·2.2e-16·1.4·0.7 ≈ 2e-15; 1e-14 bounds it.
        Assert.Equal(0.5, beta[0], 1e-14);
        Assert.Equal(0.5, beta[1], 1e-14);
        // With column 0 unpenalised, A = [X; 2·diag(0, 1)] still has full rank (column 1 keeps its penalty row):
        // 2β₀ + 2β₁ = 4 and 2β₀ + (2 + 4)β₁ = 4 ⇒ β₁ = 0, β₀ = 2. AᵀA = [[2, 2], [2, 6]] has eigenvalues 4 ± 2√2, so
        // κ(A) = √((4 + 2√2)/(4 − 2√2)) ≈ 2.4 and the error ≈ 8·2.2e-16·2.4·2 ≈ 8.5e-15; 3e-14 bounds it.
        var free = Ridge.Solve(x, y, 4.0, penalizeIntercept: false);
        Assert.Equal(2.0, free[0], 3e-14);
        Assert.Equal(0.0, free[1], 3e-14);
    }

    [Fact]
    public void Negative_or_non_finite_lambda_is_named()
    {
        var x = M(new double[,] { { 1 }, { 2 } });
        var y = V(1, 2);
        Assert.Contains("λ is -1", Assert.Throws<ArgumentException>(() => Ridge.Solve(x, y, -1.0)).Message);
        Assert.Throws<ArgumentException>(() => Ridge.Solve(x, y, double.NaN));
        Assert.Throws<ArgumentException>(() => Ridge.SolveNormalEquations(x, y, double.PositiveInfinity));
    }
}
