using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Metrics;

/// <summary>
/// Regression metrics of 002 Sections 8.3–8.5 between targets yᵢ and predictions ŷᵢ, i = 1 … n (the texts write
/// Σ_{i=0}^{n} with a factor 1/n; there are n terms). Vectors hold one sample per entry; matrices hold one sample per
/// row (003 Convention 2) and are averaged over all of their entries. Inputs must be finite, of the same shape and
/// non-empty; they are not mutated.
/// <list type="bullet">
/// <item>MSE = (1/n)·Σᵢ (yᵢ − ŷᵢ)² (002 eq. 15)</item>
/// <item>RMSE = √MSE (002 eq. 16; the held-out error E(f, D, U) of 002 eq. 19 is the RMSE over U)</item>
/// <item>MAE = (1/n)·Σᵢ |yᵢ − ŷᵢ| (002 eq. 17)</item>
/// <item>MAPE = (1/n)·Σᵢ |yᵢ − ŷᵢ| / |yᵢ| (002 eq. 18), returned as a fraction, not a percent: 0.05 means 5 %.
/// 002 eq. 18 divides by yᵢ; we divide by |yᵢ| so that every term is a non-negative relative error (the two agree
/// for positive targets). A zero target makes its relative error undefined: an <see cref="ArgumentException"/>
/// names the row (never an infinity or NaN).</item>
/// </list>
/// </summary>
public static class RegressionErrors
{
    /// <summary>MSE = (1/n)·Σᵢ (yᵢ − ŷᵢ)² over n samples (002 eq. 15).</summary>
    /// <exception cref="ArgumentException">The lengths differ, the vectors are empty, or an entry is not finite.</exception>
    public static double MeanSquaredError(Vector<double> targets, Vector<double> predictions) =>
        Mean("MSE", Col(targets), Col(predictions), static (y, p) => (y - p) * (y - p));

    /// <summary>MSE over every entry of k×m matrices (one sample per row): (1/(k·m))·Σ (y − ŷ)² (002 eq. 15).</summary>
    /// <exception cref="ArgumentException">The shapes differ, the matrices are empty, or an entry is not finite.</exception>
    public static double MeanSquaredError(Matrix<double> targets, Matrix<double> predictions) =>
        Mean("MSE", targets, predictions, static (y, p) => (y - p) * (y - p));

    /// <summary>RMSE = √MSE over n samples (002 eq. 16).</summary>
    /// <exception cref="ArgumentException">The lengths differ, the vectors are empty, or an entry is not finite.</exception>
    public static double RootMeanSquaredError(Vector<double> targets, Vector<double> predictions) =>
        Math.Sqrt(Mean("RMSE", Col(targets), Col(predictions), static (y, p) => (y - p) * (y - p)));

    /// <summary>RMSE = √MSE over every entry of k×m matrices (002 eq. 16).</summary>
    /// <exception cref="ArgumentException">The shapes differ, the matrices are empty, or an entry is not finite.</exception>
    public static double RootMeanSquaredError(Matrix<double> targets, Matrix<double> predictions) =>
        Math.Sqrt(Mean("RMSE", targets, predictions, static (y, p) => (y - p) * (y - p)));

    /// <summary>MAE = (1/n)·Σᵢ |yᵢ − ŷᵢ| over n samples (002 eq. 17).</summary>
    /// <exception cref="ArgumentException">The lengths differ, the vectors are empty, or an entry is not finite.</exception>
    public static double MeanAbsoluteError(Vector<double> targets, Vector<double> predictions) =>
        Mean("MAE", Col(targets), Col(predictions), static (y, p) => Math.Abs(y - p));

    /// <summary>MAE over every entry of k×m matrices (002 eq. 17).</summary>
    /// <exception cref="ArgumentException">The shapes differ, the matrices are empty, or an entry is not finite.</exception>
    public static double MeanAbsoluteError(Matrix<double> targets, Matrix<double> predictions) =>
        Mean("MAE", targets, predictions, static (y, p) => Math.Abs(y - p));

    /// <summary>MAPE as a fraction (not a percent); throws, naming the row, when a target is 0.</summary>
    public static double MeanAbsolutePercentageError(Vector<double> targets, Vector<double> predictions)
    {
        var (y, p) = (Col(targets), Col(predictions));
        Validate("MAPE", y, p);
        NonZero(y, 1);
        return Sum(y, p, static (y, p) => Math.Abs(y - p) / Math.Abs(y)) / y.Length;
    }

    /// <summary>MAPE over all entries of a batch, as a fraction; throws, naming the row and column, when a target is 0.</summary>
    public static double MeanAbsolutePercentageError(Matrix<double> targets, Matrix<double> predictions)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(predictions);
        var (y, p) = (targets.ToRowMajorArray(), predictions.ToRowMajorArray());
        Validate("MAPE", targets, predictions);
        NonZero(y, targets.ColumnCount);
        return Sum(y, p, static (y, p) => Math.Abs(y - p) / Math.Abs(y)) / y.Length;
    }

    private static double[] Col(Vector<double> v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return v.ToArray();
    }

    private static double Mean(string op, double[] y, double[] p, Func<double, double, double> term)
    {
        Validate(op, y, p);
        return Sum(y, p, term) / y.Length;
    }

    private static double Mean(string op, Matrix<double> targets, Matrix<double> predictions, Func<double, double, double> term)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(predictions);
        Validate(op, targets, predictions);
        var y = targets.ToRowMajorArray();
        return Sum(y, predictions.ToRowMajorArray(), term) / y.Length;
    }

    private static void Validate(string op, double[] y, double[] p)
    {
        if (y.Length != p.Length)
            throw new ArgumentException($"{op}: {y.Length} targets but {p.Length} predictions; they must have the same length.");
        if (y.Length == 0)
            throw new ArgumentException($"{op}: the targets and predictions are empty; at least one sample is needed.");
        Guard.Finite(op, "the targets", y);
        Guard.Finite(op, "the predictions", p);
    }

    private static void Validate(string op, Matrix<double> targets, Matrix<double> predictions)
    {
        Guard.SameShape(op, targets, "the targets", predictions, "the predictions");
        if (targets.RowCount == 0 || targets.ColumnCount == 0)
            throw new ArgumentException($"{op}: the targets are {Guard.Shape(targets)}; at least one sample is needed.");
        Guard.Finite(op, "the targets", targets);
        Guard.Finite(op, "the predictions", predictions);
    }

    private static void NonZero(double[] y, int columns)
    {
        for (int i = 0; i < y.Length; i++)
            if (y[i] == 0.0)
            {
                string where = columns > 1 ? $"row {i / columns}, column {i % columns}" : $"row {i}";
                throw new ArgumentException($"MAPE: the target at {where} is 0; the relative error |y − ŷ|/|y| is undefined there (002 eq. 18).");
            }
    }

    private static double Sum(double[] y, double[] p, Func<double, double, double> term)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += term(y[i], p[i]);
        return s;
    }
}
