using System.CommandLine;
using System.Text.Json;
using MathDnn.Calculus;
using MathDnn.Cli.Data;
using MathDnn.Cli.Models;
using MathDnn.Cli.Output;
using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn gradcheck</c>: the objective 𝒪(X, Y*, θ) = Σᵢ ξ(N(xᵢ; θ), yᵢ*) of 003 Def 5.2 (or its mean) of a saved model
/// on a data set, its gradient by backpropagation for every parameter, and per layer the largest relative error against
/// central finite differences (h = ε^{1/3}·max(1, |θ_j|), <see cref="FiniteDifferences"/>).
/// <para>
/// An entry fails when |a − d| &gt; tol·max(|a|, |d|) + 4·n_j, where n_j estimates the error of the central difference d
/// itself: the larger of |d − d₂| (d₂ the central difference with step 2h: truncation grows as h², so d₂ − d ≈ 3× the
/// truncation error of d, and a step across a ReLU kink shows there too) and q/h_j, with q the 90th percentile over
/// all entries of |d − d₂|·h (the rounding noise of evaluating 𝒪, which a central difference divides by h; for a
/// trained softmax network it is ≈ ε·Σᵢ|logits| — far above ε·|𝒪| — so tiny gradients cannot be resolved). Entries
/// finite differences cannot resolve therefore do not fail, while a wrong backpropagation does. Exit code 1 when an
/// entry fails.
/// </para>
/// </summary>
internal static class GradcheckCommand
{
    public static Command Create(Shell shell)
    {
        var model = Model("The model file.");
        var data = new Option<string>("--data")
        {
            Description = "A CSV file (features…, label) or a built-in set; every sample enters the objective (see --samples).",
            Required = true,
            HelpName = "d.csv",
        };
        var target = Option<string?>("--target", "Regression CSV: the 1-based target column(s) (default: those of the training run).", helpName: "columns");
        var samples = Option<int?>("--samples", "Use only the first n samples (finite differences cost 2·|θ| objective evaluations).", helpName: "n");
        var reduction = Option("--reduction", "sum (the objective of 003 Def 5.2) or mean over the samples.", () => "sum");
        reduction.AcceptOnlyFromAmong("sum", "mean");
        var tolerance = Option("--tolerance", "Largest relative error accepted (exit code 1 above it).", () => 1e-6);
        var json = Json();
        var mnistDir = MnistDir();
        var command = new Command("gradcheck", "Backpropagation gradients of a saved model against central finite differences, per layer.")
        {
            model, data, target, samples, reduction, tolerance, json, mnistDir,
        };
        command.SetAction(parse => Cli.Guard(shell, () => Run(shell, parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(target),
            parse.GetValue(samples), parse.GetValue(reduction) == "mean" ? Reduction.Mean : Reduction.Sum, parse.GetValue(tolerance),
            parse.GetValue(json), parse.GetValue(mnistDir)!)));
        return command;
    }

    /// <summary>The comparison of one layer's gradient with finite differences.</summary>
    internal sealed record LayerCheck(int Index, string Type, IReadOnlyList<(ParameterBlock Block, double[] Gradient)> Blocks,
        double MaxRelativeError, string Where, double Analytic, double Numeric, int Failed);

