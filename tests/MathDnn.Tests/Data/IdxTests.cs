using System.IO.Compression;
using MathDnn.Data;

namespace MathDnn.Tests.Data;

/// <summary>The IDX reader: the header, the checks made before allocating, gzip, and one-line messages.</summary>
public sealed class IdxTests : IDisposable
{
    private readonly DataFiles f = new();

    public void Dispose() => f.Dispose();

    [Fact]
    public void Idx_header_is_big_endian_and_values_follow_row_major()
    {
        // magic 00 00 08 02, sizes 2 and 3 big-endian, then 6 bytes.
        var path = f.Bytes("m.idx", [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
        var (dims, values) = Idx.Read(path, rank: 2);
        Assert.Equal([2, 3], dims);
        Assert.Equal([1, 2, 3, 4, 5, 255], values);
    }

    [Fact]
    public void Write_then_read_round_trips_plain_and_gzipped()
    {
        byte[] values = [0, 1, 2, 3, 254, 255];
        DataFiles.WriteIdx(f.P("w.idx"), [3, 2], values, gzip: false);
        DataFiles.WriteIdx(f.P("w.idx"), [3, 2], values, gzip: true);
        foreach (var path in new[] { f.P("w.idx"), f.P("w.idx.gz") })
        {
            var (dims, read) = Idx.Read(path, rank: 2);
            Assert.Equal([3, 2], dims);
            Assert.Equal(values, read);
        }
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
        var path = f.Bytes("bad.idx", bytes);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(path, rank: 1));
        Assert.StartsWith($"{path}: {expected}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_wrong_magic_number_and_truncated_data_are_refused_in_one_line_naming_the_file()
    {
        // An IDX file of rank 3 (an MNIST image file) is not a label file: the magic number says so.
        var images = f.Bytes("images.idx", [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9]);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(images, rank: 1));
        Assert.Equal($"{images}: the IDX header announces 3 dimension(s), expected 1 (magic number 0x00000803).", e.Message);

        // A text file where an IDX file was expected.
        var text = f.Bytes("labels.csv", "1,2,3\n"u8.ToArray());
        e = Assert.Throws<DataFormatException>(() => Idx.Read(text, rank: 1));
        Assert.Equal($"{text}: not an IDX file: the magic number 0x312C322C does not start with two zero bytes.", e.Message);

        // 4 labels announced, 2 present.
        var truncated = f.Bytes("labels.idx", [0, 0, 8, 1, 0, 0, 0, 4, 5, 6]);
        e = Assert.Throws<DataFormatException>(() => Idx.Read(truncated, rank: 1));
        Assert.Equal($"{truncated}: truncated IDX file: the header announces 4 = 4 values (12 bytes) but the file has 10 bytes.", e.Message);

        var missing = f.P("none.idx");
        Assert.Equal($"{missing}: no such file.", Assert.Throws<DataFormatException>(() => Idx.Read(missing, rank: 1)).Message);
    }

    [Fact]
    public void Only_regular_files_are_read_a_FIFO_is_refused_without_blocking_and_a_folder_named()
    {
        var fifo = MathDnn.Tests.IO.SpecialFiles.Fifo(f.P("labels.fifo"));
        var e = MathDnn.Tests.IO.SpecialFiles.WithoutBlocking(fifo, () => Assert.Throws<DataFormatException>(() => Idx.Read(fifo, rank: 1)));
        Assert.Equal($"{fifo}: is a named pipe (FIFO), not a regular file.", e.Message);
        var folder = Directory.CreateDirectory(f.P("images")).FullName;
        Assert.Equal($"{folder}: is a folder, not a file.", Assert.Throws<DataFormatException>(() => Idx.Read(folder, rank: 3)).Message);
    }

    [Fact]
    public void A_huge_announced_size_is_refused_without_allocating_it()
    {
        // 2²⁸ values announced in a 12-byte file: the length check fails first (no 256 MB allocation).
        var path = f.Bytes("huge.idx", [0, 0, 8, 1, 0x10, 0, 0, 0, 1, 2, 3, 4]);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(path, rank: 1));
        Assert.Contains("truncated IDX file: the header announces 268435456", e.Message);
        // 2³¹ − 1 values: beyond any array, refused by the header check itself.
        path = f.Bytes("huger.idx", [0, 0, 8, 1, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4]);
        e = Assert.Throws<DataFormatException>(() => Idx.Read(path, rank: 1));
        Assert.Contains("the IDX header announces more than", e.Message);
    }

    [Fact]
    public void Gzipped_idx_files_are_checked_against_their_uncompressed_length()
    {
        var path = f.P("v.idx.gz");
        using (var file = File.Create(path))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
            gz.Write([0, 0, 8, 1, 0, 0, 0, 3, 9, 8, 7]);
        Assert.Equal([9, 8, 7], Idx.Read(path, rank: 1).Values);

        var bytes = File.ReadAllBytes(path);
        var truncated = f.Bytes("t.idx.gz", bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(truncated, rank: 1));
        Assert.StartsWith(truncated, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
