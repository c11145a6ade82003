using System.Globalization;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Cli.Data;

/// <summary>A data file problem: one line naming the file, the line and field, and what was expected.</summary>
public sealed class DataException(string message) : Exception(message);

/// <summary>
/// Numeric CSV: one sample per line, comma-separated features, the label in the last column (classification) or the
/// target columns given by the caller (regression). A first line that is not numeric is taken as a header. Every cell is
/// checked: a missing or non-numeric cell, NaN or ∞, a wrong column count or a label out of range is reported with the
/// file name, line and column.
/// </summary>
public static class CsvData
{
    /// <summary>Reads a classification CSV (features…, label) with labels 0..classes−1 (classes inferred as max label + 1 when null).</summary>
    public static (Matrix<double> X, int[] Labels) ReadClassification(TextReader reader, string source, int? classes = null)
    {
        var rows = ReadRows(reader, source, out var lineNumbers);
        int width = rows[0].Length;
        if (width < 2) throw new DataException($"{source}:{lineNumbers[0]}: expected at least 2 columns (features, then the label), found {width}.");
        var x = Matrix<double>.Build.Dense(rows.Count, width - 1);
        var labels = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int j = 0; j < width - 1; j++) x[i, j] = rows[i][j];
            double label = rows[i][width - 1];
            if (label != Math.Floor(label) || label < 0 || label > int.MaxValue)
                throw new DataException($"{source}:{lineNumbers[i]}: column {width} (the label) must be a non-negative integer, found {label.ToString(CultureInfo.InvariantCulture)}.");
            labels[i] = (int)label;
            if (classes is int k && labels[i] >= k)
                throw new DataException($"{source}:{lineNumbers[i]}: column {width} (the label) is {labels[i]}, outside 0..{k - 1}.");
        }
        return (x, labels);
    }

    /// <summary>
    /// Reads a regression CSV: the columns listed in <paramref name="targetColumns"/> (1-based, in that order) are the
    /// targets, every other column is a feature, in file order.
    /// </summary>
    public static (Matrix<double> X, Matrix<double> Y) ReadRegression(TextReader reader, string source, IReadOnlyList<int> targetColumns)
    {
        var rows = ReadRows(reader, source, out var lineNumbers);
        int width = rows[0].Length;
        foreach (var c in targetColumns)
            if (c < 1 || c > width)
                throw new DataException($"{source}:{lineNumbers[0]}: --target column {c} is outside 1..{width} (the file has {width} columns).");
        if (targetColumns.Distinct().Count() != targetColumns.Count)
            throw new DataException($"{source}: --target lists a column twice ({string.Join(",", targetColumns)}).");
        if (targetColumns.Count >= width)
            throw new DataException($"{source}: --target takes all {width} columns; at least one feature column must remain.");
        var features = Enumerable.Range(1, width).Where(c => !targetColumns.Contains(c)).ToArray();
        var x = Matrix<double>.Build.Dense(rows.Count, features.Length, (i, j) => rows[i][features[j] - 1]);
        var y = Matrix<double>.Build.Dense(rows.Count, targetColumns.Count, (i, j) => rows[i][targetColumns[j] - 1]);
        return (x, y);
    }

    /// <summary>
    /// Reads inputs for a network of input width <paramref name="width"/>: lines of exactly <paramref name="width"/>
    /// features, or of <paramref name="width"/> + 1 columns whose last one (a label, as in a training file) is dropped.
    /// </summary>
    public static Matrix<double> ReadFeatures(TextReader reader, string source, int width)
    {
        var rows = ReadRows(reader, source, out var lineNumbers);
        int columns = rows[0].Length;
        if (columns != width && columns != width + 1)
            throw new DataException($"{source}:{lineNumbers[0]}: expected {width} feature columns (or {width + 1} with a trailing label) for the model's input width {width}, found {columns}.");
        return Matrix<double>.Build.Dense(rows.Count, width, (i, j) => rows[i][j]);
    }

    /// <summary>Parses every line into doubles; all lines must have the same number of columns. A non-numeric first line is a header.</summary>
    public static List<double[]> ReadRows(TextReader reader, string source, out List<int> lineNumbers)
    {
        var rows = new List<double[]>();
        lineNumbers = [];
        string? line;
        int lineNo = 0, width = -1;
        bool first = true;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            var cells = line.Split(',');
            if (first && LooksLikeHeader(cells)) { first = false; continue; }
            first = false;
            if (width < 0) width = cells.Length;
            else if (cells.Length != width)
                throw new DataException($"{source}:{lineNo}: expected {width} columns like the first data line, found {cells.Length}.");
            var values = new double[cells.Length];
            for (int j = 0; j < cells.Length; j++)
            {
                var cell = cells[j].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[j]))
                    throw new DataException($"{source}:{lineNo}: column {j + 1} is \"{Truncate(cell)}\", expected a number.");
                if (!double.IsFinite(values[j]))
                    throw new DataException($"{source}:{lineNo}: column {j + 1} is {cell}; values must be finite.");
            }
            rows.Add(values);
            lineNumbers.Add(lineNo);
        }
        if (rows.Count == 0) throw new DataException($"{source}: no data lines.");
        return rows;
    }

    private static bool LooksLikeHeader(string[] cells) =>
        cells.All(c => !double.TryParse(c.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    private static string Truncate(string s) => s.Length <= 30 ? s : s[..27] + "...";
}

/// <summary>The data sets built into the command line.</summary>
public static class BuiltInData
{
    /// <summary>
    /// The UCI "Optical Recognition of Handwritten Digits" test set (Alpaydin &amp; Kaynak 1998, CC BY 4.0): 1,797 8×8 images,
    /// pixel values 0..16 scaled to [0, 1], labels 0..9.
    /// </summary>
    public static Dataset Digits()
    {
        using var stream = typeof(BuiltInData).Assembly.GetManifestResourceStream("MathDnn.Data.digits.csv.gz")
            ?? throw new InvalidOperationException("The embedded digits resource is missing from the build.");
        using var gz = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var (x, labels) = CsvData.ReadClassification(reader, "digits.csv.gz", classes: 10);
        return Dataset.FromLabels(x / 16.0, labels, 10);
    }
}
