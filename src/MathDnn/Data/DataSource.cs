using MathDnn.Data;
using MathDnn.IO;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Cli.Data;

/// <summary>
/// A data set as the command line loads it: inputs X (one sample per row) and either class labels 0..K−1
/// (classification) or real targets Y (regression), plus the official test set when the source has one (MNIST).
/// </summary>
public sealed record LoadedData(string Name, Matrix<double> X, int[]? Labels, int Classes, Matrix<double>? Targets, LoadedData? Test = null)
{
    /// <summary>The number of samples (rows of X).</summary>
    public int Count => X.RowCount;

    /// <summary>The number of features (columns of X).</summary>
    public int Features => X.ColumnCount;

    /// <summary>True when the set has real targets Y rather than class labels.</summary>
    public bool IsRegression => Targets is not null;

    /// <summary>"digits: 1797 samples, 64 features, 10 classes".</summary>
    public string Summary =>
        $"{Name}: {Count} samples, {Features} feature{(Features == 1 ? "" : "s")}, " +
        (IsRegression ? $"{Targets!.ColumnCount} target{(Targets.ColumnCount == 1 ? "" : "s")}" : $"{Classes} classes");
}

/// <summary>
/// Resolves the value of <c>--data</c>: a built-in set (digits, mnist, spirals, moons, xor, sawtooth) or a CSV file,
/// read by the MathDnn.Data library; what is added here is the command line's: its option names and hints in messages.
/// </summary>
public static class DataSource
{
    /// <summary>Where <c>scripts/get-mnist.sh</c> puts the MNIST files: the default of <c>--mnist-dir</c>.</summary>
    public const string DefaultMnistFolder = "data/mnist";

    /// <summary>The names <c>--data</c> accepts besides a CSV path.</summary>
    public static readonly string[] BuiltIn = ["digits", "mnist", .. Synthetic.Names];

    /// <summary>Whether <paramref name="spec"/> names a built-in set rather than a file.</summary>
    public static bool IsBuiltIn(string spec) => BuiltIn.Contains(spec);

    /// <param name="spec">The value of <c>--data</c>.</param>
    /// <param name="seed">Seeds the synthetic generators.</param>
    /// <param name="mnistFolder">Where the MNIST IDX files are.</param>
    /// <param name="targetColumns">For a regression CSV: the 1-based target columns (null: classification, label last).</param>
    /// <param name="classes">For a CSV, when known (a trained model's K): labels must lie in 0..K−1; otherwise K = max label + 1.
    /// Built-in sets keep their own K (the caller compares it with the model's).</param>
    public static LoadedData Load(string spec, int seed, string mnistFolder, IReadOnlyList<int>? targetColumns = null, int? classes = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new BadInputException("--data: empty; expected digits, mnist, spirals, moons, xor, sawtooth or a CSV file.");
        if (targetColumns is not null && IsBuiltIn(spec))
            throw new BadInputException($"--target: applies to CSV files only; {spec} is a classification set.");
        switch (spec)
        {
            case "digits":
            {
                var d = BuiltInData.Digits();
                return new LoadedData("digits", d.Inputs, d.Labels(), 10, null);
            }
            case "mnist":
            {
                var (x, labels) = LoadMnist(mnistFolder, test: false);
                var (xt, lt) = LoadMnist(mnistFolder, test: true);
                var test = new LoadedData("mnist (test)", xt, lt, Mnist.Classes, null);
                return new LoadedData("mnist", x, labels, Mnist.Classes, null, test);
            }
        }
        if (Synthetic.IsName(spec))
        {
            var (x, labels, k) = Synthetic.Generate(spec, seed);
            return new LoadedData(spec, x, labels, k, null);
        }
        return Csv(spec, targetColumns, classes);
    }

    /// <summary>
    /// MNIST's training or test set from <paramref name="folder"/> (<see cref="Mnist.Read"/>), a missing folder or file
    /// reported with how to fetch the files.
    /// </summary>
    public static (Matrix<double> X, int[] Labels) LoadMnist(string folder, bool test)
    {
        if (!Directory.Exists(folder))
            throw new DataFormatException($"{folder}: no such folder; run scripts/get-mnist.sh to fetch MNIST (or give --mnist-dir).");
        var (imagesName, labelsName) = test ? Mnist.TestFiles : Mnist.TrainFiles;
        var images = Mnist.Find(folder, imagesName) ?? throw Missing(folder, imagesName);
        var labels = Mnist.Find(folder, labelsName) ?? throw Missing(folder, labelsName);
        foreach (var file in new[] { images, labels })
            if (FileCheck.ReadProblem(file) is { } problem) throw new DataFormatException($"{file}: {problem}; MNIST is read from regular files only.");
        return Mnist.Read(images, labels);
    }

    private static DataFormatException Missing(string folder, string name) =>
        new($"{Path.Combine(folder, name)}: no such file (nor .gz); run scripts/get-mnist.sh to fetch MNIST.");

    private static LoadedData Csv(string path, IReadOnlyList<int>? targetColumns, int? classes)
    {
        switch (FileCheck.KindOf(path))
        {
            case FileKind.Folder: throw new DataFormatException($"{path}: is a folder; --data takes a CSV file or one of {string.Join(", ", BuiltIn)}.");
            case FileKind.Missing: throw new DataFormatException($"{path}: no such file (--data takes a CSV file or one of {string.Join(", ", BuiltIn)}).");
        }
        // Checked before opening: a FIFO would block, a device or /proc/self/mem never yield a CSV.
        if (FileCheck.ReadProblem(path) is { } problem) throw new DataFormatException($"{path}: {problem}; --data reads regular files only.");
        using var reader = new StreamReader(path);
        if (targetColumns is not null)
        {
            var (x, y) = CsvData.ReadRegression(reader, path, targetColumns, "--target");
            return new LoadedData(path, x, null, 0, y);
        }
        var (xc, labels) = CsvData.ReadClassification(reader, path, classes);
        int k = classes ?? labels.Max() + 1;
        if (k < 2) throw new DataFormatException($"{path}: every label is 0; a classifier needs at least 2 classes (or give --target for regression).");
        return new LoadedData(path, xc, labels, k, null);
    }
}
