using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace MathDnn.LeastSquares;

/// <summary>
/// The least-squares model of 002 Section 9: β ∈ ℝᵖ minimising ‖Xβ − y‖₂², where X (n×p) has one sample per row
/// (003 Convention 2) and y ∈ ℝⁿ. 002 eq. 20 writes the minimiser as β = (XᵀX)⁻¹Xᵀy; no inverse is ever formed here.
/// <para>
/// <see cref="Solve"/> — the stable path: a Householder QR factorisation X = QR (Q n×p with orthonormal columns,
/// R p×p upper triangular), then Rβ = Qᵀy by back substitution. It is backward stable: the relative error of β is
/// of order ε·(κ + κ²·‖r‖/(‖X‖‖β‖)), κ = σ_max/σ_min the condition number of X. X must have full column rank: the
/// numerical rank is the number of singular values of R (those of X) above max(n, p)·ε·σ_max (NumPy's
/// <c>matrix_rank</c> tolerance); a rank-deficient X raises an <see cref="ArgumentException"/> naming the rank and κ.
/// </para>
/// <para>
/// <see cref="SolveNormalEquations"/> — 002 eq. 20 as a linear system: the Cholesky factorisation XᵀX = LLᵀ, then
/// LLᵀβ = Xᵀy. Cheaper, but forming XᵀX squares the condition number (relative error of order ε·κ²), so it loses
/// every digit once κ ≳ 1/√ε ≈ 6.7·10⁷. Kept to compare with the QR path.
/// </para>
/// Arguments are never mutated.
/// </summary>
public static class OrdinaryLeastSquares
{
    /// <summary>ε = 2⁻⁵², the spacing of doubles at 1 (NumPy's <c>finfo(float64).eps</c>).</summary>
    public const double Epsilon = 1.0 / (1L << 52);

    /// <summary>argmin_β ‖Xβ − y‖₂² by Householder QR. Throws when X is rank-deficient (rank and κ in the message).</summary>
    public static Vector<double> Solve(Matrix<double> x, Vector<double> y)
    {
        const string op = "least squares (QR)";
        Validate(op, x, y);
        return QrSolve(op, "X", x, y);
    }

    /// <summary>
    /// The solution of the normal equations XᵀXβ = Xᵀy (002 eq. 20) by Cholesky. Throws when XᵀX is not numerically
    /// positive definite (X rank-deficient, or κ(X)² beyond 1/ε).
    /// </summary>
    public static Vector<double> SolveNormalEquations(Matrix<double> x, Vector<double> y)
    {
        const string op = "least squares (normal equations)";
        Validate(op, x, y);
        return CholeskySolve(op, x, x.TransposeThisAndMultiply(x), x.TransposeThisAndMultiply(y));
    }

    /// <summary>The residual r = y − Xβ (orthogonal to the columns of X at the least-squares solution: Xᵀr = 0).</summary>
    public static Vector<double> Residual(Matrix<double> x, Vector<double> y, Vector<double> beta)
    {
        Validate("least squares residual", x, y);
        Guard.Length("least squares residual", "β", beta, x.ColumnCount);
        return y - x * beta;
    }

    /// <summary>The singular values of X, largest first (MathNet's SVD; for diagnostics and tolerances).</summary>
    public static Vector<double> SingularValues(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Svd(computeVectors: false).S;
    }

    internal static void Validate(string op, Matrix<double> x, Vector<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.RowCount == 0 || x.ColumnCount == 0)
            throw new ArgumentException($"{op}: X is {Guard.Shape(x)}; it needs at least one row and one column.", nameof(x));
        if (x.RowCount != y.Count)
            throw new ArgumentException($"{op}: X is {Guard.Shape(x)} but y is {Guard.Shape(y)}; y needs one entry per row of X ({x.RowCount}).");
        Guard.Finite(op, "X", x);
        Guard.Finite(op, "y", y);
    }

    /// <summary>argmin_β ‖Aβ − b‖₂² by Householder QR, after checking the numerical rank of A from the singular values of R.</summary>
    internal static Vector<double> QrSolve(string op, string name, Matrix<double> a, Vector<double> b)
    {
        int n = a.RowCount, p = a.ColumnCount;
        if (n < p)
            throw new ArgumentException($"{op}: {name} is {n}×{p} with fewer rows than columns, so its rank is at most {n} < {p}: it is rank-deficient and β is not unique.");
        var qr = a.QR(QRMethod.Thin);
        var (rank, condition, tolerance) = Rank(qr.R, n);
        if (rank < p)
            throw new ArgumentException(
                $"{op}: {name} ({n}×{p}) is rank-deficient: numerical rank {rank} < {p} columns " +
                $"(singular values ≤ max(n, p)·ε·σ_max = {tolerance:G3} count as 0; condition number σ_max/σ_min = {Format(condition)}). " +
                "Remove dependent columns or add a ridge penalty λ > 0.");
        return qr.Solve(b);
    }

    /// <summary>Solves Gβ = c by Cholesky, G = XᵀX (+ λD), with an error naming κ(X) when G is not positive definite.</summary>
    internal static Vector<double> CholeskySolve(string op, Matrix<double> x, Matrix<double> gram, Vector<double> rhs)
    {
        Cholesky<double> chol;
        try
        {
            chol = gram.Cholesky();
        }
        catch (ArgumentException)
        {
            var s = SingularValues(x);
            double condition = s[s.Count - 1] == 0 || x.RowCount < x.ColumnCount ? double.PositiveInfinity : s[0] / s[s.Count - 1];
            throw new ArgumentException(
                $"{op}: the {gram.RowCount}×{gram.ColumnCount} Gram matrix is not numerically positive definite, so Cholesky fails; " +
                $"X ({Guard.Shape(x)}) has condition number σ_max/σ_min = {Format(condition)} (the normal equations need κ² well below 1/ε ≈ 4.5e15). " +
                "Use the QR path.");
        }
        return chol.Solve(rhs);
    }

    /// <summary>Numerical rank of the triangular factor R of an n-row matrix, its condition number and the rank tolerance.</summary>
    internal static (int Rank, double Condition, double Tolerance) Rank(Matrix<double> r, int rows)
    {
        var s = r.Svd(computeVectors: false).S;
        double max = s[0], min = s[s.Count - 1];
        double tolerance = Math.Max(rows, r.ColumnCount) * Epsilon * max;
        int rank = 0;
        foreach (var v in s) if (v > tolerance) rank++;
        return (rank, min == 0 ? double.PositiveInfinity : max / min, tolerance);
    }

    internal static string Format(double condition) => double.IsPositiveInfinity(condition) ? "∞" : condition.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
}
