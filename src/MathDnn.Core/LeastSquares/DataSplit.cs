using System.Collections.Immutable;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.LeastSquares;

/// <summary>
/// A split of the rows 0 … n−1 of a data set into a training part and a validation part, "a portion of the
/// labelled data that is not used for training" (002 Section 10). Both parts are non-empty, disjoint and together
/// cover every row; each lists its rows in increasing order. Immutable; equality compares the rows.
/// </summary>
public sealed record DataSplit
{
    /// <summary>The training rows, in increasing order.</summary>
    public ImmutableArray<int> Train { get; }
    /// <summary>The validation rows, in increasing order.</summary>
    public ImmutableArray<int> Validation { get; }

    /// <summary>n, the number of rows split.</summary>
    public int Count => Train.Length + Validation.Length;

    private DataSplit(ImmutableArray<int> train, ImmutableArray<int> validation)
    {
        Train = train;
        Validation = validation;
    }

    /// <summary>
    /// A seeded random split: a Fisher–Yates permutation of 0 … n−1 drawn from <see cref="Rng"/>(seed); its first
    /// m = round(fraction·n) entries (rounded half away from zero, then clamped to [1, n−1]) are the validation rows,
    /// the rest the training rows, each part then sorted. The same (n, fraction, seed) always gives the same split.
    /// </summary>
    public static DataSplit Random(int count, double validationFraction, int seed)
    {
        if (count < 2)
            throw new ArgumentException($"DataSplit: {count} rows cannot be split; both parts need at least one row.", nameof(count));
        if (!(validationFraction > 0.0 && validationFraction < 1.0))
            throw new ArgumentException($"DataSplit: the validation fraction is {validationFraction}; it must lie in ]0, 1[.", nameof(validationFraction));
        int m = (int)Math.Clamp(Math.Round(validationFraction * count, MidpointRounding.AwayFromZero), 1, count - 1);
        var permutation = new Rng(seed).Permutation(count);
        var validation = permutation.AsSpan(0, m).ToArray();
        var train = permutation.AsSpan(m).ToArray();
        Array.Sort(validation);
        Array.Sort(train);
        return new DataSplit([.. train], [.. validation]);
    }

    /// <summary>
    /// An explicit split of 0 … <paramref name="count"/>−1: the two row lists must be non-empty, disjoint, within range
    /// and cover every row. They are copied and sorted.
    /// </summary>
    public static DataSplit Of(int count, IEnumerable<int> train, IEnumerable<int> validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        var t = train.ToArray();
        var v = validation.ToArray();
        if (t.Length == 0 || v.Length == 0)
            throw new ArgumentException($"DataSplit: {t.Length} training and {v.Length} validation rows; both parts need at least one row.");
        var seen = new int[Math.Max(count, 0)];
        foreach (var (rows, name) in new[] { (t, "training"), (v, "validation") })
            foreach (var r in rows)
            {
                if ((uint)r >= (uint)count)
                    throw new ArgumentException($"DataSplit: {name} row {r} lies outside [0, {count}).");
                if (seen[r]++ > 0)
                    throw new ArgumentException($"DataSplit: row {r} appears more than once; the parts must be disjoint.");
            }
        int missing = Array.IndexOf(seen, 0);
        if (missing >= 0)
            throw new ArgumentException($"DataSplit: row {missing} of {count} is in neither part; the parts must cover every row.");
        Array.Sort(t);
        Array.Sort(v);
        return new DataSplit([.. t], [.. v]);
    }

    /// <summary>The training and validation rows of <paramref name="data"/> (n rows), as new matrices.</summary>
    public (Matrix<double> Train, Matrix<double> Validation) Rows(Matrix<double> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckCount(data.RowCount, Guard.Shape(data));
        return (Take(data, Train), Take(data, Validation));
    }

    /// <summary>The training and validation entries of <paramref name="data"/> (n entries), as new vectors.</summary>
    public (Vector<double> Train, Vector<double> Validation) Rows(Vector<double> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckCount(data.Count, Guard.Shape(data));
        return (Take(data, Train), Take(data, Validation));
    }

    /// <summary>True when both splits list the same training rows and the same validation rows.</summary>
    public bool Equals(DataSplit? other) =>
        other is not null && Train.SequenceEqual(other.Train) && Validation.SequenceEqual(other.Validation);

    /// <summary>A hash consistent with <see cref="Equals(DataSplit?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Train.Length, Validation.Length, Validation.IsEmpty ? 0 : Validation[0]);

    private void CheckCount(int rows, string shape)
    {
        if (rows != Count)
            throw new ArgumentException($"DataSplit: the split covers {Count} rows but the data is {shape}.");
    }

    private static Matrix<double> Take(Matrix<double> data, ImmutableArray<int> rows) =>
        Matrix<double>.Build.Dense(rows.Length, data.ColumnCount, (i, j) => data[rows[i], j]);

    private static Vector<double> Take(Vector<double> data, ImmutableArray<int> rows) =>
        Vector<double>.Build.Dense(rows.Length, i => data[rows[i]]);
}
