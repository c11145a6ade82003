using System.Collections.Immutable;

namespace MathDnn.Metrics;

/// <summary>Precision, recall and F-score of one class or of an average over classes, with the support (sample count) behind it.</summary>
/// <param name="Precision">p = TP/(TP + FP) (a mean over classes for a macro average).</param>
/// <param name="Recall">r = TP/(TP + FN) (likewise).</param>
/// <param name="FScore">F = 2pr/(p + r) (002 Section 8.1) for one class and for pooled counts; the mean of the classes' F for a macro average.</param>
/// <param name="Support">The number of samples behind the scores.</param>
public sealed record ClassScores(double Precision, double Recall, double FScore, int Support);

/// <summary>
/// Precision, recall and F-score (002 Section 8.1) from a <see cref="ConfusionMatrix"/>, per class and averaged.
/// <para>
/// Per class c, with TP_c, FP_c, FN_c read off the confusion matrix: precision p_c = TP_c / (TP_c + FP_c) (of the
/// samples predicted c, the fraction truly c), recall r_c = TP_c / (TP_c + FN_c) (of the samples truly c, the
/// fraction predicted c), and the F-score F = 2·p·r / (p + r) of 002 Section 8.1, the harmonic mean of p and r.
/// </para>
/// <para>
/// Zero-division convention: a ratio whose denominator is 0 is 0 — precision of a class never predicted, recall of a
/// class absent from the labels, and F when p + r = 0. This is scikit-learn's <c>zero_division=0</c>; it never yields NaN.
/// </para>
/// <para>
/// Macro average: the unweighted mean over all K classes of the confusion matrix (classes with no support and no
/// prediction included, as scikit-learn with <c>labels=range(K)</c>) of p_c, r_c and F_c; the macro F is the mean of the
/// per-class F-scores, not the F-score of the macro p and r (scikit-learn's convention).
/// Micro average: the counts are pooled first, p = ΣTP / Σ(TP + FP), r = ΣTP / Σ(TP + FN), F = 2pr/(p + r). For
/// single-label data Σ(TP + FP) = Σ(TP + FN) = n, so micro p = micro r = micro F = accuracy.
/// </para>
/// </summary>
public static class PrecisionRecall
{
    /// <summary>p_c = TP_c / (TP_c + FP_c), and 0 when class c is never predicted.</summary>
    public static double Precision(ConfusionMatrix confusion, int c)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        return Ratio(confusion.TruePositives(c), confusion.PredictedCount(c));
    }

    /// <summary>r_c = TP_c / (TP_c + FN_c), and 0 when class c has no support.</summary>
    public static double Recall(ConfusionMatrix confusion, int c)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        return Ratio(confusion.TruePositives(c), confusion.Support(c));
    }

    /// <summary>
    /// The F-score F = 2·p·r / (p + r) of 002 Section 8.1, and 0 when p + r = 0. p and r must lie in [0, 1].
    /// As a harmonic mean it lies in [min(p, r), max(p, r)].
    /// </summary>
    public static double FScore(double precision, double recall)
    {
        if (!(precision is >= 0.0 and <= 1.0))
            throw new ArgumentException($"FScore: the precision is {precision}; it must lie in [0, 1].", nameof(precision));
        if (!(recall is >= 0.0 and <= 1.0))
            throw new ArgumentException($"FScore: the recall is {recall}; it must lie in [0, 1].", nameof(recall));
        double s = precision + recall;
        return s == 0.0 ? 0.0 : 2.0 * precision * recall / s;
    }

    /// <summary>(p_c, r_c, F_c, support_c) of class c.</summary>
    public static ClassScores PerClass(ConfusionMatrix confusion, int c)
    {
        double p = Precision(confusion, c), r = Recall(confusion, c);
        return new ClassScores(p, r, FScore(p, r), confusion.Support(c));
    }

    /// <summary>(p_c, r_c, F_c, support_c) for c = 0 … K−1.</summary>
    public static ImmutableArray<ClassScores> PerClass(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var b = ImmutableArray.CreateBuilder<ClassScores>(confusion.Classes);
        for (int c = 0; c < confusion.Classes; c++) b.Add(PerClass(confusion, c));
        return b.MoveToImmutable();
    }

    /// <summary>Macro averages: (1/K)·Σ_c p_c, (1/K)·Σ_c r_c, (1/K)·Σ_c F_c over all K classes; the support is n.</summary>
    public static ClassScores Macro(ConfusionMatrix confusion)
    {
        var per = PerClass(confusion);
        double p = 0, r = 0, f = 0;
        foreach (var s in per) { p += s.Precision; r += s.Recall; f += s.FScore; }
        int k = per.Length;
        return new ClassScores(p / k, r / k, f / k, confusion.Total);
    }

    /// <summary>Micro averages: p = ΣTP/Σ(TP+FP), r = ΣTP/Σ(TP+FN), F = 2pr/(p+r); the support is n.</summary>
    public static ClassScores Micro(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        long tp = 0, predicted = 0, actual = 0;
        for (int c = 0; c < confusion.Classes; c++)
        {
            tp += confusion.TruePositives(c);
            predicted += confusion.PredictedCount(c);
            actual += confusion.Support(c);
        }
        double p = Ratio(tp, predicted), r = Ratio(tp, actual);
        return new ClassScores(p, r, FScore(p, r), confusion.Total);
    }

    /// <summary>Macro averages from labels and predictions in [0, <paramref name="classes"/>).</summary>
    public static ClassScores Macro(int[] labels, int[] predictions, int classes) => Macro(ConfusionMatrix.Of(labels, predictions, classes));

    /// <summary>Micro averages from labels and predictions in [0, <paramref name="classes"/>).</summary>
    public static ClassScores Micro(int[] labels, int[] predictions, int classes) => Micro(ConfusionMatrix.Of(labels, predictions, classes));

    /// <summary>Per-class scores from labels and predictions in [0, <paramref name="classes"/>).</summary>
    public static ImmutableArray<ClassScores> PerClass(int[] labels, int[] predictions, int classes) => PerClass(ConfusionMatrix.Of(labels, predictions, classes));

    // The zero-division convention: a/0 = 0 (scikit-learn's zero_division=0).
    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0.0 : (double)numerator / denominator;
}
