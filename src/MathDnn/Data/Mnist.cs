using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Cli.Data;

/// <summary>
/// MNIST (LeCun, Cortes &amp; Burges): 60,000 training and 10,000 test images of 28×28 handwritten digits, read from the
/// four original IDX files in a folder (by default <c>data/mnist/</c>, filled by <c>scripts/get-mnist.sh</c>). Pixels
/// 0..255 are scaled to [0, 1]; labels must be 0..9 and as many as the images.
/// </summary>
public static class Mnist
{
    public const string DefaultFolder = "data/mnist";
    public const int Side = 28;
    public const int Classes = 10;

    /// <summary>The file names of the (images, labels) pairs of the training and test sets, as in the original distribution.</summary>
    public static readonly (string Images, string Labels) TrainFiles = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte");
    public static readonly (string Images, string Labels) TestFiles = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /// <summary>Whether the four files (plain or gzipped) are in <paramref name="folder"/>.</summary>
    public static bool IsAvailable(string folder) =>
        new[] { TrainFiles.Images, TrainFiles.Labels, TestFiles.Images, TestFiles.Labels }.All(f => Find(folder, f) is not null);

    /// <summary>The training set and the test set.</summary>
    public static (Matrix<double> X, int[] Labels) Load(string folder, bool test)
    {
        if (!Directory.Exists(folder))
            throw new DataException($"{folder}: no such folder; run scripts/get-mnist.sh to fetch MNIST (or give --mnist-dir).");
        var (imagesName, labelsName) = test ? TestFiles : TrainFiles;
        var images = Find(folder, imagesName)
            ?? throw new DataException($"{Path.Combine(folder, imagesName)}: no such file (nor .gz); run scripts/get-mnist.sh to fetch MNIST.");
        var labelsPath = Find(folder, labelsName)
            ?? throw new DataException($"{Path.Combine(folder, labelsName)}: no such file (nor .gz); run scripts/get-mnist.sh to fetch MNIST.");
        return Read(images, labelsPath);
    }

    /// <summary>Reads one (images, labels) pair of IDX files: n×28×28 unsigned bytes and n labels in 0..9.</summary>
    public static (Matrix<double> X, int[] Labels) Read(string imagesPath, string labelsPath)
    {
        var (ld, lv) = Idx.Read(labelsPath, rank: 1);
        var (id, iv) = Idx.Read(imagesPath, rank: 3);
        if (id[1] != Side || id[2] != Side)
            throw new DataException($"{imagesPath}: images are {id[1]}×{id[2]}, expected {Side}×{Side}.");
        if (ld[0] != id[0])
            throw new DataException($"{labelsPath}: {ld[0]} labels for the {id[0]} images of {imagesPath}.");
        var labels = new int[ld[0]];
        for (int i = 0; i < labels.Length; i++)
        {
            if (lv[i] >= Classes) throw new DataException($"{labelsPath}: label {i} is {lv[i]}, outside 0..{Classes - 1}.");
            labels[i] = lv[i];
        }
        int n = id[0], d = Side * Side;
        var columnMajor = new double[(long)n * d]; // MathNet stores column-major: entry (i, j) at j·n + i
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) columnMajor[(long)j * n + i] = iv[(long)i * d + j] / 255.0;
        var x = Matrix<double>.Build.Dense(n, d, columnMajor); // binds the array, no copy
        return (x, labels);
    }

    private static string? Find(string folder, string name)
    {
        var plain = Path.Combine(folder, name);
        if (File.Exists(plain)) return plain;
        var gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }
}
