using System.CommandLine;
using System.Text;
using System.Text.Json;
using MathDnn.Cli.Data;
using MathDnn.Cli.Models;
using MathDnn.Cli.Output;
using MathDnn.Data;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn jacobian</c>: for every input row, the input Jacobian J_N(x) = J_{ℓ_p} ⋯ J_{ℓ_1} ∈ M_{m_p, m_0} of a saved
/// model (003 Thm 1.3), or with <c>--parameters</c> the parameter Jacobian ∂N(x; θ)/∂θ ∈ M_{m_p, |θ|} (columns in θ
/// order: per layer W row-major, then b; 003 Props 4.2–4.3), with the predicted class. Output: a summary per sample
/// (shape, Frobenius norm, largest |entry| and where), <c>--json</c> one document with every Jacobian, <c>--out</c> a
/// CSV (one line per sample and output row), and <c>--plot</c> the saliency map ∂N_c/∂x of the predicted class c beside
/// each input image (inputs of width side²). Every number comes from the core (<see cref="Network.InputJacobians"/>,
/// <see cref="Network.ParameterJacobians(Matrix{double})"/>, <see cref="Network.Forward(Matrix{double})"/>,
/// <see cref="Head.Predict"/>); with a model input scale s the Jacobian is the network's at its input s·x.
/// </summary>
internal static class JacobianCommand
{
    /// <summary>At most this many samples are drawn by <c>--plot</c>.</summary>
    public const int PlotLimit = 16;

    /// <summary>Samples are handed to the core in groups of about this many Jacobian entries (bounded memory on large sets).</summary>
    private const int ChunkEntries = 1 << 22;

    public static Command Create(Shell shell)
    {
        var model = Model("The model file.");
        var data = InputData();
        var parameters = Option<bool>("--parameters", "The parameter Jacobian ∂N(x; θ)/∂θ (m_p × |θ|, columns in θ order) instead of the input Jacobian J_N(x) (m_p × m_0).");
        var samples = Option<int?>("--samples", "Use only the first n samples.", helpName: "n");
        var json = Json();
        var output = Option<string?>("--out", "Write every Jacobian as CSV to this file (atomically): one line per sample and output row, header sample,output,d0,….", helpName: "j.csv");
        var plot = Option<string?>("--plot", $"Write an SVG of each input image beside the saliency map ∂N_c/∂x of its predicted class c (image inputs only, the first {PlotLimit} samples).", helpName: "saliency.svg");
        var mnistDir = MnistDir();
        var command = new Command("jacobian", "Input (or parameter) Jacobians of a saved model at every sample (003 Thm 1.3), with saliency maps.")
        {
            model, data, parameters, samples, json, output, plot, mnistDir,
        };
        command.SetAction(parse => Cli.Guard(shell, () => Run(shell, parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(parameters),
            parse.GetValue(samples), parse.GetValue(json), parse.GetValue(output), parse.GetValue(plot), parse.GetValue(mnistDir)!)));
        return command;
    }

