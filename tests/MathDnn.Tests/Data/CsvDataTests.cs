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
}
