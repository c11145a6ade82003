using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Metrics;

/// <summary>
/// One point of a <see cref="PrecisionRecallCurve"/>: the decision rule "positive iff score ≥ <see cref="Threshold"/>"
/// and its precision, recall and counts.
/// </summary>
/// <param name="Threshold">The score threshold.</param>
/// <param name="Precision">TP/(TP + FP) at that threshold.</param>
/// <param name="Recall">TP/P, P the number of positives.</param>
/// <param name="TruePositives">TP, positives scored ≥ the threshold.</param>
/// <param name="FalsePositives">FP, negatives scored ≥ the threshold.</param>
public sealed record PrecisionRecallPoint(double Threshold, double Precision, double Recall, int TruePositives, int FalsePositives);

/// <summary>
/// The precision–recall curve of a binary scorer (002 Section 8.1: precision on the Y axis, recall on the X axis,
/// obtained "by varying the decision threshold on the score") and its area, the average precision.
/// <para>
/// Points: one per distinct score value t, the rule being "predict positive iff score ≥ t". They are ordered by
/// decreasing threshold, hence non-decreasing recall. Ties: samples with equal scores cross the threshold together, so
/// a tie never splits into several points (scikit-learn's <c>precision_recall_curve</c> does the same; unlike it,
/// no artificial end point (recall 0, precision 1) is appended). At every point at least one sample is predicted
/// positive, so precision = TP/(TP + FP) is always defined; recall = TP/P with P the number of positive labels.
/// </para>
/// <para>
/// Average precision: AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the points in the order above, with R₀ = 0 — the area under the
/// step function that holds each precision over the recall it gains, without interpolation (scikit-learn's
/// <c>average_precision_score</c>). AP ∈ [0, 1]; it is 1 exactly when every positive scores above every negative.
/// </para>
/// </summary>
public sealed record PrecisionRecallCurve
{
    /// <summary>The points, by decreasing threshold (non-decreasing recall).</summary>
    public ImmutableArray<PrecisionRecallPoint> Points { get; }

    /// <summary>P, the number of positive labels.</summary>
    public int Positives { get; }

    /// <summary>n, the number of samples.</summary>
    public int Samples { get; }

    /// <summary>AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ, R₀ = 0.</summary>
    public double AveragePrecision { get; }

    private PrecisionRecallCurve(ImmutableArray<PrecisionRecallPoint> points, int positives, int samples)
    {
        Points = points;
        Positives = positives;
        Samples = samples;
        double ap = 0, previousRecall = 0;
        foreach (var pt in points)
        {
            ap += (pt.Recall - previousRecall) * pt.Precision;
            previousRecall = pt.Recall;
        }
        AveragePrecision = ap;
    }

    /// <summary>
    /// The curve of <paramref name="scores"/> (higher means more likely positive) against binary
    /// <paramref name="labels"/> (1 positive, 0 negative). Same non-zero length, finite scores, at least one positive
    /// label (recall is undefined otherwise). Arguments are not mutated.
    /// </summary>
    public static PrecisionRecallCurve Of(int[] labels, Vector<double> scores)
    {
        const string op = "PrecisionRecallCurve";
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Length != scores.Count)
            throw new ArgumentException($"{op}: {labels.Length} labels but {scores.Count} scores; they must have the same length.");
        if (labels.Length == 0)
            throw new ArgumentException($"{op}: the labels and scores are empty; at least one sample is needed.");
        Labels.InRange(op, "labels", labels, 2);
        var s = scores.ToArray();
        Guard.Finite(op, "the scores", s);
        int positives = 0;
        foreach (var l in labels) positives += l;
        if (positives == 0)
            throw new ArgumentException($"{op}: none of the {labels.Length} labels is positive (1); recall TP/P is undefined with P = 0.");

        var order = new int[s.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => s[b].CompareTo(s[a])); // decreasing score

        var points = ImmutableArray.CreateBuilder<PrecisionRecallPoint>();
        int tp = 0, fp = 0;
        for (int k = 0; k < order.Length;)
        {
            double threshold = s[order[k]];
            // The whole tie group crosses the threshold at once.
            while (k < order.Length && s[order[k]] == threshold)
            {
                if (labels[order[k]] == 1) tp++; else fp++;
                k++;
            }
            points.Add(new PrecisionRecallPoint(threshold, (double)tp / (tp + fp), (double)tp / positives, tp, fp));
        }
        return new PrecisionRecallCurve(points.ToImmutable(), positives, labels.Length);
    }

    /// <summary>True when the positive count, the sample count and every point agree.</summary>
    public bool Equals(PrecisionRecallCurve? other) =>
        other is not null && Positives == other.Positives && Samples == other.Samples && Points.SequenceEqual(other.Points);

    /// <summary>A hash consistent with <see cref="Equals(PrecisionRecallCurve?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Positives, Samples, Points.Length, AveragePrecision);
}
