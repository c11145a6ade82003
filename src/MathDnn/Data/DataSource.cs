using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Cli.Data;

/// <summary>
/// A data set as the command line loads it: inputs X (one sample per row) and either class labels 0..K−1
/// (classification) or real targets Y (regression), plus the official test set when the source has one (MNIST).
/// </summary>
public sealed record LoadedData(string Name, Matrix<double> X, int[]? Labels, int Classes, Matrix<double>? Targets, LoadedData? Test = null)
{
    public int Count => X.RowCount;
    public int Features => X.ColumnCount;
    public bool IsRegression => Targets is not null;

    /// <summary>"digits: 1797 samples, 64 features, 10 classes".</summary>
    public string Summary =>
        $"{Name}: {Count} samples, {Features} feature{(Features == 1 ? "" : "s")}, " +
        (IsRegression ? $"{Targets!.ColumnCount} target{(Targets.ColumnCount == 1 ? "" : "s")}" : $"{Classes} classes");
}

/// <summary>Resolves the value of <c>--data</c>: a built-in set (digits, mnist, spirals, moons, xor, sawtooth) or a CSV file.</summary>
public static class DataSource
{
    public static readonly string[] BuiltIn = ["digits", "mnist", .. Synthetic.Names];

    public static bool IsBuiltIn(string spec) => BuiltIn.Contains(spec);

    /// <param name="spec">The value of <c>--data</c>.</param>
    /// <param name="seed">Seeds the synthetic generators.</param>
    /// <param name="mnistFolder">Where the MNIST IDX files are.</param>
    /// <param name="targetColumns">For a regression CSV: the 1-based target columns (null: classification, label last).</param>
    /// <param name="classes">For a CSV, when known (a trained model's K): labels must lie in 0..K−1; otherwise K = max label + 1.
    /// Built-in sets keep their own K (the caller compares it with the model's).</param>
    public static LoadedData Load(string spec, int seed, string mnistFolder, IReadOnlyList<int>? targetColumns = null, int? classes = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new DataException("--data: empty; expected digits, mnist, spirals, moons, xor, sawtooth or a CSV file.");
        if (targetColumns is not null && IsBuiltIn(spec))
            throw new DataException($"--target: applies to CSV files only; {spec} is a classification set.");
        switch (spec)
        {
            case "digits":
            {
                var d = BuiltInData.Digits();
                return new LoadedData("digits", d.Inputs, d.Labels(), 10, null);
            }
            case "mnist":
            {
                var (x, labels) = Mnist.Load(mnistFolder, test: false);
                var (xt, lt) = Mnist.Load(mnistFolder, test: true);
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

    private static LoadedData Csv(string path, IReadOnlyList<int>? targetColumns, int? classes)
    {
        if (Directory.Exists(path)) throw new DataException($"{path}: is a folder; --data takes a CSV file or one of {string.Join(", ", BuiltIn)}.");
        if (!File.Exists(path))
            throw new DataException($"{path}: no such file (--data takes a CSV file or one of {string.Join(", ", BuiltIn)}).");
        using var reader = new StreamReader(path);
        if (targetColumns is not null)
        {
            var (x, y) = CsvData.ReadRegression(reader, path, targetColumns);
            return new LoadedData(path, x, null, 0, y);
        }
        var (xc, labels) = CsvData.ReadClassification(reader, path, classes);
        int k = classes ?? labels.Max() + 1;
        if (k < 2) throw new DataException($"{path}: every label is 0; a classifier needs at least 2 classes (or give --target for regression).");
        return new LoadedData(path, xc, labels, k, null);
    }
}
