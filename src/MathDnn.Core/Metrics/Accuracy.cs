namespace MathDnn.Metrics;

/// <summary>
/// Accuracy (002 Section 8.1): the fraction of samples whose prediction equals the label,
/// acc = (1/n)·#{i : ŷᵢ = yᵢ}; its complement 1 − acc is the error rate. 002 Section 8.1 warns that it is a poor
/// measure under class imbalance or unequal misclassification costs (use <see cref="PrecisionRecall"/> there).
/// </summary>
public static class Accuracy
{
    /// <summary>(1/n)·#{i : predictions[i] = labels[i]}. Both arrays non-empty and of the same length; not mutated.</summary>
    public static double Of(int[] labels, int[] predictions)
    {
        Labels.SamePairs("Accuracy", labels, predictions);
        return (double)Correct(labels, predictions) / labels.Length;
    }

    /// <summary>Accuracy with every label and prediction checked to lie in [0, <paramref name="classes"/>).</summary>
    public static double Of(int[] labels, int[] predictions, int classes)
    {
        Labels.SamePairs("Accuracy", labels, predictions);
        Labels.ClassCount("Accuracy", classes);
        Labels.InRange("Accuracy", "labels", labels, classes);
        Labels.InRange("Accuracy", "predictions", predictions, classes);
        return Of(labels, predictions);
    }

    /// <summary>The error rate (1/n)·#{i : ŷᵢ ≠ yᵢ} = 1 − accuracy, computed from the count (no cancellation).</summary>
    public static double ErrorRate(int[] labels, int[] predictions)
    {
        Labels.SamePairs("Accuracy.ErrorRate", labels, predictions);
        return (double)(labels.Length - Correct(labels, predictions)) / labels.Length;
    }

    private static int Correct(int[] labels, int[] predictions)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if (labels[i] == predictions[i]) correct++;
        return correct;
    }
}
