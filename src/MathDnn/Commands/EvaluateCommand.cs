using System.CommandLine;
using MathDnn.Cli.Data;
using MathDnn.Cli.Models;
using MathDnn.Cli.Output;
using MathDnn.IO;
using MathDnn.Metrics;
using MathDnn.Networks;
using MathDnn.Training;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn evaluate</c>: accuracy, loss, per-class precision / recall / F1 and the confusion matrix (002 Section 8.1)
/// of a saved classifier; RMSE, MAE and loss of a regression model (002 Sections 8.3–8.5). Without <c>--data</c>, the
/// test set of the run that produced the model (the same seeded split, or MNIST's test set).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(Shell shell)
    {
        var model = Model("The model file to evaluate.");
        var data = Option<string?>("--data", "digits, mnist, spirals, moons, xor, sawtooth or a CSV file (default: the test set of the model's training run).", helpName: "data");
        var target = Option<string?>("--target", "Regression CSV: the 1-based target column(s) (default: those of the training run).", helpName: "columns");
        var json = Json();
        var mnistDir = MnistDir();
        var command = new Command("evaluate", "Accuracy, per-class precision/recall/F1 and the confusion matrix of a saved model.")
        {
            model, data, target, json, mnistDir,
        };
        command.SetAction(parse => Cli.Guard(shell, () => Run(shell, parse.GetValue(model)!, parse.GetValue(data), parse.GetValue(target),
            parse.GetValue(json), parse.GetValue(mnistDir)!)));
        return command;
    }

    private static int Run(Shell shell, string modelPath, string? dataSpec, string? targetText, bool json, string mnistDir)
    {
        var saved = LoadModel(modelPath);
        var head = Head.ForModel(saved, modelPath);
        var (set, description) = ResolveData(saved, head, modelPath, dataSpec, targetText, mnistDir);
        CheckCompatible(saved, head, set, modelPath);
        var network = saved.Network;
        var x = Scaled(set.X, saved.InputScale);
        var dataset = head.ToDataset(set with { X = x });
        OnModel(modelPath, description, () => { new Objective(head.Loss).CheckFinite(network, x, dataset.Targets); return 0; });
        var (loss, _) = Trainer.Evaluate(network, dataset, head.Loss);

        if (head.Regression)
        {
            var predicted = network.Forward(x);
            double mse = RegressionErrors.MeanSquaredError(set.Targets!, predicted);
            double mae = RegressionErrors.MeanAbsoluteError(set.Targets!, predicted);
            if (json)
                shell.Out.WriteLine(JsonOut.Document(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("model", modelPath);
                    w.WriteString("data", description);
                    w.WriteNumber("samples", set.Count);
                    w.WriteNumber("loss", loss);
                    w.WriteNumber("mse", mse);
                    w.WriteNumber("rmse", Math.Sqrt(mse));
                    w.WriteNumber("mae", mae);
                    w.WriteEndObject();
                }));
            else
            {
                shell.Out.WriteLine($"model     {modelPath}: {network}");
                shell.Out.WriteLine($"data      {description}: {set.Count} samples");
                shell.Out.WriteLine($"loss {loss.ToString("F6", Inv)} ({head.Loss.Name}, per sample)  MSE {Fmt(mse)}  RMSE {Fmt(Math.Sqrt(mse))}  MAE {Fmt(mae)}");
            }
            return Cli.Ok;
        }

        var report = ClassificationReport.Of(set.Labels!.ToArray(), head.Predict(network, x), head.Classes);
        if (json)
        {
            shell.Out.WriteLine(JsonOut.Document(w =>
            {
                w.WriteStartObject();
                w.WriteString("model", modelPath);
                w.WriteString("data", description);
                w.WriteNumber("samples", set.Count);
                w.WriteNumber("classes", head.Classes);
                w.WriteNumber("accuracy", report.Accuracy);
                w.WriteNumber("loss", loss);
                w.WriteStartArray("per_class");
                for (int c = 0; c < report.Classes; c++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("class", c);
                    Scores(w, report.PerClass[c]);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartObject("macro_avg");
                Scores(w, report.Macro);
                w.WriteEndObject();
                w.WriteStartObject("micro_avg");
                Scores(w, report.Micro);
                w.WriteEndObject();
                w.WriteStartArray("confusion_matrix");
                var counts = report.Confusion.ToArray();
                for (int t = 0; t < report.Classes; t++)
                {
                    w.WriteStartArray();
                    for (int p = 0; p < report.Classes; p++) w.WriteNumberValue(counts[t, p]);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
            return Cli.Ok;
        }

        bool terminal = shell.OutIsTerminal;
        shell.Out.WriteLine($"model     {modelPath}: {network}");
        shell.Out.WriteLine($"data      {description}: {set.Count} samples, {head.Classes} classes");
        shell.Out.WriteLine($"accuracy  {(100 * report.Accuracy).ToString("F2", Inv)} % ({report.Confusion.Correct}/{set.Count}), loss {loss.ToString("F4", Inv)} ({head.Loss.Name}, per sample)");
        shell.Out.WriteLine();
        var scores = new TextTable("class", "precision", "recall", "f1", "support");
        for (int c = 0; c < report.Classes; c++) scores.AddRow(Row(c.ToString(Inv), report.PerClass[c]));
        scores.AddRow(Row("macro avg", report.Macro));
        scores.AddRow(Row("micro avg", report.Micro));
        scores.Write(shell.Out, terminal);
        shell.Out.WriteLine();
        shell.Out.WriteLine("confusion matrix (rows: true class, columns: predicted class)");
        var confusion = new TextTable(["true\\pred", .. Enumerable.Range(0, report.Classes).Select(c => c.ToString(Inv))]);
        var m = report.Confusion.ToArray();
        for (int t = 0; t < report.Classes; t++)
            confusion.AddRow([t.ToString(Inv), .. Enumerable.Range(0, report.Classes).Select(p => m[t, p].ToString(Inv))]);
        confusion.Write(shell.Out, terminal);
        return Cli.Ok;
    }

    private static string[] Row(string name, ClassScores s) =>
        [name, s.Precision.ToString("F4", Inv), s.Recall.ToString("F4", Inv), s.FScore.ToString("F4", Inv), s.Support.ToString(Inv)];

    private static void Scores(System.Text.Json.Utf8JsonWriter w, ClassScores s)
    {
        w.WriteNumber("precision", s.Precision);
        w.WriteNumber("recall", s.Recall);
        w.WriteNumber("f1", s.FScore);
        w.WriteNumber("support", s.Support);
    }

    /// <summary>
    /// The data to evaluate on: all of <paramref name="dataSpec"/> when given, else the test part of the model's
    /// training run (rebuilt from its "training" record: data, seed, test split).
    /// </summary>
    internal static (LoadedData Data, string Description) ResolveData(SavedModel saved, Head head, string modelPath, string? dataSpec, string? targetText, string mnistDir)
    {
        TrainingRecord? Record() => saved.Training is null ? null : TrainingRecord.FromJson(saved.Training, modelPath);
        int[]? target = targetText is not null ? ParseInts(targetText, "--target", allowNone: false) : head.Regression ? Record()?.Target?.ToArray() : null;
        if (head.Regression && target is null)
            throw new BadInputException($"{modelPath}: a regression model; give --data with a CSV file and --target with its target column(s).");
        int? classes = head.Regression ? null : head.Classes;
        if (dataSpec is not null)
        {
            var all = DataSource.Load(dataSpec, SeedOf(saved), mnistDir, target, classes);
            return all.Test is { } test ? (test, $"{dataSpec} (its test set)") : (all, dataSpec);
        }
        var record = Record() ?? throw new BadInputException($"{modelPath}: has no training record to find its test set; give --data.");
        var data = DataSource.Load(record.Data, record.Seed, mnistDir, target, classes);
        var (_, testPart) = TrainTest(data, record.TestSplit, record.Seed);
        return (testPart, data.Test is not null
            ? $"{record.Data} (its test set)"
            : $"{record.Data} (the test split of the training run: {Fmt(100 * record.TestSplit)} %, seed {record.Seed})");
    }
}
