using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Calculus;

/// <summary>
/// Central finite differences, the reference every explicit Jacobian of the library is checked against.
/// <para>
/// Step: hᵢ = ε^{1/3}·max(1, |xᵢ|) with ε = 2⁻⁵² (so h ≈ 6.06e-6 near 0). The central quotient
/// (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / (2hᵢ) has truncation error h²·|f'''|/6 and rounding error about ε·|f|/h;
/// their sum is smallest for h ∝ ε^{1/3}, and scaling by max(1, |xᵢ|) keeps the step a fixed relative perturbation
/// for large coordinates. The step is then rounded so that x + h is exactly representable ((x + h) − x), which
/// removes the representation error of the step itself. The expected error of one entry is therefore of order
/// ε^{2/3}·(|f| + |f'''|·max(1,|x|)³) ≈ 4e-11 times the scale of the function.
/// </para>
/// </summary>
public static class FiniteDifferences
{
    /// <summary>ε^{1/3} for double, the relative central-difference step.</summary>
    public static readonly double RelativeStep = Math.Cbrt(Math.Pow(2, -52));

    /// <summary>The step used for coordinate value <paramref name="x"/>: ε^{1/3}·max(1, |x|), made exactly representable.</summary>
    public static double Step(double x) => Step(x, 1.0);

    /// <summary><paramref name="scale"/> times the step for coordinate value <paramref name="x"/>, made exactly representable (e.g. 2h for a second estimate of the error).</summary>
    public static double Step(double x, double scale)
    {
        double h = scale * RelativeStep * Math.Max(1.0, Math.Abs(x));
        double xp = x + h;
        return xp - x;
    }

    /// <summary>The central-difference Jacobian of f at x, an m×n matrix (003 Def 1.2).</summary>
    public static Matrix<double> Jacobian(Func<Vector<double>, Vector<double>> f, Vector<double> x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Count;
        Matrix<double>? jac = null;
        var probe = x.Clone();
        for (int j = 0; j < n; j++)
        {
            double xj = x[j], h = Step(xj);
            probe[j] = xj + h;
            var fPlus = f(probe.Clone());
            probe[j] = xj - h;
            var fMinus = f(probe.Clone());
            probe[j] = xj;
            if (fPlus.Count != fMinus.Count)
                throw new InvalidOperationException($"Finite differences: f returned 1×{fPlus.Count} and 1×{fMinus.Count} at two nearby points.");
            jac ??= Matrix<double>.Build.Dense(fPlus.Count, n);
            for (int i = 0; i < fPlus.Count; i++) jac[i, j] = (fPlus[i] - fMinus[i]) / (2 * h);
        }
        return jac ?? throw new ArgumentException("Finite differences: the point must have at least one coordinate.");
    }

    /// <summary>The central-difference Jacobian of a <see cref="DifferentiableFunction"/>'s map.</summary>
    public static Matrix<double> Jacobian(DifferentiableFunction f, Vector<double> x) => Jacobian(f.Apply, x);

    /// <summary>
    /// The central-difference gradient (a 1×n row, 003 Def 1.2 with m = 1) of a scalar function. <paramref name="stepScale"/>
    /// multiplies every step (2 gives a second estimate whose difference from the first measures the truncation error).
    /// </summary>
    public static Vector<double> Gradient(Func<Vector<double>, double> f, Vector<double> x, double stepScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        var g = Vector<double>.Build.Dense(x.Count);
        var probe = x.Clone();
        for (int j = 0; j < x.Count; j++)
        {
            double xj = x[j], h = Step(xj, stepScale);
            probe[j] = xj + h;
            double fPlus = f(probe.Clone());
            probe[j] = xj - h;
            double fMinus = f(probe.Clone());
            probe[j] = xj;
            g[j] = (fPlus - fMinus) / (2 * h);
        }
        return g;
    }

    /// <summary>
    /// Compares an analytic gradient with the central-difference gradient of <paramref name="f"/> at x and reports
    /// the largest relative error and where it is (see <see cref="GradientCheckResult"/>).
    /// </summary>
    public static GradientCheckResult CheckGradient(Func<Vector<double>, double> f, Vector<double> analyticGradient, Vector<double> x)
    {
        Guard.SameLength("Gradient check", analyticGradient, "the analytic gradient", x, "the point");
        double scale = Math.Max(1.0, Math.Abs(f(x.Clone())));
        return GradientCheckResult.Compare(analyticGradient, Gradient(f, x), GradientCheckResult.Floor * scale);
    }

