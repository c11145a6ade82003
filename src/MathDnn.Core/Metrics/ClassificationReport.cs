using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace MathDnn.Metrics;

/// <summary>
/// Everything 002 Section 8.1 measures about a K-class classifier, in one immutable value: the accuracy, the
/// per-class precision / recall / F-score / support, their macro and micro averages (conventions, including
/// zero division, in <see cref="PrecisionRecall"/>) and the <see cref="ConfusionMatrix"/> they are computed from.
/// <see cref="ToString"/> renders it as a table for the command line.
/// </summary>
public sealed record ClassificationReport
{
    /// <summary>Correct / n.</summary>
    public double Accuracy { get; }

    /// <summary>(p_c, r_c, F_c, support_c) for c = 0 … K−1.</summary>
    public ImmutableArray<ClassScores> PerClass { get; }

    /// <summary>Unweighted means over the K classes; the support is n.</summary>
    public ClassScores Macro { get; }

    /// <summary>Pooled counts; for single-label data p = r = F = accuracy. The support is n.</summary>
    public ClassScores Micro { get; }

    /// <summary>The K×K confusion matrix the report is computed from.</summary>
    public ConfusionMatrix Confusion { get; }

    /// <summary>K.</summary>
    public int Classes => Confusion.Classes;

    private ClassificationReport(ConfusionMatrix confusion)
    {
        Confusion = confusion;
        Accuracy = (double)confusion.Correct / confusion.Total;
        PerClass = PrecisionRecall.PerClass(confusion);
        Macro = PrecisionRecall.Macro(confusion);
        Micro = PrecisionRecall.Micro(confusion);
    }

    /// <summary>The report of a confusion matrix with at least one sample.</summary>
    public static ClassificationReport Of(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        if (confusion.Total == 0)
            throw new ArgumentException("ClassificationReport: the confusion matrix holds no sample; accuracy is undefined.", nameof(confusion));
        return new ClassificationReport(confusion);
    }

    /// <summary>The report of labels and predictions in [0, <paramref name="classes"/>) (non-empty, same length; not mutated).</summary>
    public static ClassificationReport Of(int[] labels, int[] predictions, int classes) =>
        new(ConfusionMatrix.Of(labels, predictions, classes));

    /// <summary>True when both reports come from equal confusion matrices (every score follows from it).</summary>
    public bool Equals(ClassificationReport? other) => other is not null && Confusion.Equals(other.Confusion);

    /// <summary>The confusion matrix's hash.</summary>
    public override int GetHashCode() => Confusion.GetHashCode();

    /// <summary>A table: one line per class (precision, recall, F1, support), the averages, the accuracy and the confusion matrix.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string Line(string name, ClassScores s) =>
            string.Format(inv, "{0,-12}{1,10:F4}{2,10:F4}{3,10:F4}{4,10}", name, s.Precision, s.Recall, s.FScore, s.Support);
        sb.AppendLine(string.Format(inv, "{0,-12}{1,10}{2,10}{3,10}{4,10}", "class", "precision", "recall", "f1", "support"));
        for (int c = 0; c < PerClass.Length; c++) sb.AppendLine(Line(c.ToString(inv), PerClass[c]));
        sb.AppendLine();
        sb.AppendLine(Line("macro avg", Macro));
        sb.AppendLine(Line("micro avg", Micro));
        sb.AppendLine(string.Format(inv, "{0,-12}{1,10:F4}{2,30}", "accuracy", Accuracy, Confusion.Total));
        sb.AppendLine();
        sb.AppendLine("confusion matrix (rows: true class, columns: predicted class)");
        sb.Append(Confusion.ToString());
        return sb.ToString();
    }
}
