using System.CommandLine;
using MathDnn.Activations;
using MathDnn.Cli.Models;
using MathDnn.Cli.Output;
using MathDnn.IO;
using MathDnn.Losses;
using MathDnn.Onnx;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn export</c>: a model file as an ONNX model (its input scale, if any, as a leading Mul node);
/// <c>mathdnn import</c>: an ONNX model as a model file (loss from the last layer unless --loss is given).
/// Both check their output before reading, and write it atomically: a failing command leaves an existing file as it was.
/// </summary>
internal static class OnnxCommands
{
    public static Command Export(Shell shell)
    {
        var model = Model("The model file to export.");
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write.", Required = true, HelpName = "model.onnx" };
        var precision = Option("--precision", "The tensor type of the ONNX model: float32 or float64.", () => "float32", "float32|float64");
        precision.AcceptOnlyFromAmong("float32", "float64");
        var opset = Option("--opset", $"The ONNX opset ({OnnxModel.MinimumOpset} or later; layer norm needs 17).", () => OnnxModel.DefaultOpset, "n");
        var command = new Command("export", "Write a model file as an ONNX model (Gemm, Relu, Softmax, …; see README, \"ONNX\").") { model, onnx, precision, opset };
        command.SetAction(parse => Cli.Guard(shell, () =>
        {
            string modelPath = parse.GetValue(model)!, onnxPath = parse.GetValue(onnx)!;
            using var outputs = new Outputs().Declare(onnxPath, "--onnx", (modelPath, "--model"));
            int set = parse.GetValue(opset);
            if (set < OnnxModel.MinimumOpset) throw new BadInputException($"--opset {set}: must be {OnnxModel.MinimumOpset} or later.");
            var saved = LoadModel(modelPath);
            var p = parse.GetValue(precision) == "float64" ? OnnxPrecision.Float64 : OnnxPrecision.Float32;
            byte[] bytes;
            try { bytes = OnnxModel.ToBytes(saved.Network, p, set, saved.InputScale); }
            catch (ArgumentException e) { throw new BadInputException($"{modelPath}: {e.Message}"); }
            outputs.Stage(onnxPath, s => s.Write(bytes));
            outputs.Commit();
            shell.Out.WriteLine($"wrote {onnxPath}: {saved.Network} as ONNX opset {set}, {parse.GetValue(precision)}");
            return Cli.Ok;
        }));
        return command;
    }

    public static Command Import(Shell shell)
    {
        var onnx = new Option<string>("--onnx") { Description = "The ONNX model to read.", Required = true, HelpName = "model.onnx" };
        var output = new Option<string>("--out") { Description = "The model file to write.", Required = true, HelpName = "model.json" };
        var loss = new Option<string?>("--loss") { Description = "The loss recorded in the model file (default: categorical-cross-entropy after a softmax, else squared-error).", HelpName = "name" };
        loss.AcceptOnlyFromAmong([.. LossCatalogue.Names]);
        var command = new Command("import", "Read an ONNX model (a multilayer perceptron; see README, \"ONNX\") as a model file.") { onnx, output, loss };
        command.SetAction(parse => Cli.Guard(shell, () =>
        {
            string onnxPath = parse.GetValue(onnx)!, outPath = parse.GetValue(output)!;
            using var outputs = new Outputs().Declare(outPath, "--out", (onnxPath, "--onnx"));
            if (FileCheck.ReadProblem(onnxPath) is { } problem) throw new BadInputException($"{onnxPath}: {problem}.");
            Networks.Network network;
            double? scale;
            try { network = OnnxModel.Import(File.ReadAllBytes(onnxPath), out scale); }
            catch (OnnxFormatException e) { throw new BadInputException($"{onnxPath}: {e.Message}"); }
            string lossName = parse.GetValue(loss) ?? (network.Layers[^1] is Softmax ? new CategoricalCrossEntropy().Name : new SquaredError().Name);
            if (Head.MissingOutputActivation(LossCatalogue.Parse(lossName), network) is { } needed)
                throw new BadInputException($"--loss {lossName}: needs probabilities, so the network must end in {needed.Name}, but the last layer of {onnxPath} is {network.Layers[^1].Name}.");
            outputs.Stage(outPath, s => ModelFile.Write(s, new SavedModel(network, lossName, scale)));
            outputs.Commit();
            shell.Out.WriteLine($"wrote {outPath}: {network}, loss {lossName}");
            return Cli.Ok;
        }));
        return command;
    }
}
