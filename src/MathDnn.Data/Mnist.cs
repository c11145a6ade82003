using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Data;

/// <summary>
/// MNIST (LeCun, Cortes &amp; Burges): 60,000 training and 10,000 test images of 28×28 handwritten digits, read from the
/// four original IDX files (<see cref="Idx"/>) in a folder, each plain or gzipped (<c>.gz</c>). Pixels 0..255 are scaled
/// to [0, 1]; labels must be 0..9 and as many as the images. The files are not part of this package: download them
/// (the repository's <c>scripts/get-mnist.sh</c> does) and pass their folder.
/// </summary>
public static class Mnist
{
    /// <summary>The side of an image in pixels: 28 (an image is 28 × 28 = 784 features).</summary>
    public const int Side = 28;

    /// <summary>The number of classes: 10, the digits 0..9.</summary>
    public const int Classes = 10;

    /// <summary>The file names of the training set's (images, labels) pair, as in the original distribution.</summary>
    public static readonly (string Images, string Labels) TrainFiles = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte");

    /// <summary>The file names of the test set's (images, labels) pair, as in the original distribution.</summary>
    public static readonly (string Images, string Labels) TestFiles = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /// <summary>Whether the four files (plain or gzipped) are in <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder to look in.</param>
    public static bool IsAvailable(string folder) =>
        new[] { TrainFiles.Images, TrainFiles.Labels, TestFiles.Images, TestFiles.Labels }.All(f => Find(folder, f) is not null);

    /// <summary>The path of the file <paramref name="name"/> in <paramref name="folder"/>, else of <paramref name="name"/>.gz, else null.</summary>
    /// <param name="folder">The folder to look in.</param>
    /// <param name="name">A file name of <see cref="TrainFiles"/> or <see cref="TestFiles"/>, without <c>.gz</c>.</param>
    public static string? Find(string folder, string name)
    {
        var plain = Path.Combine(folder, name);
        if (File.Exists(plain)) return plain;
        var gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    /// <summary>The training set (<paramref name="test"/> false) or the test set (true) from the IDX files in <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder holding the files named by <see cref="TrainFiles"/> and <see cref="TestFiles"/>.</param>
    /// <param name="test">Whether to read the test set rather than the training set.</param>
    /// <returns>As <see cref="Read"/>: X, n × 784 in [0, 1], and the n labels.</returns>
    /// <exception cref="DataFormatException">The folder or a file is missing, or a file is malformed (see <see cref="Read"/>).</exception>
    public static (Matrix<double> X, int[] Labels) Load(string folder, bool test)
    {
        if (!Directory.Exists(folder)) throw new DataFormatException($"{folder}: no such folder (expected the MNIST IDX files).");
        var (imagesName, labelsName) = test ? TestFiles : TrainFiles;
        var images = Find(folder, imagesName) ?? throw new DataFormatException($"{Path.Combine(folder, imagesName)}: no such file (nor .gz).");
        var labels = Find(folder, labelsName) ?? throw new DataFormatException($"{Path.Combine(folder, labelsName)}: no such file (nor .gz).");
        return Read(images, labels);
    }

    /// <summary>Reads one (images, labels) pair of IDX files: n×28×28 unsigned bytes and n labels in 0..9.</summary>
    /// <param name="imagesPath">The images: an IDX file of rank 3, n × 28 × 28, plain or gzipped.</param>
    /// <param name="labelsPath">The labels: an IDX file of rank 1, n values in 0..9, plain or gzipped.</param>
    /// <returns>X, n × 784: image i on row i, its pixels row by row (pixel (r, c) in column 28r + c), scaled from 0..255
    /// to [0, 1]; the n labels.</returns>
    /// <exception cref="DataFormatException">A malformed IDX file (<see cref="Idx.Read"/>), images that are not 28×28,
    /// another number of labels than of images, or a label above 9.</exception>
    public static (Matrix<double> X, int[] Labels) Read(string imagesPath, string labelsPath)
    {
        var (ld, lv) = Idx.Read(labelsPath, rank: 1);
        var (id, iv) = Idx.Read(imagesPath, rank: 3);
        if (id[1] != Side || id[2] != Side)
            throw new DataFormatException($"{imagesPath}: images are {id[1]}×{id[2]}, expected {Side}×{Side}.");
        if (ld[0] != id[0])
            throw new DataFormatException($"{labelsPath}: {ld[0]} labels for the {id[0]} images of {imagesPath}.");
        var labels = new int[ld[0]];
        for (int i = 0; i < labels.Length; i++)
        {
            if (lv[i] >= Classes) throw new DataFormatException($"{labelsPath}: label {i} is {lv[i]}, outside 0..{Classes - 1}.");
            labels[i] = lv[i];
        }
        int n = id[0], d = Side * Side;
        var columnMajor = new double[(long)n * d]; // MathNet stores column-major: entry (i, j) at j·n + i
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) columnMajor[(long)j * n + i] = iv[(long)i * d + j] / 255.0;
        var x = Matrix<double>.Build.Dense(n, d, columnMajor); // binds the array, no copy
        return (x, labels);
    }
}
