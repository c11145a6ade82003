using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.LeastSquares;

/// <summary>
/// Ridge regression, the regularised least squares of 002 Section 10: β minimising ‖Xβ − y‖₂² + λ·‖Dβ‖₂², λ ≥ 0.
/// <para>
/// Penalty: by default D = I, the whole of β is penalised, exactly as 002 Section 10 writes λ‖β‖₂². With
/// <c>penalizeIntercept: false</c>, D = diag(0, 1, …, 1) leaves column 0 — the intercept column of ones that
/// <see cref="PolynomialFeatures"/> puts first — unpenalised, so shifting y by a constant shifts only β₀.
/// </para>
/// <para>
/// <see cref="Solve"/> — the stable path: ‖Xβ − y‖² + λ‖Dβ‖² = ‖Aβ − b‖² with A = [X; √λ·D] ((n+p)×p) and
/// b = [y; 0], solved by Householder QR as in <see cref="OrdinaryLeastSquares.Solve"/>. Forming XᵀX is avoided, so the
/// error grows with κ(A), not κ(A)². With D = I and λ &gt; 0, σ_min(A) ≥ √λ: A always has full rank.
/// </para>
/// <para>
/// <see cref="SolveNormalEquations"/> — the first-order condition (XᵀX + λDᵀD)β = Xᵀy by Cholesky, to compare.
/// </para>
/// As λ grows, ‖Dβ(λ)‖ decreases monotonically (with D = I: ‖β(λ)‖² = Σᵢ (σᵢ·uᵢᵀy / (σᵢ² + λ))² in the SVD of X);
/// λ = 0 is ordinary least squares. Arguments are never mutated.
/// </summary>
public static class Ridge
{
    /// <summary>argmin_β ‖Xβ − y‖₂² + λ‖Dβ‖₂² by QR of [X; √λ·D]. Default: every coefficient penalised (D = I).</summary>
    public static Vector<double> Solve(Matrix<double> x, Vector<double> y, double lambda, bool penalizeIntercept = true)
    {
        const string op = "ridge (QR of [X; √λ·D])";
        Validate(op, x, y, lambda);
        int n = x.RowCount, p = x.ColumnCount;
        double root = Math.Sqrt(lambda);
        var a = Matrix<double>.Build.Dense(n + p, p);
        a.SetSubMatrix(0, 0, x);
        for (int j = penalizeIntercept ? 0 : 1; j < p; j++) a[n + j, j] = root;
        var b = Vector<double>.Build.Dense(n + p);
        b.SetSubVector(0, n, y);
        return OrdinaryLeastSquares.QrSolve(op, "[X; √λ·D]", a, b);
    }

    /// <summary>The solution of (XᵀX + λDᵀD)β = Xᵀy by Cholesky (squares the condition number; for comparison).</summary>
    public static Vector<double> SolveNormalEquations(Matrix<double> x, Vector<double> y, double lambda, bool penalizeIntercept = true)
    {
        const string op = "ridge (normal equations)";
        Validate(op, x, y, lambda);
        var gram = x.TransposeThisAndMultiply(x);
        for (int j = penalizeIntercept ? 0 : 1; j < x.ColumnCount; j++) gram[j, j] += lambda;
        return OrdinaryLeastSquares.CholeskySolve(op, x, gram, x.TransposeThisAndMultiply(y));
    }

    /// <summary>The ridge objective ‖Xβ − y‖₂² + λ‖Dβ‖₂² at β.</summary>
    public static double Objective(Matrix<double> x, Vector<double> y, Vector<double> beta, double lambda, bool penalizeIntercept = true)
    {
        const string op = "ridge objective";
        Validate(op, x, y, lambda);
        Guard.Length(op, "β", beta, x.ColumnCount);
        var r = y - x * beta;
        double penalty = 0;
        for (int j = penalizeIntercept ? 0 : 1; j < beta.Count; j++) penalty += beta[j] * beta[j];
        return r.DotProduct(r) + lambda * penalty;
    }

    private static void Validate(string op, Matrix<double> x, Vector<double> y, double lambda)
    {
        OrdinaryLeastSquares.Validate(op, x, y);
        if (!(lambda >= 0.0) || double.IsPositiveInfinity(lambda))
            throw new ArgumentException($"{op}: λ is {lambda}; it must be finite and non-negative.", nameof(lambda));
    }
}
