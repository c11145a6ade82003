using MathDnn.Kernels;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Training;

/// <summary>
/// A data set D = {(xᵢ, yᵢ*)}: inputs X (one sample per row) and targets Y* (one row per sample: one-hot for
/// classification, real values for regression). Immutable; every entry is checked to be finite on construction.
/// </summary>
public sealed class Dataset
{
    internal Mat<double> X { get; }
    internal Mat<double> Y { get; }

    private Dataset(Mat<double> x, Mat<double> y)
    {
        X = x;
        Y = y;
    }

    /// <summary>The data set with inputs X (k×n, one sample per row) and targets Y* (k×m, one row per sample); both are copied.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The row counts differ, there is no sample, or an entry is not finite.</exception>
    public Dataset(Matrix<double> inputs, Matrix<double> targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.RowCount != targets.RowCount)
            throw new ArgumentException($"Dataset: X is {Guard.Shape(inputs)} but Y* is {Guard.Shape(targets)}; they need one row per sample each.");
        if (inputs.RowCount == 0) throw new ArgumentException("Dataset: at least one sample is needed.");
        X = Mat.From(inputs);
        Y = Mat.From(targets);
        Guard.Finite("Dataset", "X", X.Span, X.Cols);
        Guard.Finite("Dataset", "Y*", Y.Span, Y.Cols);
    }

    /// <summary>A classification data set from integer labels in [0, classes), one-hot encoded.</summary>
    public static Dataset FromLabels(Matrix<double> inputs, IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != inputs.RowCount)
            throw new ArgumentException($"Dataset: X has {inputs.RowCount} rows but there are {labels.Count} labels.");
        var y = Matrix<double>.Build.Dense(labels.Count, classes);
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
                throw new ArgumentException($"Dataset: label {labels[i]} of sample {i} is outside [0, {classes}).");
            y[i, labels[i]] = 1.0;
        }
        return new Dataset(inputs, y);
    }

    /// <summary>k, the number of samples.</summary>
    public int Count => X.Rows;
    /// <summary>n, the width of an input row.</summary>
    public int InputSize => X.Cols;
    /// <summary>m, the width of a target row (the number of classes for one-hot targets).</summary>
    public int TargetSize => Y.Cols;

    /// <summary>A copy of X (k×n).</summary>
    public Matrix<double> Inputs => X.ToMatrix();
    /// <summary>A copy of Y* (k×m).</summary>
    public Matrix<double> Targets => Y.ToMatrix();

    /// <summary>argmax of each target row: the class labels of a classification set.</summary>
    public int[] Labels()
    {
        var labels = new int[Count];
        for (int i = 0; i < Count; i++) labels[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<double>(Y.Row(i));
        return labels;
    }

    /// <summary>The samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Select(IReadOnlyList<int> indices)
    {
        var x = new Mat<double>(indices.Count, X.Cols);
        var y = new Mat<double>(indices.Count, Y.Cols);
        for (int i = 0; i < indices.Count; i++)
        {
            int r = indices[i];
            if (r < 0 || r >= Count) throw new ArgumentOutOfRangeException(nameof(indices), r, $"Dataset: sample index outside [0, {Count}).");
            X.Row(r).CopyTo(x.Row(i));
            Y.Row(r).CopyTo(y.Row(i));
        }
        return new Dataset(x, y);
    }

    /// <summary>
    /// A seeded split into (first, second) with about <paramref name="secondFraction"/> of the samples in the second part.
    /// Stratified (for classification sets): each class is shuffled and split in the same proportion, rounding to the
    /// nearest sample, so class frequencies are kept. The same seed always gives the same split.
    /// </summary>
    public (Dataset First, Dataset Second) Split(double secondFraction, int seed, bool stratified = true)
    {
        if (!(secondFraction > 0 && secondFraction < 1))
            throw new ArgumentException($"Dataset split: the fraction must be in ]0, 1[, got {secondFraction}.");
        var rng = new Rng(seed);
        var first = new List<int>();
        var second = new List<int>();
        var groups = stratified
            ? Labels().Select((label, index) => (label, index)).GroupBy(p => p.label).OrderBy(g => g.Key).Select(g => g.Select(p => p.index).ToArray())
            : [Enumerable.Range(0, Count).ToArray()];
        foreach (var group in groups)
        {
            var perm = rng.Permutation(group.Length);
            int take = (int)Math.Round(secondFraction * group.Length, MidpointRounding.AwayFromZero);
            for (int i = 0; i < group.Length; i++) (i < take ? second : first).Add(group[perm[i]]);
        }
        if (first.Count == 0 || second.Count == 0)
            throw new ArgumentException($"Dataset split: a fraction of {secondFraction} of {Count} samples leaves one part empty.");
        first.Sort();
        second.Sort();
        return (Select(first), Select(second));
    }

    /// <summary>Every input multiplied by <paramref name="scale"/> (e.g. pixels 0..16 to [0, 1]).</summary>
    public Dataset ScaleInputs(double scale)
    {
        var x = new Mat<double>(X.Rows, X.Cols);
        System.Numerics.Tensors.TensorPrimitives.Multiply(X.Span, scale, x.Span);
        return new Dataset(x, Y);
    }
}
