using System.IO.Compression;
using MathDnn.Cli.Data;

namespace MathDnn.Tests.Cli;

/// <summary>The IDX/MNIST reader, the synthetic generators and the CSV readers of the shell.</summary>
public sealed class DataTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private string Idx(string name, byte[] bytes) => WriteBytes(h.P(name), bytes);

    private static string WriteBytes(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Idx_header_is_big_endian_and_values_follow_row_major()
    {
        // magic 00 00 08 02, sizes 2 and 3 big-endian, then 6 bytes.
        var path = Idx("m.idx", [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
        var (dims, values) = MathDnn.Cli.Data.Idx.Read(path, rank: 2);
        Assert.Equal([2, 3], dims);
        Assert.Equal([1, 2, 3, 4, 5, 255], values);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 1, 7 }, "not an IDX file: the magic number 0x01000801")]
    [InlineData(new byte[] { 0, 0, 9, 1, 0, 0, 0, 1, 7 }, "IDX type code 0x09 is not supported")]
    [InlineData(new byte[] { 0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 7 }, "the IDX header announces 2 dimension(s), expected 1")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 5, 7, 7 }, "truncated IDX file: the header announces 5 = 5 values (13 bytes) but the file has 10 bytes")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 7, 7 }, "corrupted IDX file: 1 byte(s) after the 1 values")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0x80, 0, 0, 0 }, "IDX dimension 1 is -2147483648; sizes must be positive")]
    [InlineData(new byte[] { 0, 0, 8 }, "truncated IDX file: no 4-byte magic number")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0 }, "truncated IDX file: the header needs 8 bytes")]
    public void Corrupted_or_truncated_idx_files_are_reported_before_allocating(byte[] bytes, string expected)
    {
        var path = Idx("bad.idx", bytes);
        var e = Assert.Throws<DataException>(() => MathDnn.Cli.Data.Idx.Read(path, rank: 1));
        Assert.StartsWith($"{path}: {expected}", e.Message);
    }

    [Fact]
    public void A_huge_announced_size_is_refused_without_allocating_it()
    {
        // 2²⁸ values announced in a 12-byte file: the length check fails first (no 256 MB allocation).
        var path = Idx("huge.idx", [0, 0, 8, 1, 0x10, 0, 0, 0, 1, 2, 3, 4]);
        var e = Assert.Throws<DataException>(() => MathDnn.Cli.Data.Idx.Read(path, rank: 1));
        Assert.Contains("truncated IDX file: the header announces 268435456", e.Message);
        // 2³¹ − 1 values: beyond any array, refused by the header check itself.
        path = Idx("huger.idx", [0, 0, 8, 1, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4]);
        e = Assert.Throws<DataException>(() => MathDnn.Cli.Data.Idx.Read(path, rank: 1));
        Assert.Contains("the IDX header announces more than", e.Message);
    }

    [Fact]
    public void Gzipped_idx_files_are_checked_against_their_uncompressed_length()
    {
        var path = h.P("v.idx.gz");
        using (var f = File.Create(path))
        using (var gz = new GZipStream(f, CompressionLevel.Fastest))
            gz.Write([0, 0, 8, 1, 0, 0, 0, 3, 9, 8, 7]);
        Assert.Equal([9, 8, 7], MathDnn.Cli.Data.Idx.Read(path, rank: 1).Values);

        var bytes = File.ReadAllBytes(path);
        var truncated = WriteBytes(h.P("t.idx.gz"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DataException>(() => MathDnn.Cli.Data.Idx.Read(truncated, rank: 1));
        Assert.StartsWith(truncated, e.Message);
    }

    [Fact]
    public void Mnist_pixels_are_scaled_to_the_unit_interval_and_labels_checked()
    {
        var images = h.P("img");
        var labels = h.P("lab");
        var pixels = new byte[2 * 784];
        pixels[0] = 255;
        pixels[784 + 783] = 51; // 51/255 = 0.2
        CliHarness.WriteIdx(images, [2, 28, 28], pixels, gzip: false);
        CliHarness.WriteIdx(labels, [2], [3, 9], gzip: false);
        var (x, l) = Mnist.Read(images, labels);
        Assert.Equal((2, 784), (x.RowCount, x.ColumnCount));
        Assert.Equal(1.0, x[0, 0]);
        Assert.Equal(51 / 255.0, x[1, 783]);
        Assert.Equal(0.0, x[1, 0]);
        Assert.Equal([3, 9], l);

        CliHarness.WriteIdx(labels, [2], [3, 10], gzip: false);
        Assert.Contains("label 1 is 10, outside 0..9", Assert.Throws<DataException>(() => Mnist.Read(images, labels)).Message);
        CliHarness.WriteIdx(labels, [3], [3, 1, 2], gzip: false);
        Assert.Contains("3 labels for the 2 images", Assert.Throws<DataException>(() => Mnist.Read(images, labels)).Message);
        CliHarness.WriteIdx(images, [2, 27, 28], new byte[2 * 27 * 28], gzip: false);
        CliHarness.WriteIdx(labels, [2], [3, 1], gzip: false);
        Assert.Contains("images are 27×28, expected 28×28", Assert.Throws<DataException>(() => Mnist.Read(images, labels)).Message);
    }

    [Theory]
    [InlineData("spirals")]
    [InlineData("moons")]
    [InlineData("xor")]
    [InlineData("sawtooth")]
    public void Synthetic_sets_are_seeded(string name)
    {
        var (a, la, _) = Synthetic.Generate(name, 5);
        var (b, lb, _) = Synthetic.Generate(name, 5);
        var (c, _, _) = Synthetic.Generate(name, 6);
        Assert.Equal(a.ToRowMajorArray(), b.ToRowMajorArray()); // bit for bit
        Assert.Equal(la, lb);
        Assert.NotEqual(a.ToRowMajorArray(), c.ToRowMajorArray());
    }

    [Fact]
    public void Xor_labels_are_the_xor_of_the_signs_and_sawtooth_labels_follow_the_tent_map()
    {
        var (x, labels, k) = Synthetic.Xor(1);
        Assert.Equal(2, k);
        for (int i = 0; i < labels.Length; i++) Assert.Equal(x[i, 0] * x[i, 1] < 0 ? 1 : 0, labels[i]);

        // m(x) = 2·min(x, 1 − x): m(0.1) = 0.2, m²(0.1) = 0.4, m³(0.1) = 0.8 ≥ ½ → class 1;
        // m(0.3) = 0.6, m²(0.3) = 0.8, m³(0.3) = 0.4 < ½ → class 0; 0.1 ∈ [1/16, 3/16] and 0.3 ∈ ]3/16, 5/16[.
        Assert.Equal(0.8, Synthetic.Tent(0.1, 3), 15);
        Assert.Equal(0.4, Synthetic.Tent(0.3, 3), 15);
        var (s, sl, _) = Synthetic.Sawtooth(2);
        for (int i = 0; i < sl.Length; i++)
        {
            double v = s[i, 0], eighths = (v - 1.0 / 16) * 8; // class 1 on [1/16 + j/4, 3/16 + j/4]: eighths in [2j, 2j + 1]
            bool inside = v >= 1.0 / 16 && v <= 15.0 / 16 && Math.Floor(eighths) % 2 == 0;
            if (Math.Abs(eighths - Math.Round(eighths)) > 1e-9) Assert.Equal(inside ? 1 : 0, sl[i]);
        }
    }

    [Fact]
    public void Spirals_and_moons_have_the_documented_sizes_and_geometry()
    {
        var (x, labels, k) = Synthetic.Spirals(3);
        Assert.Equal((900, 2, 3), (x.RowCount, x.ColumnCount, k));
        Assert.Equal([300, 300, 300], labels.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        for (int i = 0; i < x.RowCount; i++)
            Assert.True(Math.Sqrt(x[i, 0] * x[i, 0] + x[i, 1] * x[i, 1]) <= 1 + 1e-15); // radius r = i/(n − 1) ≤ 1
        var (m, ml, mk) = Synthetic.Moons(3);
        Assert.Equal((1000, 2), (m.RowCount, mk));
        Assert.Equal(500, ml.Count(l => l == 0));
    }

    [Fact]
    public void Csv_regression_takes_the_target_columns_in_order_and_the_rest_as_features()
    {
        var (x, y) = CsvData.ReadRegression(new StringReader("a,b,c,d\n1,2,3,4\n5,6,7,8\n"), "r.csv", [4, 2]);
        Assert.Equal(new double[,] { { 1, 3 }, { 5, 7 } }, x.ToArray());
        Assert.Equal(new double[,] { { 4, 2 }, { 8, 6 } }, y.ToArray());
        var e = Assert.Throws<DataException>(() => CsvData.ReadRegression(new StringReader("1,2\n"), "r.csv", [2, 2]));
        Assert.Contains("lists a column twice", e.Message);
    }

    [Fact]
    public void Csv_features_accept_the_input_width_or_one_more_column()
    {
        Assert.Equal(new double[,] { { 1, 2 } }, CsvData.ReadFeatures(new StringReader("1,2\n"), "f.csv", 2).ToArray());
        Assert.Equal(new double[,] { { 1, 2 } }, CsvData.ReadFeatures(new StringReader("1,2,0\n"), "f.csv", 2).ToArray());
        Assert.Throws<DataException>(() => CsvData.ReadFeatures(new StringReader("1\n"), "f.csv", 2));
    }
}
