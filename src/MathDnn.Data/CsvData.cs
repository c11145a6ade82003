using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Data;

/// <summary>
/// Numeric CSV: one sample per line, comma-separated cells parsed with the invariant culture (a dot for decimals),
/// the label in the last column (classification) or the target columns given by the caller (regression). Blank lines
/// are skipped; a first line none of whose cells is a number is taken as a header. Every cell is checked: a missing or
/// non-numeric cell, NaN or ∞, a wrong column count or a label out of range throws a <see cref="DataFormatException"/>
/// whose one-line message names the source, the line (1-based, counting the header and blank lines) and the column
/// (1-based), e.g. <c>train.csv:7: column 3 is "x", expected a number.</c>
/// </summary>
public static class CsvData
{
    /// <summary>
    /// Reads a classification CSV: every line is features…, label. The label must be a non-negative integer, and below
    /// <paramref name="classes"/> when that is given.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">The name the messages give the text (a file path).</param>
    /// <param name="classes">The number of classes K when known (labels must lie in 0..K−1); null: any non-negative label.</param>
    /// <returns>X, n × (columns − 1), one sample per row; the n labels.</returns>
    /// <exception cref="DataFormatException">A bad cell, a wrong column count, fewer than 2 columns, no data line, or a label that is not an integer in range.</exception>
    public static (Matrix<double> X, int[] Labels) ReadClassification(TextReader reader, string source, int? classes = null)
    {
        var rows = ReadRows(reader, source, out var lineNumbers);
        int width = rows[0].Length;
        if (width < 2) throw new DataFormatException($"{source}:{lineNumbers[0]}: expected at least 2 columns (features, then the label), found {width}.");
        var x = Matrix<double>.Build.Dense(rows.Count, width - 1);
        var labels = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int j = 0; j < width - 1; j++) x[i, j] = rows[i][j];
            double label = rows[i][width - 1];
            if (label != Math.Floor(label) || label < 0 || label > int.MaxValue)
                throw new DataFormatException($"{source}:{lineNumbers[i]}: column {width} (the label) must be a non-negative integer, found {label.ToString(CultureInfo.InvariantCulture)}.");
            labels[i] = (int)label;
            if (classes is int k && labels[i] >= k)
                throw new DataFormatException($"{source}:{lineNumbers[i]}: column {width} (the label) is {labels[i]}, outside 0..{k - 1}.");
        }
        return (x, labels);
    }

    /// <summary>
    /// Reads a regression CSV: the columns listed in <paramref name="targetColumns"/> (1-based, in that order) are the
    /// targets, every other column is a feature, in file order.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">The name the messages give the text (a file path).</param>
    /// <param name="targetColumns">The 1-based target columns, each once; at least one column must remain a feature.</param>
    /// <param name="targetsName">How the messages name the target columns: <c>target</c> by default (the command line
    /// passes its option, <c>--target</c>), as in <c>r.csv:1: target column 5 is outside 1..4 (the file has 4 columns).</c></param>
    /// <returns>X, n × (columns − t), and Y, n × t, with t the number of target columns.</returns>
    /// <exception cref="DataFormatException">A bad cell, a wrong column count, no data line, or target columns outside the file, repeated or taking every column.</exception>
    public static (Matrix<double> X, Matrix<double> Y) ReadRegression(TextReader reader, string source, IReadOnlyList<int> targetColumns, string targetsName = "target")
    {
        ArgumentNullException.ThrowIfNull(targetColumns);
        var rows = ReadRows(reader, source, out var lineNumbers);
        int width = rows[0].Length;
        foreach (var c in targetColumns)
            if (c < 1 || c > width)
                throw new DataFormatException($"{source}:{lineNumbers[0]}: {targetsName} column {c} is outside 1..{width} (the file has {width} columns).");
        if (targetColumns.Distinct().Count() != targetColumns.Count)
            throw new DataFormatException($"{source}: {targetsName} lists a column twice ({string.Join(",", targetColumns)}).");
        if (targetColumns.Count >= width)
            throw new DataFormatException($"{source}: {targetsName} takes all {width} columns; at least one feature column must remain.");
        var features = Enumerable.Range(1, width).Where(c => !targetColumns.Contains(c)).ToArray();
        var x = Matrix<double>.Build.Dense(rows.Count, features.Length, (i, j) => rows[i][features[j] - 1]);
        var y = Matrix<double>.Build.Dense(rows.Count, targetColumns.Count, (i, j) => rows[i][targetColumns[j] - 1]);
        return (x, y);
    }

    /// <summary>
    /// Reads inputs for a network of input width <paramref name="width"/>: lines of exactly <paramref name="width"/>
    /// features, or of <paramref name="width"/> + 1 columns whose last one (a label, as in a training file) is dropped.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">The name the messages give the text (a file path).</param>
    /// <param name="width">The number of features a sample has (the network's input width).</param>
    /// <returns>X, n × <paramref name="width"/>, one sample per row.</returns>
    /// <exception cref="DataFormatException">A bad cell, no data line, or a column count other than <paramref name="width"/> or <paramref name="width"/> + 1.</exception>
    public static Matrix<double> ReadFeatures(TextReader reader, string source, int width)
    {
        var rows = ReadRows(reader, source, out var lineNumbers);
        int columns = rows[0].Length;
        if (columns != width && columns != width + 1)
            throw new DataFormatException($"{source}:{lineNumbers[0]}: expected {width} feature columns (or {width + 1} with a trailing label) for the model's input width {width}, found {columns}.");
        return Matrix<double>.Build.Dense(rows.Count, width, (i, j) => rows[i][j]);
    }

    /// <summary>
    /// Parses every data line into finite doubles; all lines must have the same number of columns as the first data
    /// line. A first line without any numeric cell is a header and is skipped, as are blank lines.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">The name the messages give the text (a file path).</param>
    /// <param name="lineNumbers">The 1-based line number of each returned row in the text, for messages about it.</param>
    /// <returns>One array of cells per data line, at least one, all of the same length.</returns>
    /// <exception cref="DataFormatException">A cell that is not a number or not finite, a line with another column count, or no data line at all.</exception>
    public static List<double[]> ReadRows(TextReader reader, string source, out List<int> lineNumbers)
    {
        ArgumentNullException.ThrowIfNull(reader);
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
                throw new DataFormatException($"{source}:{lineNo}: expected {width} columns like the first data line, found {cells.Length}.");
            var values = new double[cells.Length];
            for (int j = 0; j < cells.Length; j++)
            {
                var cell = cells[j].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[j]))
                    throw new DataFormatException($"{source}:{lineNo}: column {j + 1} is \"{Truncate(cell)}\", expected a number.");
                if (!double.IsFinite(values[j]))
                    throw new DataFormatException($"{source}:{lineNo}: column {j + 1} is {cell}; values must be finite.");
            }
            rows.Add(values);
            lineNumbers.Add(lineNo);
        }
        if (rows.Count == 0) throw new DataFormatException($"{source}: no data lines.");
        return rows;
    }

    private static bool LooksLikeHeader(string[] cells) =>
        cells.All(c => !double.TryParse(c.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    private static string Truncate(string s) => s.Length <= 30 ? s : s[..27] + "...";
}
