using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Metrics;

/// <summary>
/// Class labels for the classification metrics of 002 Section 8.1: a label is an integer in [0, K) for K classes,
/// one per sample. Converts a batch of scores or one-hot targets (one sample per row, 003 Convention 2) to labels,
/// and holds the argument checks shared by the metrics. Nothing here mutates an argument.
/// </summary>
public static class Labels
{
    /// <summary>
    /// The predicted label of each row of <paramref name="scores"/> (k×K): the column of its largest entry, the
    /// first such column on ties (argmax). Scores must be finite.
    /// </summary>
    public static int[] ArgMax(Matrix<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.RowCount == 0 || scores.ColumnCount == 0)
            throw new ArgumentException($"Labels.ArgMax: the scores are {Guard.Shape(scores)}; they need at least one row and one column.", nameof(scores));
        Guard.Finite("Labels.ArgMax", "the scores", scores);
        var labels = new int[scores.RowCount];
        for (int i = 0; i < scores.RowCount; i++)
        {
            int best = 0;
            for (int j = 1; j < scores.ColumnCount; j++)
                if (scores[i, j] > scores[i, best]) best = j;
            labels[i] = best;
        }
        return labels;
    }

    /// <summary>The label of each one-hot row of <paramref name="targets"/> (k×K): the column of its single 1.</summary>
    public static int[] FromOneHot(Matrix<double> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.RowCount == 0 || targets.ColumnCount == 0)
            throw new ArgumentException($"Labels.FromOneHot: the targets are {Guard.Shape(targets)}; they need at least one row and one column.", nameof(targets));
        var labels = new int[targets.RowCount];
        for (int i = 0; i < targets.RowCount; i++)
        {
            int found = -1;
            for (int j = 0; j < targets.ColumnCount; j++)
            {
                double v = targets[i, j];
                if (v == 1.0 && found < 0) found = j;
                else if (v == 1.0)
                    throw new ArgumentException($"Labels.FromOneHot: target row {i} has a 1 in columns {found} and {j}; a one-hot row has exactly one.", nameof(targets));
                else if (v != 0.0)
                    throw new ArgumentException($"Labels.FromOneHot: target row {i}, column {j} is {v}; one-hot rows contain only 0 and 1.", nameof(targets));
            }
            if (found < 0)
                throw new ArgumentException($"Labels.FromOneHot: target row {i} has no 1; a one-hot row has exactly one.", nameof(targets));
            labels[i] = found;
        }
        return labels;
    }

    /// <summary>Throws unless both arrays are non-empty and of the same length (the message gives both lengths).</summary>
    internal static void SamePairs(string operation, int[] labels, int[] predictions)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        if (labels.Length != predictions.Length)
            throw new ArgumentException($"{operation}: {labels.Length} labels but {predictions.Length} predictions; they must have the same length.");
        if (labels.Length == 0)
            throw new ArgumentException($"{operation}: the labels and predictions are empty; at least one sample is needed.");
    }

    /// <summary>Throws unless every entry lies in [0, <paramref name="classes"/>), naming the first offending index.</summary>
    internal static void InRange(string operation, string what, int[] values, int classes)
    {
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= (uint)classes)
                throw new ArgumentException($"{operation}: {what}[{i}] = {values[i]} lies outside [0, {classes}).");
    }

    /// <summary>Throws unless there is at least one class.</summary>
    internal static void ClassCount(string operation, int classes)
    {
        if (classes < 1)
            throw new ArgumentException($"{operation}: the class count is {classes}; it must be at least 1.", nameof(classes));
    }
}