    /// <summary>Compares an explicit Jacobian with the central-difference Jacobian of the same map.</summary>
    public static GradientCheckResult CheckJacobian(DifferentiableFunction f, Vector<double> x)
    {
        double scale = Math.Max(1.0, f.Apply(x).AbsoluteMaximum());
        return GradientCheckResult.Compare(f.Jacobian(x), Jacobian(f, x), GradientCheckResult.Floor * scale);
    }
}

/// <summary>
/// The outcome of comparing analytic derivatives a with finite differences d: the largest relative error
/// |a − d| / max(|a|, |d|, floor), the (row, column) where it occurs (row 0 for gradients) and both values there.
/// The floor keeps entries that are both near zero from reporting rounding noise as a large relative error: the checks
/// of <see cref="FiniteDifferences"/> use <see cref="GradientCheckResult.Floor"/>·max(1, |f(x)|∞), because the noise of a
/// central difference is about ε^{2/3}·|f(x)| ≈ 4e-11·|f(x)| whatever the size of the derivative.
/// </summary>
/// <param name="MaxRelativeError">The largest relative error |a − d| / max(|a|, |d|, floor); NaN when an entry is NaN.</param>
/// <param name="Row">The row where it occurs (0 for a gradient).</param>
/// <param name="Column">The column where it occurs.</param>
/// <param name="Analytic">The analytic value a there.</param>
/// <param name="Numeric">The finite-difference value d there.</param>
public sealed record GradientCheckResult(double MaxRelativeError, int Row, int Column, double Analytic, double Numeric)
{
    /// <summary>Denominator floor of the relative error for an O(1) function: 1e-8, the noise of a central difference (ε^{2/3} ≈ 4e-11) times a safety factor of 250.</summary>
    public const double Floor = 1e-8;

    /// <summary>|a − d| / max(|a|, |d|, <paramref name="floor"/>), the relative error of an analytic value a against a finite difference d.</summary>
    public static double RelativeError(double a, double d, double floor = Floor) =>
        Math.Abs(a - d) / Math.Max(floor, Math.Max(Math.Abs(a), Math.Abs(d)));

    /// <summary>The largest <see cref="RelativeError"/> over the entries of two gradients (1×n rows), with its column (row 0); stops at the first NaN.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static GradientCheckResult Compare(Vector<double> analytic, Vector<double> numeric, double floor = Floor)
    {
        Guard.SameLength("Gradient check", analytic, "the analytic gradient", numeric, "the numeric gradient");
        var worst = new GradientCheckResult(0, 0, 0, analytic.Count > 0 ? analytic[0] : 0, numeric.Count > 0 ? numeric[0] : 0);
        for (int j = 0; j < analytic.Count; j++)
        {
            double e = RelativeError(analytic[j], numeric[j], floor);
            if (e > worst.MaxRelativeError || double.IsNaN(e)) worst = new GradientCheckResult(e, 0, j, analytic[j], numeric[j]);
            if (double.IsNaN(e)) break;
        }
        return worst;
    }

    /// <summary>The largest <see cref="RelativeError"/> over the entries of two Jacobians (m×n), with its (row, column); an empty matrix reports 0.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static GradientCheckResult Compare(Matrix<double> analytic, Matrix<double> numeric, double floor = Floor)
    {
        Guard.SameShape("Jacobian check", analytic, "the analytic Jacobian", numeric, "the numeric Jacobian");
        if (analytic.RowCount == 0 || analytic.ColumnCount == 0) return new GradientCheckResult(0, 0, 0, 0, 0);
        var worst = new GradientCheckResult(0, 0, 0, analytic[0, 0], numeric[0, 0]);
        for (int i = 0; i < analytic.RowCount; i++)
            for (int j = 0; j < analytic.ColumnCount; j++)
            {
                double e = RelativeError(analytic[i, j], numeric[i, j], floor);
                if (e > worst.MaxRelativeError || double.IsNaN(e)) worst = new GradientCheckResult(e, i, j, analytic[i, j], numeric[i, j]);
            }
        return worst;
    }

    /// <summary>The error, its position and both values, for a failure message.</summary>
    public override string ToString() =>
        $"max relative error {MaxRelativeError:G3} at ({Row}, {Column}): analytic {Analytic:G17}, finite difference {Numeric:G17}";
}