    private static int Run(Shell shell, string modelPath, string dataSpec, bool parameters, int? samples, bool json,
        string? outPath, string? plotPath, string mnistDir)
    {
        // Everything that can be checked before the work is checked first, and nothing is written until it is done.
        if (json && outPath is not null)
            throw new BadInputException($"--json and --out {outPath}: give one of them; --json writes the Jacobians to stdout, --out to a CSV file.");
        if (plotPath is not null && parameters)
            throw new BadInputException($"--plot {plotPath}: draws input saliency maps; it cannot be combined with --parameters.");
        if (samples is < 1) throw new BadInputException($"--samples {samples}: must be ≥ 1.");
        string? dataFile = DataSource.IsBuiltIn(dataSpec) ? null : dataSpec;
        using var files = new Outputs()
            .Declare(plotPath, "--plot", (modelPath, "--model"), (dataFile, "--data"))
            .Declare(outPath, "--out", (modelPath, "--model"), (dataFile, "--data"));
        var saved = LoadModel(modelPath);
        var head = Head.ForModel(saved, modelPath);
        var network = saved.Network;
        int m = network.OutputSize, width = network.InputSize, columns = parameters ? network.ParameterCount : width;
        int? side = SaliencyPlot.Side(width);
        if (plotPath is not null && side is null)
            throw new BadInputException($"--plot {plotPath}: the model's input width {width} is not a perfect square; saliency maps are drawn for image inputs (e.g. 64 = 8×8, 784 = 28×28).");
        if (plotPath is not null && head.Regression)
            throw new BadInputException($"--plot {plotPath}: {modelPath} is a regression model; the saliency map is drawn for the predicted class of a classifier.");

        var all = ReadInputs(saved, modelPath, dataSpec, mnistDir);
        int n = Math.Min(samples ?? all.RowCount, all.RowCount);
        var raw = n == all.RowCount ? all : all.SubMatrix(0, n, 0, width);
        var x = Scaled(raw, saved.InputScale);
        var outputs = network.Forward(x);
        int[]? predicted = head.Regression ? null : head.Predict(network, x);
        int plotted = plotPath is null ? 0 : Math.Min(n, PlotLimit);
        var blocks = network.Parameters.Layout.Blocks;
        string kind = parameters ? "parameter Jacobian ∂N(x; θ)/∂θ" : "input Jacobian J_N(x)";

        var table = new TextTable("sample", head.Regression ? "output N(x)" : "predicted", "shape", "‖J‖_F", "max |entry|", "at").AlignLeft(5);
        var csv = outPath is null ? null : new StringBuilder();
        csv?.AppendLine(string.Join(',', new[] { "sample", "output" }.Concat(Enumerable.Range(0, columns).Select(j => $"d{j}"))));
        var maps = new List<SaliencyPlot.Sample>();

        // One pass over the samples feeds every output: the summary table, the JSON document, the CSV and the plot.
        void Visit(int s, Matrix<double> j, Utf8JsonWriter? w)
        {
            if (outputs.Row(s).Any(v => !double.IsFinite(v)))
                throw new DataFormatException($"{dataSpec}: sample {s} (data row {s + 1}): the network's output is not finite (the inputs overflow it).");
            double largest = -1;
            int atRow = 0, atColumn = 0;
            for (int r = 0; r < m; r++)
                for (int c = 0; c < columns; c++)
                {
                    double v = j[r, c];
                    // Finite inputs can still overflow a network: such a sample is named rather than written as NaN or ∞.
                    if (!double.IsFinite(v))
                        throw new DataFormatException($"{dataSpec}: sample {s} (data row {s + 1}): the {kind} has a non-finite entry at [{r}][{c}] (the inputs overflow the network).");
                    if (Math.Abs(v) > largest) (largest, atRow, atColumn) = (Math.Abs(v), r, c);
                }
            string where = parameters ? $"output {atRow}, θ[{atColumn}] = {ParameterName(network.Parameters.Layout, atColumn)}" : $"output {atRow}, input {atColumn}";
            table.AddRow(s.ToString(Inv),
                predicted is null ? string.Join(' ', outputs.Row(s).Select(v => v.ToString("G6", Inv))) : predicted[s].ToString(Inv),
                $"{m}×{columns}", j.FrobeniusNorm().ToString("G6", Inv), largest.ToString("G6", Inv), where);
            if (w is not null)
            {
                w.WriteStartObject();
                w.WriteNumber("sample", s);
                if (predicted is null) w.WriteNull("prediction");
                else w.WriteNumber("prediction", predicted[s]);
                w.Numbers("output", outputs.Row(s));
                w.WriteStartArray("jacobian");
                for (int r = 0; r < m; r++)
                {
                    w.WriteStartArray();
                    for (int c = 0; c < columns; c++) w.WriteNumberValue(j[r, c]);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            if (csv is not null)
                for (int r = 0; r < m; r++)
                {
                    csv.Append(Inv, $"{s},{r}");
                    for (int c = 0; c < columns; c++) csv.Append(',').Append(j[r, c].ToString("R", Inv));
                    csv.AppendLine();
                }
            if (s < plotted)
            {
                int row = m == 1 ? 0 : predicted![s];
                string what = m == 1 ? "∂N₀/∂x (the single output)" : $"∂N_{row}/∂x";
                maps.Add(new SaliencyPlot.Sample($"sample {s}: predicted {predicted![s]}; {what}", raw.Row(s).ToArray(), j.Row(row).ToArray()));
            }
        }

        void Pass(Utf8JsonWriter? w)
        {
            int chunk = Math.Max(1, ChunkEntries / Math.Max(1, m * columns));
            for (int start = 0; start < n; start += chunk)
            {
                int k = Math.Min(chunk, n - start);
                var part = k == n ? x : x.SubMatrix(start, k, 0, width);
                var jacobians = parameters ? network.ParameterJacobians(part) : network.InputJacobians(part);
                for (int i = 0; i < k; i++) Visit(start + i, jacobians[i], w);
            }
        }

        string? document = null;
        if (json)
        {
            document = JsonOut.Document(w =>
            {
                w.WriteStartObject();
                w.WriteString("jacobian", parameters ? "parameters" : "input");
                w.WriteNumber("rows", m);
                w.WriteNumber("columns", columns);
                w.NumberOrNull("input_scale", saved.InputScale);
                if (parameters)
                {
                    w.WriteStartArray("parameter_blocks");
                    foreach (var b in blocks)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("layer", b.Layer);
                        w.WriteString("name", b.Name);
                        w.WriteNumber("rows", b.Rows);
                        w.WriteNumber("columns", b.Columns);
                        w.WriteNumber("offset", b.Offset);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteStartArray("samples");
                Pass(w);
                w.WriteEndArray();
                w.WriteString("model", modelPath);
                w.WriteString("data", dataSpec);
                w.WriteString("network", network.ToString());
                w.StringOrNull("plot", plotPath);
                w.WriteNumber("plot_samples", plotted);
                w.WriteEndObject();
            });
        }
        else Pass(null);

        string plotNote = n > PlotLimit ? $"the first {PlotLimit} of {n} samples" : $"{n} sample(s)";
        if (plotPath is not null)
            files.Stage(plotPath, SaliencyPlot.Render(
                $"mathdnn jacobian --model {modelPath} --data {dataSpec}: {plotNote}",
                "grey: the input (black its smallest value, white its largest); colour: the row of J_N(x) of the predicted class, blue < 0 < red, scaled to its largest |entry|" +
                (saved.InputScale is double sc ? $"; derivatives with respect to the scaled input {Fmt(sc)}·x" : ""),
                maps));
        if (csv is not null) files.Stage(outPath!, csv.ToString());
        files.Commit();

        if (document is not null)
        {
            shell.Out.WriteLine(document);
            return Cli.Ok;
        }
        var o = shell.Out;
        o.WriteLine($"model      {modelPath}: {network}");
        o.WriteLine($"data       {dataSpec}: {n} sample(s){(n < all.RowCount ? $" (the first {n} of {all.RowCount})" : "")}");
        o.WriteLine(parameters
            ? $"jacobian   ∂N(x; θ)/∂θ, {m}×{columns} per sample (003 Props 4.2–4.3; columns in θ order: per layer W row-major, then b)"
            : $"jacobian   J_N(x) = J_ℓp ⋯ J_ℓ1, {m}×{columns} per sample (003 Thm 1.3)");
        if (saved.InputScale is double scale)
            o.WriteLine($"input      scaled by {Fmt(scale)}: the derivatives are with respect to the network's input {Fmt(scale)}·x");
        o.WriteLine();
        table.Write(o, shell.OutIsTerminal);
        if (outPath is not null) o.WriteLine($"CSV saved to {outPath} ({n} sample(s) × {m} output row(s), {columns} columns d0…d{columns - 1})");
        if (plotPath is not null)
            o.WriteLine($"plot saved to {plotPath} ({plotNote}{(n > PlotLimit ? $"; --plot draws at most {PlotLimit}" : "")})");
        return Cli.Ok;
    }

    /// <summary>Names θ_j by its block (<see cref="ParameterLayout.Locate"/>): "layer 2 W[3][1]" or "layer 2 b[3]".</summary>
    private static string ParameterName(ParameterLayout layout, int j)
    {
        var (block, row, column) = layout.Locate(j);
        return block.Rows == 1 && block.Name == "b" ? $"layer {block.Layer} b[{column}]" : $"layer {block.Layer} {block.Name}[{row}][{column}]";
    }
}