    private static int Run(Shell shell, string modelPath, string dataSpec, string? targetText, int? samples, Reduction reduction,
        double tolerance, bool json, string mnistDir)
    {
        if (!(tolerance > 0) || !double.IsFinite(tolerance)) throw new BadInputException($"--tolerance {Fmt(tolerance)}: must be a positive number.");
        if (samples is < 1) throw new BadInputException($"--samples {samples}: must be ≥ 1.");
        var saved = LoadModel(modelPath);
        var head = Head.ForModel(saved, modelPath);
        int[]? target = targetText is not null ? ParseInts(targetText, "--target", allowNone: false)
            : head.Regression && saved.Training is not null ? TrainingRecord.FromJson(saved.Training, modelPath).Target?.ToArray() : null;
        if (head.Regression && target is null) throw new BadInputException($"{modelPath}: a regression model; give --target with the CSV's target column(s).");
        var set = DataSource.Load(dataSpec, SeedOf(saved), mnistDir, target, head.Regression ? null : head.Classes);
        CheckCompatible(saved, head, set, modelPath);
        int n = Math.Min(samples ?? set.Count, set.Count);
        var x = Scaled(set.X.SubMatrix(0, n, 0, set.Features), saved.InputScale);
        var t = head.Regression ? set.Targets!.SubMatrix(0, n, 0, set.Targets.ColumnCount) : head.Targets(set.Labels!.Take(n).ToArray());

        var network = saved.Network;
        var objective = new Objective(head.Loss, reduction);
        var (value, gradient) = objective.ValueAndGradient(network, x, t);
        var f = objective.AsFunctionOfParameters(network, x, t);
        Func<Vector<double>, double> objectiveAt = theta => f.Apply(theta)[0];
        var theta0 = network.Parameters.ToVector();
        var numeric = FiniteDifferences.Gradient(objectiveAt, theta0);
        var coarse = FiniteDifferences.Gradient(objectiveAt, theta0, stepScale: 2.0);
        var layers = Compare(network, gradient, numeric, coarse, value, tolerance);
        double worst = layers.Count == 0 ? 0 : layers.Max(l => l.MaxRelativeError);
        int failed = layers.Sum(l => l.Failed);
        bool passed = failed == 0;
        string reductionName = reduction == Reduction.Sum ? "sum" : "mean";

        if (json)
        {
            shell.Out.WriteLine(JsonOut.Document(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("loss", value);
                w.WriteString("reduction", reductionName);
                w.WriteStartArray("layers");
                foreach (var l in layers)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", l.Index);
                    w.WriteString("type", l.Type);
                    foreach (var (block, g) in l.Blocks) WriteBlock(w, block, g);
                    w.WriteNumber("max_relative_error", l.MaxRelativeError);
                    w.WriteNumber("failed_entries", l.Failed);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteNumber("max_relative_error", worst);
                w.WriteNumber("tolerance", tolerance);
                w.WriteNumber("failed_entries", failed);
                w.WriteBoolean("passed", passed);
                w.WriteString("model", modelPath);
                w.WriteString("data", dataSpec);
                w.WriteNumber("samples", n);
                w.WriteString("objective", head.Loss.Name);
                w.WriteEndObject();
            }));
        }
        else
        {
            var o = shell.Out;
            o.WriteLine($"model      {modelPath}: {network}");
            o.WriteLine($"data       {dataSpec}: {n} sample(s){(n < set.Count ? $" (the first {n} of {set.Count})" : "")}");
            o.WriteLine($"objective  𝒪 = {(reduction == Reduction.Sum ? "Σᵢ" : "(1/n)·Σᵢ")} ξ(N(xᵢ; θ), yᵢ*) = {value.ToString("R", Inv)} ({head.Loss.Name}, 003 Def 5.2)");
            foreach (var l in layers)
            {
                o.WriteLine();
                o.WriteLine($"layer {l.Index} ({l.Type}): ∇𝒪 by backpropagation");
                foreach (var (block, g) in l.Blocks)
                {
                    o.WriteLine($"  {block.Name} ({block.Rows}×{block.Columns}):");
                    for (int r = 0; r < block.Rows; r++)
                        o.WriteLine("    " + string.Join(' ', Enumerable.Range(0, block.Columns).Select(c => g[r * block.Columns + c].ToString("0.000000E+00", Inv).PadLeft(14))));
                }
            }
            o.WriteLine();
            var table = new TextTable("layer", "type", "parameters", "max relative error", "at", "backprop", "finite difference", "failed").AlignLeft(1, 4);
            foreach (var l in layers)
                table.AddRow(l.Index.ToString(Inv), l.Type, l.Blocks.Sum(b => b.Block.Length).ToString(Inv), l.MaxRelativeError.ToString("0.00E+00", Inv),
                    l.Where, l.Analytic.ToString("G10", Inv), l.Numeric.ToString("G10", Inv), l.Failed.ToString(Inv));
            table.Write(o, shell.OutIsTerminal);
            o.WriteLine($"largest relative error {worst.ToString("0.00E+00", Inv)}; {failed} entr{(failed == 1 ? "y differs" : "ies differ")} by more than " +
                $"the tolerance {Fmt(tolerance)} plus the finite-difference error: {(passed ? "passed" : "FAILED")}");
        }
        if (!passed)
        {
            var bad = layers.Where(l => l.Failed > 0).MaxBy(l => l.MaxRelativeError)!;
            Cli.Fail(shell, $"gradcheck: {failed} gradient entr{(failed == 1 ? "y differs" : "ies differ")} from finite differences beyond the tolerance {Fmt(tolerance)} " +
                $"and the finite-difference error; the worst is layer {bad.Index} ({bad.Type}) {bad.Where}: backpropagation {bad.Analytic.ToString("G10", Inv)} " +
                $"vs finite differences {bad.Numeric.ToString("G10", Inv)}, relative error {bad.MaxRelativeError.ToString("0.00E+00", Inv)}.");
            return Cli.CheckFailed;
        }
        return Cli.Ok;
    }

    /// <summary>
    /// Per layer with parameters: the largest relative error |a − d| / max(|a|, |d|, 1e-8·max(1, |𝒪|)) (the floor is
    /// <see cref="GradientCheckResult.Floor"/> scaled by the objective), the entry shown (the worst failing one when some
    /// fail), and the number of failing entries (the criterion of the type's summary).
    /// </summary>
    internal static List<LayerCheck> Compare(Network network, Parameters gradient, Vector<double> numeric, Vector<double> coarse, double objective, double tolerance)
    {
        double floor = GradientCheckResult.Floor * Math.Max(1, Math.Abs(objective));
        var theta = network.Parameters;
        // q: the 90th percentile of |d − d₂|·h over the entries where the two differ (exactly equal ones, e.g. weights of
        // inputs that are always 0, carry no information about the noise).
        var scaled = Enumerable.Range(0, numeric.Count)
            .Select(j => Math.Abs(numeric[j] - coarse[j]) * FiniteDifferences.Step(theta[j]))
            .Where(v => v > 0 && double.IsFinite(v)).Order().ToArray();
        double q = scaled.Length == 0 ? 0 : scaled[(int)Math.Floor(0.9 * (scaled.Length - 1))];
        var result = new List<LayerCheck>();
        foreach (var group in theta.Layout.Blocks.GroupBy(b => b.Layer))
        {
            double worst = -1, largest = 0, analytic = 0, fd = 0;
            bool worstFails = false;
            int failed = 0;
            string where = "";
            var blocks = new List<(ParameterBlock, double[])>();
            foreach (var block in group)
            {
                var g = gradient.AsSpan().Slice(block.Offset, block.Length).ToArray();
                blocks.Add((block, g));
                for (int i = 0; i < block.Length; i++)
                {
                    int j = block.Offset + i;
                    double a = g[i], d = numeric[j];
                    double diff = Math.Abs(a - d), scale = Math.Max(Math.Abs(a), Math.Abs(d));
                    double e = diff / Math.Max(floor, scale);
                    if (double.IsNaN(e)) e = double.PositiveInfinity;
                    largest = Math.Max(largest, e);
                    double noise = Math.Max(Math.Abs(d - coarse[j]), q / FiniteDifferences.Step(theta[j]));
                    bool fails = !(diff <= tolerance * scale + 4 * noise);
                    if (fails) failed++;
                    // Show the worst failing entry when there is one, else the worst entry.
                    if ((fails && !worstFails) || (fails == worstFails && e > worst))
                    {
                        (worst, worstFails, analytic, fd) = (e, fails, a, d);
                        where = block.Rows == 1 ? $"{block.Name}[{i}]" : $"{block.Name}[{i / block.Columns}][{i % block.Columns}]";
                    }
                }
            }
            result.Add(new LayerCheck(group.Key, network.Layers[group.Key].Name, blocks, largest, where, analytic, fd, failed));
        }
        return result;
    }

    private static void WriteBlock(Utf8JsonWriter w, ParameterBlock block, double[] g)
    {
        if (block.Name == "b" && block.Rows == 1)
        {
            w.Numbers("b", g);
            return;
        }
        w.WriteStartArray(block.Name);
        for (int r = 0; r < block.Rows; r++)
        {
            w.WriteStartArray();
            for (int c = 0; c < block.Columns; c++) w.WriteNumberValue(g[r * block.Columns + c]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
