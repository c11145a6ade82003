using System.Collections.Immutable;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Metrics;

/// <summary>
/// The K×K confusion matrix of a K-class classifier (002 Section 8.1): entry C[t, p] counts the samples whose true
/// class is t (row) and whose predicted class is p (column). Its diagonal holds the true positives of each class,
/// row sums are the supports (true counts), column sums the predicted counts, and the total is the sample count n.
/// Immutable: the counts are copied in and never exposed as a mutable array. Equality compares the counts.
/// </summary>
public sealed record ConfusionMatrix
{
    private readonly ImmutableArray<int> counts; // row-major, Classes × Classes

    /// <summary>K, the number of classes (rows and columns).</summary>
    public int Classes { get; }

    /// <summary>n = Σ_{t,p} C[t, p], the number of samples.</summary>
    public int Total { get; }

    /// <summary>A confusion matrix from its counts (K×K, non-negative); <paramref name="counts"/> is copied, not kept.</summary>
    public ConfusionMatrix(int[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = counts.GetLength(0);
        if (k != counts.GetLength(1) || k == 0)
            throw new ArgumentException($"ConfusionMatrix: the counts are {counts.GetLength(0)}×{counts.GetLength(1)}; they must be K×K with K ≥ 1.", nameof(counts));
        var b = ImmutableArray.CreateBuilder<int>(k * k);
        long total = 0;
        for (int t = 0; t < k; t++)
            for (int p = 0; p < k; p++)
            {
                int c = counts[t, p];
                if (c < 0)
                    throw new ArgumentException($"ConfusionMatrix: count [{t}, {p}] is {c}; counts must be non-negative.", nameof(counts));
                b.Add(c);
                total += c;
            }
        if (total > int.MaxValue)
            throw new ArgumentException($"ConfusionMatrix: the counts sum to {total}, beyond {int.MaxValue}.", nameof(counts));
        this.counts = b.MoveToImmutable();
        Classes = k;
        Total = (int)total;
    }

    private ConfusionMatrix(ImmutableArray<int> counts, int classes, int total)
    {
        this.counts = counts;
        Classes = classes;
        Total = total;
    }

    /// <summary>
    /// C[t, p] = #{i : labels[i] = t, predictions[i] = p} for K = <paramref name="classes"/>. The arrays must be
    /// non-empty, of the same length, with entries in [0, K); they are not mutated.
    /// </summary>
    public static ConfusionMatrix Of(int[] labels, int[] predictions, int classes)
    {
        const string op = "ConfusionMatrix";
        Labels.SamePairs(op, labels, predictions);
        Labels.ClassCount(op, classes);
        Labels.InRange(op, "labels", labels, classes);
        Labels.InRange(op, "predictions", predictions, classes);
        var c = new int[checked(classes * classes)];
        for (int i = 0; i < labels.Length; i++) c[labels[i] * classes + predictions[i]]++;
        return new ConfusionMatrix(ImmutableArray.Create(c), classes, labels.Length);
    }

    /// <summary>C[trueClass, predictedClass].</summary>
    public int this[int trueClass, int predictedClass]
    {
        get
        {
            Check(nameof(trueClass), trueClass);
            Check(nameof(predictedClass), predictedClass);
            return counts[trueClass * Classes + predictedClass];
        }
    }

    /// <summary>TP_c = C[c, c].</summary>
    public int TruePositives(int c) => this[c, c];

    /// <summary>FP_c = Σ_{t≠c} C[t, c]: predicted c, truly another class (column sum minus the diagonal).</summary>
    public int FalsePositives(int c) => PredictedCount(c) - TruePositives(c);

    /// <summary>FN_c = Σ_{p≠c} C[c, p]: truly c, predicted another class (row sum minus the diagonal).</summary>
    public int FalseNegatives(int c) => Support(c) - TruePositives(c);

    /// <summary>The support of class c, Σ_p C[c, p]: the number of samples whose true class is c (row sum).</summary>
    public int Support(int c)
    {
        Check(nameof(c), c);
        int s = 0;
        for (int p = 0; p < Classes; p++) s += counts[c * Classes + p];
        return s;
    }

    /// <summary>Σ_t C[t, c]: the number of samples predicted as class c (column sum).</summary>
    public int PredictedCount(int c)
    {
        Check(nameof(c), c);
        int s = 0;
        for (int t = 0; t < Classes; t++) s += counts[t * Classes + c];
        return s;
    }

    /// <summary>Σ_c C[c, c], the number of correctly classified samples; accuracy is Correct / Total.</summary>
    public int Correct
    {
        get
        {
            int s = 0;
            for (int c = 0; c < Classes; c++) s += counts[c * Classes + c];
            return s;
        }
    }

    /// <summary>The counts as a new K×K array (a copy: changing it does not change this matrix).</summary>
    public int[,] ToArray()
    {
        var a = new int[Classes, Classes];
        for (int t = 0; t < Classes; t++)
            for (int p = 0; p < Classes; p++) a[t, p] = counts[t * Classes + p];
        return a;
    }

    /// <summary>The counts as a new MathNet K×K matrix of doubles.</summary>
    public Matrix<double> ToMatrix() => Matrix<double>.Build.Dense(Classes, Classes, (t, p) => counts[t * Classes + p]);

    /// <summary>True when the class counts K and every count agree.</summary>
    public bool Equals(ConfusionMatrix? other) =>
        other is not null && Classes == other.Classes && counts.AsSpan().SequenceEqual(other.counts.AsSpan());

    /// <summary>A hash of K and the counts, consistent with <see cref="Equals(ConfusionMatrix?)"/>.</summary>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Classes);
        foreach (var c in counts) h.Add(c);
        return h.ToHashCode();
    }

    /// <summary>The matrix as text, one row per true class, columns the predicted classes.</summary>
    public override string ToString()
    {
        int width = Math.Max(Total.ToString().Length, (Classes - 1).ToString().Length) + 1;
        var sb = new StringBuilder();
        sb.Append("true\\pred".PadRight(10));
        for (int p = 0; p < Classes; p++) sb.Append(p.ToString().PadLeft(width));
        sb.AppendLine();
        for (int t = 0; t < Classes; t++)
        {
            sb.Append(t.ToString().PadRight(10));
            for (int p = 0; p < Classes; p++) sb.Append(counts[t * Classes + p].ToString().PadLeft(width));
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private void Check(string name, int c)
    {
        if ((uint)c >= (uint)Classes)
            throw new ArgumentException($"ConfusionMatrix: {name} = {c} lies outside [0, {Classes}).", name);
    }
}
