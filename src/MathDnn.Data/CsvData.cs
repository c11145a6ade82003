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
/// <para>
/// Limits: a line holds at most <see cref="MaxLineLength"/> characters, and reading stops there (so one endless line costs
/// 2 MiB, not the machine's memory); a control character other than a tab (a NUL, say: binary data) stops reading at once and
/// is reported escaped (<c>\x00</c>) with its column; class labels are integers 0..<see cref="MaxClasses"/> − 1.
/// </para>
/// </summary>
public static class CsvData
{
    /// <summary>
    /// The longest line accepted, in characters: 2²⁰ (1 MiB; a line is buffered as UTF-16, 2 MiB). That holds 50,000 cells
    /// of 20 characters (a double's round-trip form is at most 24), far wider than a dense network's inputs usually are
    /// (an MNIST row is 785 cells, about 3,000 characters), while bounding what a file of one endless line (a log, a
    /// binary without line breaks, <c>/dev/zero</c>) can make the reader hold.
    /// </summary>
    public const int MaxLineLength = 1 << 20;

    /// <summary>
    /// The most classes a classification file may define: 2¹⁶ = 65,536, labels 0..65,535. Labels define the classes
    /// (K = max label + 1, one output unit and one one-hot column per class), so the limit bounds what a single stray label
    /// (a 10⁹ in a column of digits) can allocate: a one-hot row of 65,536 doubles is 512 KiB. It is above the label sets of
    /// common benchmarks (ImageNet-21k has 21,841 classes); larger label spaces are extreme classification, which needs
    /// sparse outputs this library does not have.
    /// </summary>
    public const int MaxClasses = 1 << 16;

    /// <summary>
    /// Reads a classification CSV: every line is features…, label. The label must be an integer in 0..<see cref="MaxClasses"/> − 1,
    /// and below <paramref name="classes"/> when that is given.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">The name the messages give the text (a file path).</param>
    /// <param name="classes">The number of classes K when known (labels must lie in 0..K−1); null: any non-negative label.</param>
    /// <returns>X, n × (columns − 1), one sample per row; the n labels.</returns>
    /// <exception cref="DataFormatException">A bad cell, a wrong column count, fewer than 2 columns, no data line, a line longer
    /// than <see cref="MaxLineLength"/> or binary data, or a label that is not an integer in 0..<see cref="MaxClasses"/> − 1 (or in
    /// 0..<paramref name="classes"/> − 1).</exception>
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
            if (label != Math.Floor(label) || label < 0)
                throw new DataFormatException($"{source}:{lineNumbers[i]}: column {width} (the label) must be a non-negative integer, found {label.ToString(CultureInfo.InvariantCulture)}.");
            if (label >= MaxClasses)
                throw new DataFormatException($"{source}:{lineNumbers[i]}: column {width} (the label) is {label.ToString(CultureInfo.InvariantCulture)}, above the " +
                    $"limit {MaxClasses - 1}: labels define the classes, at most {MaxClasses} (0..{MaxClasses - 1}).");
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
    /// <exception cref="DataFormatException">A cell that is not a number or not finite, a line with another column count, a line
    /// longer than <see cref="MaxLineLength"/>, a control character other than a tab (binary data), or no data line at all.</exception>
    public static List<double[]> ReadRows(TextReader reader, string source, out List<int> lineNumbers)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<double[]>();
        lineNumbers = [];
        var lines = new LineReader(reader, source);
        string? line;
        int lineNo = 0, width = -1;
        bool first = true;
        while ((line = lines.Next()) is not null)
        {
            lineNo = lines.LineNumber;
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

    /// <summary>
    /// Lines of at most <see cref="MaxLineLength"/> characters, ended by \n, \r\n or \r, read in blocks: a longer line, or a
    /// control character other than a tab (binary data), throws as soon as it is seen, so memory stays bounded on any input.
    /// </summary>
    private sealed class LineReader(TextReader reader, string source)
    {
        private readonly char[] block = new char[1 << 16];
        private readonly System.Text.StringBuilder line = new();
        private int pos, end;
        private bool skipLineFeed; // the last line ended in \r: a \n right after it belongs to it

        /// <summary>The 1-based number of the line <see cref="Next"/> returned last.</summary>
        public int LineNumber { get; private set; }

        /// <summary>The next line without its ending, or null at the end of the text.</summary>
        public string? Next()
        {
            line.Clear();
            bool any = false;
            while (true)
            {
                if (pos == end)
                {
                    pos = 0;
                    end = Math.Max(0, reader.Read(block, 0, block.Length));
                    if (end == 0)
                    {
                        if (!any) return null;
                        LineNumber++;
                        return line.ToString();
                    }
                }
                if (skipLineFeed)
                {
                    skipLineFeed = false;
                    if (block[pos] == '\n') { pos++; continue; }
                }
                any = true;
                int start = pos;
                while (pos < end && block[pos] is not ('\n' or '\r'))
                {
                    if (char.IsControl(block[pos]) && block[pos] != '\t') throw Binary(start);
                    pos++;
                }
                if (line.Length + (pos - start) > MaxLineLength)
                    throw new DataFormatException($"{source}:{LineNumber + 1}: the line is longer than {MaxLineLength} characters, the limit " +
                        "of a CSV line (CsvData.MaxLineLength); is this a CSV file?");
                line.Append(block, start, pos - start);
                if (pos < end)
                {
                    skipLineFeed = block[pos++] == '\r';
                    LineNumber++;
                    return line.ToString();
                }
            }
        }

        /// <summary>The message for the control character at <see cref="pos"/>: its column, its character, the line so far, escaped.</summary>
        private DataFormatException Binary(int start)
        {
            line.Append(block, start, pos - start);
            string before = line.ToString();
            int column = before.Count(c => c == ',') + 1, character = before.Length + 1;
            var shown = before.Length > 20 ? "…" + before[^20..] : before;
            var after = new string(block, pos, Math.Min(12, end - pos));
            return new DataFormatException($"{source}:{LineNumber + 1}: column {column} holds the control character {Escape(block[pos].ToString())} " +
                $"(character {character} of the line: \"{Escape(shown + after)}…\"): binary data, not CSV text.");
        }
    }

    /// <summary>
    /// <paramref name="text"/> with every control character written as \xNN (below U+0100) or \uNNNN, and a backslash as \\,
    /// so that a message never sends raw control bytes to a terminal.
    /// </summary>
    /// <param name="text">Any text, e.g. a piece of a file.</param>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c == '\\') sb.Append(@"\\");
            else if (!char.IsControl(c)) sb.Append(c);
            else if (c < 0x100) sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            else sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return sb.ToString();
    }

    private static bool LooksLikeHeader(string[] cells) =>
        cells.All(c => !double.TryParse(c.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    private static string Truncate(string s) => s.Length <= 30 ? s : s[..27] + "...";
}
