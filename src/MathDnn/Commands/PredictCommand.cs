using System.CommandLine;
using System.Text;
using MathDnn.Cli.Data;
using MathDnn.Cli.Models;
using MathDnn.Cli.Output;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn predict</c>: the class probabilities of every input row as CSV (header p0,…,p{K−1},predicted; doubles in
/// their shortest round-trip form), or the predicted values of a regression model (header y1,…).
/// </summary>
internal static class PredictCommand
{
    public static Command Create(Shell shell)
    {
        var model = Model("The model file.");
        var data = InputData();
        var output = Option<string?>("--out", "Write the CSV to this file (atomically) instead of stdout.", helpName: "predictions.csv");
        var mnistDir = MnistDir();
        var command = new Command("predict", "Class probabilities (or regression outputs) of a saved model, as CSV.") { model, data, output, mnistDir };
        command.SetAction(parse => Cli.Guard(shell, () =>
            Run(shell, parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(output), parse.GetValue(mnistDir)!)));
        return command;
    }

    private static int Run(Shell shell, string modelPath, string dataSpec, string? outPath, string mnistDir)
    {
        using var outputs = new Outputs().Declare(outPath, "--out", (modelPath, "--model"), (DataSource.IsBuiltIn(dataSpec) ? null : dataSpec, "--data"));
        var saved = LoadModel(modelPath);
        var head = Head.ForModel(saved, modelPath);
        var x = ReadInputs(saved, modelPath, dataSpec, mnistDir);
        var p = OnModel(modelPath, dataSpec, () => head.Probabilities(saved.Network, Scaled(x, saved.InputScale)));
        var csv = new StringBuilder();
        if (head.Regression)
        {
            csv.AppendLine(string.Join(',', Enumerable.Range(1, p.ColumnCount).Select(j => $"y{j}")));
            for (int i = 0; i < p.RowCount; i++)
                csv.AppendLine(string.Join(',', Enumerable.Range(0, p.ColumnCount).Select(j => p[i, j].ToString("R", Inv))));
        }
        else
        {
            var predicted = head.Predict(saved.Network, Scaled(x, saved.InputScale));
            csv.AppendLine(string.Join(',', Enumerable.Range(0, p.ColumnCount).Select(j => $"p{j}").Append("predicted")));
            for (int i = 0; i < p.RowCount; i++)
                csv.AppendLine(string.Join(',', Enumerable.Range(0, p.ColumnCount).Select(j => p[i, j].ToString("R", Inv)).Append(predicted[i].ToString(Inv))));
        }
        if (outPath is null) shell.Out.Write(csv.ToString());
        else
        {
            outputs.Stage(outPath, csv.ToString());
            outputs.Commit();
        }
        return Cli.Ok;
    }
}
