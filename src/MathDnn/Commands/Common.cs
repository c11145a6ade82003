using System.CommandLine;
using System.Globalization;
using MathDnn.Cli.Data;
using MathDnn.Cli.Models;
using MathDnn.Data;
using MathDnn.IO;
using MathDnn.Networks;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Cli.Commands;

/// <summary>Options and helpers shared by the commands.</summary>
internal static class Common
{
    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Option<T> Option<T>(string name, string description, Func<T>? defaultValue = null, string? helpName = null)
    {
        var o = new Option<T>(name) { Description = description };
        if (defaultValue is not null) o.DefaultValueFactory = _ => defaultValue();
        if (helpName is not null) o.HelpName = helpName;
        return o;
    }

    public static Option<bool> Json() => Option<bool>("--json", "Write one JSON document to stdout instead of the human output.");

    public static Option<string> MnistDir() =>
        Option("--mnist-dir", "The folder holding the four MNIST IDX files (scripts/get-mnist.sh fills it).", () => DataSource.DefaultMnistFolder, "folder");

    public static Option<string> Model(string description) =>
        new Option<string>("--model") { Description = description, Required = true, HelpName = "model.json" };

    /// <summary>The --data option of the commands that take a model's inputs (predict, jacobian).</summary>
    public static Option<string> InputData() =>
        new Option<string>("--data")
        {
            Description = "A CSV of inputs (the model's input width, or one more column — a label — which is ignored), or a built-in set.",
            Required = true,
            HelpName = "x.csv",
        };

    /// <summary>Whether the option was written on the command line (not just defaulted).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>"64,32" → [64, 32]; "none" or "" → [] when <paramref name="allowNone"/>. Entries must lie in [min, max].</summary>
    public static int[] ParseInts(string text, string option, bool allowNone, int min = 1, int max = 1_000_000)
    {
        var t = text.Trim();
        if (allowNone && (t.Length == 0 || t == "none")) return [];
        var parts = t.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, Inv, out values[i]) || values[i] < min || values[i] > max)
                throw new BadInputException(
                    $"{option} {text}: \"{parts[i]}\" is not an integer in {min}..{max}; expected integers separated by commas" +
                    (allowNone ? " (e.g. 64,32), or none." : "."));
        return values;
    }

    public static SavedModel LoadModel(string path) => ModelFile.Load(path);

    /// <summary>
    /// The inputs a saved model is applied to (<c>predict</c>, <c>jacobian</c>), one sample per row, unscaled: a CSV of
    /// the model's input width (or one more column, a label, which is dropped), or the test part of a built-in set.
    /// </summary>
    public static Matrix<double> ReadInputs(SavedModel saved, string modelPath, string dataSpec, string mnistDir)
    {
        int width = saved.Network.InputSize;
        if (DataSource.IsBuiltIn(dataSpec))
        {
            var d = DataSource.Load(dataSpec, SeedOf(saved), mnistDir);
            var x = (d.Test ?? d).X;
            if (x.ColumnCount != width)
                throw new BadInputException($"{modelPath}: the model takes {width} inputs per sample but {dataSpec} has {x.ColumnCount} feature column(s).");
            return x;
        }
        if (FileCheck.ReadProblem(dataSpec) is { } problem) throw new DataFormatException($"{dataSpec}: {problem}.");
        using var reader = new StreamReader(dataSpec);
        return CsvData.ReadFeatures(reader, dataSpec, width);
    }

    /// <summary>
    /// <paramref name="body"/>, which applies the model of <paramref name="modelPath"/> to <paramref name="data"/>; an output or loss
    /// that is not finite (<see cref="NonFiniteOutputException"/>) is bad input naming the model file, the data and the sample.
    /// </summary>
    public static T OnModel<T>(string modelPath, string data, Func<T> body)
    {
        try { return body(); }
        catch (NonFiniteOutputException e) { throw new BadInputException($"{modelPath}: on {data}, {e.Message}"); }
    }

    /// <summary>Inputs multiplied by the model's input scale when it has one (format v1 "input.scale").</summary>
    public static Matrix<double> Scaled(Matrix<double> x, double? scale) => scale is double s ? x * s : x;

    /// <summary>
    /// A seeded split of <paramref name="data"/> into (first, second) with about <paramref name="fraction"/> of it in the
    /// second part, stratified by class for classification (<see cref="Dataset.Split"/>).
    /// </summary>
    public static (LoadedData First, LoadedData Second) Split(LoadedData data, double fraction, int seed, string option)
    {
        var ds = data.IsRegression ? new Dataset(data.X, data.Targets!) : Dataset.FromLabels(data.X, data.Labels!, data.Classes);
        (Dataset, Dataset) parts;
        try { parts = ds.Split(fraction, seed, stratified: !data.IsRegression); }
        catch (ArgumentException e) { throw new BadInputException($"{option} {Fmt(fraction)}: {e.Message}"); }
        LoadedData Of(Dataset s) => data.IsRegression
            ? data with { X = s.Inputs, Targets = s.Targets, Test = null }
            : data with { X = s.Inputs, Labels = s.Labels(), Test = null };
        return (Of(parts.Item1), Of(parts.Item2));
    }

    /// <summary>The test part of the run a record describes: the official test set (MNIST) or the seeded split.</summary>
    public static (LoadedData Train, LoadedData Test) TrainTest(LoadedData data, double testSplit, int seed) =>
        data.Test is { } test ? (data with { Test = null }, test) : Split(data, testSplit, seed, "--test-split");

    /// <summary>The seed of the validation split, derived from the run's seed so that it differs from the test split's.</summary>
    public static int ValidationSeed(int seed) => unchecked(seed + 1);

    /// <summary>Checks that a model and a data set fit: input width, task, and classes or target columns.</summary>
    public static void CheckCompatible(SavedModel model, Head head, LoadedData data, string modelPath)
    {
        int inputs = model.Network.InputSize;
        if (data.Features != inputs)
            throw new BadInputException($"{modelPath}: the model takes {inputs} inputs per sample but {data.Name} has {data.Features} feature column(s).");
        if (head.Regression != data.IsRegression)
            throw new BadInputException(head.Regression
                ? $"{modelPath}: a regression model needs targets; give --target with a CSV file."
                : $"{modelPath}: a classifier needs class labels, but {data.Name} was read with --target (regression).");
        if (head.Regression && data.Targets!.ColumnCount != head.OutputWidth)
            throw new BadInputException($"{modelPath}: the model predicts {head.OutputWidth} target(s) but {data.Name} has {data.Targets.ColumnCount} target column(s).");
        if (!head.Regression && data.Classes > head.Classes)
            throw new BadInputException($"{modelPath}: the model has {head.Classes} classes but {data.Name} has {data.Classes}.");
    }

    /// <summary>The seed of the model's training run (it seeds the synthetic sets), 42 when the model has no record of it.</summary>
    public static int SeedOf(SavedModel model) =>
        model.Training is { } t && t.TryGetValue("seed", out var s) && s.ValueKind == System.Text.Json.JsonValueKind.Number && s.TryGetInt32(out int v) ? v : 42;

    public static string Fmt(double v) => v.ToString("G6", Inv);
}
