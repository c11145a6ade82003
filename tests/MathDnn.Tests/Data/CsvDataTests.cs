using MathDnn.Data;

namespace MathDnn.Tests.Data;

/// <summary>The CSV readers: classification, regression and features; every bad cell named by source, line and column.</summary>
public sealed class CsvDataTests
{
    private static StringReader Text(string csv) => new(csv);

    [Fact]
    public void Classification_reads_the_features_and_the_label_last_skipping_a_header_and_blank_lines()
    {
        var (x, labels) = CsvData.ReadClassification(Text("x1,x2,label\n0.5,-1e-3,1\n\n2,3,0\n"), "c.csv");
        Assert.Equal(new double[,] { { 0.5, -1e-3 }, { 2, 3 } }, x.ToArray());
        Assert.Equal([1, 0], labels);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,x\n", "c.csv:3: column 2 is \"x\", expected a number.")]
    [InlineData("1,2\n\n3,\n", "c.csv:3: column 2 is \"\", expected a number.")]
    [InlineData("1,2\nInfinity,0\n", "c.csv:2: column 1 is Infinity; values must be finite.")]
    [InlineData("1,2,0\n3,4\n", "c.csv:2: expected 3 columns like the first data line, found 2.")]
    [InlineData("1,2,0\n3,4,2.5\n", "c.csv:2: column 3 (the label) must be a non-negative integer, found 2.5.")]
    [InlineData("1,2,0\n3,4,3\n", "c.csv:2: column 3 (the label) is 3, outside 0..2.")]
    [InlineData("1\n", "c.csv:1: expected at least 2 columns (features, then the label), found 1.")]
    [InlineData("a,b\n\n", "c.csv: no data lines.")]
    public void A_bad_cell_is_a_DataFormatException_naming_the_file_the_line_and_the_column(string csv, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => CsvData.ReadClassification(Text(csv), "c.csv", classes: 3));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void A_long_bad_cell_is_shortened_in_the_message()
    {
        var e = Assert.Throws<DataFormatException>(() => CsvData.ReadRows(Text("1," + new string('z', 40) + "\n"), "long.csv", out _));
        Assert.Equal($"long.csv:1: column 2 is \"{new string('z', 27)}...\", expected a number.", e.Message);
    }

    [Fact]
    public void Rows_come_with_their_line_numbers()
    {
        var rows = CsvData.ReadRows(Text("h1,h2\n1,2\n\n3,4\n"), "r.csv", out var lines);
        Assert.Equal([[1.0, 2.0], [3.0, 4.0]], rows);
        Assert.Equal([2, 4], lines);
    }

    [Fact]
    public void Csv_regression_takes_the_target_columns_in_order_and_the_rest_as_features()
    {
        var (x, y) = CsvData.ReadRegression(Text("a,b,c,d\n1,2,3,4\n5,6,7,8\n"), "r.csv", [4, 2]);
        Assert.Equal(new double[,] { { 1, 3 }, { 5, 7 } }, x.ToArray());
        Assert.Equal(new double[,] { { 4, 2 }, { 8, 6 } }, y.ToArray());
    }

    [Fact]
    public void Bad_target_columns_are_named_as_the_caller_names_them()
    {
        string Message(string csv, int[] targets, string? name = null) => Assert.Throws<DataFormatException>(() =>
            name is null ? CsvData.ReadRegression(Text(csv), "r.csv", targets) : CsvData.ReadRegression(Text(csv), "r.csv", targets, name)).Message;
        Assert.Equal("r.csv:2: target column 3 is outside 1..2 (the file has 2 columns).", Message("y,x\n1,2\n", [3]));
        Assert.Equal("r.csv:2: --target column 0 is outside 1..2 (the file has 2 columns).", Message("y,x\n1,2\n", [0], "--target"));
        Assert.Equal("r.csv: target lists a column twice (2,2).", Message("1,2\n", [2, 2]));
        Assert.Equal("r.csv: target takes all 2 columns; at least one feature column must remain.", Message("1,2\n", [1, 2]));
    }

    [Fact]
    public void Csv_features_accept_the_input_width_or_one_more_column()
    {
        Assert.Equal(new double[,] { { 1, 2 } }, CsvData.ReadFeatures(Text("1,2\n"), "f.csv", 2).ToArray());
        Assert.Equal(new double[,] { { 1, 2 } }, CsvData.ReadFeatures(Text("1,2,0\n"), "f.csv", 2).ToArray());
        var e = Assert.Throws<DataFormatException>(() => CsvData.ReadFeatures(Text("1\n"), "f.csv", 2));
        Assert.Equal("f.csv:1: expected 2 feature columns (or 3 with a trailing label) for the model's input width 2, found 1.", e.Message);
    }

    [Fact]
    public void A_file_on_disk_is_named_by_the_path_given()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mathdnn-csv-{Environment.ProcessId}-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "1,2,0\n3,4,1\n5,six,0\n");
        try
        {
            using var reader = new StreamReader(path);
            var e = Assert.Throws<DataFormatException>(() => CsvData.ReadClassification(reader, path));
            Assert.Equal($"{path}:3: column 2 is \"six\", expected a number.", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
    // ---- limits: labels, line length, binary data (issue 13, items 5, 6, 10) ----

    [Theory]
    [InlineData("1000000000")]
    [InlineData("50000000")]
    [InlineData("20000000")]
    [InlineData("65536")]
    [InlineData("1e300")]
    public void A_label_above_the_class_limit_is_named_by_line_and_column(string label)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => CsvData.ReadClassification(Text($"1,2,0\n3,4,1\n5,6,{label}\n"), "c.csv"));
        Assert.StartsWith($"c.csv:3: column 3 (the label) is {double.Parse(label, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)}, above the limit 65535", e.Message);
        Assert.Contains("at most 65536", e.Message);
        // Refused before anything of the label's size exists: far below one 65,536-class one-hot row (512 KiB).
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 512 * 1024);
    }

    [Fact]
    public void The_largest_label_allowed_defines_65536_classes()
    {
        var (_, labels) = CsvData.ReadClassification(Text("1,0\n2,65535\n"), "c.csv");
        Assert.Equal([0, CsvData.MaxClasses - 1], labels);
        Assert.Equal(65536, CsvData.MaxClasses);
    }

    [Fact]
    public void Line_endings_LF_CRLF_and_CR_and_a_last_line_without_one()
    {
        foreach (var text in new[] { "1,0\n2,1\n3,0", "1,0\r\n2,1\r\n3,0\r\n", "1,0\r2,1\r3,0\r", "1,0\r\n\r\n2,1\n3,0\n" })
        {
            var rows = CsvData.ReadRows(Text(text), "e.csv", out var lines);
            Assert.Equal([[1.0, 0.0], [2.0, 1.0], [3.0, 0.0]], rows);
            Assert.Equal(text.Contains("\r\n\r\n") ? [1, 3, 4] : [1, 2, 3], lines);
        }
    }

    /// <summary>An endless text: <paramref name="unit"/> repeated for ever (a file of one endless line, /dev/zero).</summary>
    private sealed class Endless(char unit) : TextReader
    {
        public long Served { get; private set; }

        public override int Read(char[] buffer, int index, int count)
        {
            Array.Fill(buffer, unit, index, count);
            Served += count;
            return count;
        }

        public override int Read() => unit;
    }

    [Fact]
    public void An_endless_line_stops_at_the_limit_with_bounded_memory()
    {
        var endless = new Endless('7');
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => CsvData.ReadClassification(endless, "big.csv"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal($"big.csv:1: the line is longer than {CsvData.MaxLineLength} characters, the limit of a CSV line (CsvData.MaxLineLength); is this a CSV file?", e.Message);
        // Reading stops within one 64 Ki-character block past the limit; the line buffer (UTF-16, grown by doubling) stays below
        // 3 × 2 MiB.
        Assert.True(endless.Served <= CsvData.MaxLineLength + (1 << 16), $"read {endless.Served} characters");
        Assert.True(allocated < 6L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Binary_data_is_recognised_at_its_first_control_byte_and_shown_escaped()
    {
        var zeros = new Endless('\0');
        var e = Assert.Throws<DataFormatException>(() => CsvData.ReadRows(zeros, "/dev/zero", out _));
        Assert.StartsWith("/dev/zero:1: column 1 holds the control character \\x00 (character 1 of the line: \"\\x00\\x00", e.Message);
        Assert.EndsWith("binary data, not CSV text.", e.Message);
        Assert.True(zeros.Served <= 1 << 16);
        Assert.DoesNotContain(e.Message, char.IsControl);
    }

    [Theory]
    [InlineData("1,2,0\n3,4\0,1\n", "c.csv:2: column 2 holds the control character \\x00 (character 4 of the line: \"3,4\\x00,1\\x0a…\"): binary data, not CSV text.")]
    [InlineData("1,2,0\n\u001b[31m,1,1\n", "c.csv:2: column 1 holds the control character \\x1b (character 1 of the line: \"\\x1b[31m,1,1\\x0a…\"): binary data, not CSV text.")]
    [InlineData("1,\u0085,0\n", "c.csv:1: column 2 holds the control character \\x85 (character 3 of the line: \"1,\\x85,0\\x0a…\"): binary data, not CSV text.")]
    public void A_control_character_inside_a_cell_is_refused_with_its_column(string csv, string expected)
    {
        // .NET's number parser ignores trailing NULs ("4\0" parses as 4): the reader refuses them before parsing.
        var e = Assert.Throws<DataFormatException>(() => CsvData.ReadClassification(Text(csv), "c.csv"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void A_tab_is_whitespace_not_binary()
    {
        var rows = CsvData.ReadRows(Text("1,\t2\n"), "t.csv", out _);
        Assert.Equal([[1.0, 2.0]], rows);
    }

    [Fact]
    public void Escape_writes_control_characters_and_backslashes_visibly()
    {
        Assert.Equal(@"a\x00b\x7f\x9b?\\", CsvData.Escape("a\0b\u007f\u009b?\\"));
        Assert.Equal("été,1", CsvData.Escape("été,1"));
    }
}
