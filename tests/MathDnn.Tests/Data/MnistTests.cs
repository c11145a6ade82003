using MathDnn.Data;

namespace MathDnn.Tests.Data;

/// <summary>The MNIST reader: pixels scaled to [0, 1], labels checked against the images, the files found in a folder.</summary>
public sealed class MnistTests : IDisposable
{
    private readonly DataFiles f = new();

    public void Dispose() => f.Dispose();

    [Fact]
    public void Mnist_pixels_are_scaled_to_the_unit_interval_and_labels_checked()
    {
        var images = f.P("img");
        var labels = f.P("lab");
        var pixels = new byte[2 * 784];
        pixels[0] = 255;
        pixels[784 + 783] = 51; // 51/255 = 0.2
        DataFiles.WriteIdx(images, [2, 28, 28], pixels, gzip: false);
        DataFiles.WriteIdx(labels, [2], [3, 9], gzip: false);
        var (x, l) = Mnist.Read(images, labels);
        Assert.Equal((2, 784), (x.RowCount, x.ColumnCount));
        Assert.Equal(1.0, x[0, 0]);
        Assert.Equal(51 / 255.0, x[1, 783]);
        Assert.Equal(0.0, x[1, 0]);
        Assert.Equal([3, 9], l);

        DataFiles.WriteIdx(labels, [2], [3, 10], gzip: false);
        Assert.Equal($"{labels}: label 1 is 10, outside 0..9.", Assert.Throws<DataFormatException>(() => Mnist.Read(images, labels)).Message);
        DataFiles.WriteIdx(labels, [3], [3, 1, 2], gzip: false);
        Assert.Equal($"{labels}: 3 labels for the 2 images of {images}.", Assert.Throws<DataFormatException>(() => Mnist.Read(images, labels)).Message);
        DataFiles.WriteIdx(images, [2, 27, 28], new byte[2 * 27 * 28], gzip: false);
        DataFiles.WriteIdx(labels, [2], [3, 1], gzip: false);
        Assert.Equal($"{images}: images are 27×28, expected 28×28.", Assert.Throws<DataFormatException>(() => Mnist.Read(images, labels)).Message);
    }

    [Fact]
    public void Pixel_r_c_of_image_i_is_column_28r_plus_c_of_row_i()
    {
        var pixels = new byte[3 * 784];
        pixels[2 * 784 + 5 * 28 + 7] = 255; // image 2, row 5, column 7
        DataFiles.WriteIdx(f.P("img"), [3, 28, 28], pixels, gzip: false);
        DataFiles.WriteIdx(f.P("lab"), [3], [0, 1, 2], gzip: false);
        var (x, _) = Mnist.Read(f.P("img"), f.P("lab"));
        Assert.Equal(1.0, x[2, 5 * 28 + 7]);
        Assert.Equal(1.0, x.Enumerate().Sum());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_finds_the_four_files_plain_or_gzipped(bool gzip)
    {
        var dir = Directory.CreateDirectory(f.P("mnist")).FullName;
        Assert.False(Mnist.IsAvailable(dir));
        foreach (var (names, n) in new[] { (Mnist.TrainFiles, 6), (Mnist.TestFiles, 4) })
        {
            DataFiles.WriteIdx(Path.Combine(dir, names.Images), [n, 28, 28], new byte[n * 784], gzip);
            DataFiles.WriteIdx(Path.Combine(dir, names.Labels), [n], Enumerable.Range(0, n).Select(i => (byte)i).ToArray(), gzip);
        }
        Assert.True(Mnist.IsAvailable(dir));
        Assert.Equal(Path.Combine(dir, Mnist.TrainFiles.Images) + (gzip ? ".gz" : ""), Mnist.Find(dir, Mnist.TrainFiles.Images));
        var (x, labels) = Mnist.Load(dir, test: false);
        var (xt, lt) = Mnist.Load(dir, test: true);
        Assert.Equal((6, 784, 4, 784), (x.RowCount, x.ColumnCount, xt.RowCount, xt.ColumnCount));
        Assert.Equal([0, 1, 2, 3, 4, 5], labels);
        Assert.Equal([0, 1, 2, 3], lt);
    }

    [Fact]
    public void A_missing_folder_or_file_is_named()
    {
        var nowhere = f.P("nowhere");
        Assert.Equal($"{nowhere}: no such folder (expected the MNIST IDX files).",
            Assert.Throws<DataFormatException>(() => Mnist.Load(nowhere, test: false)).Message);
        var empty = Directory.CreateDirectory(f.P("empty")).FullName;
        Assert.Equal($"{Path.Combine(empty, "t10k-images-idx3-ubyte")}: no such file (nor .gz).",
            Assert.Throws<DataFormatException>(() => Mnist.Load(empty, test: true)).Message);
        Assert.Null(Mnist.Find(empty, Mnist.TestFiles.Labels));
    }
}
