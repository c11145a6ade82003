using System.CommandLine;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using MathDnn.Cli.Output;
using MathDnn.Data;
using MathDnn.Theory;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn theory &lt;name&gt;</c>: runs one experiment of <see cref="TheoryExperiments"/> (seeded, pure) and prints
/// the statement it tests, a table of its headline numbers and the verdict; <c>--json</c> writes the whole result,
/// <c>--plot</c> an SVG of its plots (logarithmic axes where the experiment says, e.g. the power laws of universal and
/// robbins-monro). Without a name it lists the experiments. Exit code 0 when the statement holds, 1 when it does not.
/// </summary>
internal static class TheoryCommand
{
    /// <summary>The experiments, in the order of <see cref="TheoryExperiments.Names"/>, with one line on what each shows.</summary>
    internal static readonly (string Name, string Description)[] Experiments =
    [
        ("descent", "gradient descent with η = 1/L on convex L-smooth problems stays under L‖x₀ − x*‖²/(2t); with η > 2/L it diverges (003 Props 6.1–6.3)"),
        ("robbins-monro", "SGD on a noisy strongly convex problem: the schedule with Σ η = ∞ and Σ η² < ∞ converges at rate 1/t, a constant one plateaus (004)"),
        ("hardt", "Hardt, Recht & Singer 2016: the generalisation gap of SGD on a convex, smooth, Lipschitz loss stays under (2L²/n)·Σ η_t (logistic regression on the digits; 004)"),
        ("universal", "Cybenko 1989 and Barron 1993: one-hidden-layer sigmoid networks approximate a smooth function, mean squared error ≤ (2rC_f)²/n (004)"),
        ("telgarsky", "Telgarsky 2015: k composed tent-map ReLU networks have 2^k linear pieces and classify 2^k + 1 alternating points that shallow networks cannot (004)"),
        ("montufar", "Montúfar et al. 2014: deep ReLU networks have exponentially more linear regions than shallow ones with as many neurons (004)"),
    ];

    public static Command Create(Shell shell)
    {
        var name = new Argument<string?>("name")
        {
            Description = $"The experiment: {string.Join(", ", TheoryExperiments.Names)} (none: list them).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = Json();
        var plot = Option<string?>("--plot", "Write an SVG of the experiment's plots (log axes where its curves are power laws).", helpName: "f.svg");
        var seed = Option("--seed", "Seeds the experiment (universal is deterministic and ignores it).", () => 0, "n");
        var command = new Command("theory", "Run an experiment on a theorem of the spec (004: Robbins–Monro, Hardt, Cybenko/Barron, Telgarsky, Montúfar; 003 Section 6).")
        {
            name, json, plot, seed,
        };
        command.SetAction(parse => Cli.Guard(shell, () => Run(shell, parse.GetValue(name), parse.GetValue(json), parse.GetValue(plot), parse.GetValue(seed))));
        return command;
    }

    private static int Run(Shell shell, string? name, bool json, string? plotPath, int seed)
    {
        if (name is null)
        {
            if (plotPath is not null) throw new BadInputException("--plot: give an experiment to plot, e.g. mathdnn theory universal --plot u.svg.");
            List(shell, json);
            return Cli.Ok;
        }
        if (!TheoryExperiments.Names.Contains(name))
            throw new BadInputException($"theory {name}: unknown experiment; the experiments are {string.Join(", ", TheoryExperiments.Names)} (mathdnn theory lists them).");
        using var outputs = new Outputs().Declare(plotPath, "--plot");
        var clock = Stopwatch.StartNew();
        var result = TheoryExperiments.Run(name, seed, name == "hardt" ? BuiltInData.Digits() : null);
        return Report(shell, result, seed, json, plotPath, clock.Elapsed.TotalSeconds, outputs);
    }

    private static void List(Shell shell, bool json)
    {
        if (json)
        {
            shell.Out.WriteLine(JsonOut.Document(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("experiments");
                foreach (var (n, d) in Experiments)
                {
                    w.WriteStartObject();
                    w.WriteString("name", n);
                    w.WriteString("description", d);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
            return;
        }
        var table = new TextTable("experiment", "what it shows").AlignLeft(1);
        foreach (var (n, d) in Experiments) table.AddRow(n, d);
        table.Write(shell.Out, shell.OutIsTerminal);
        shell.Out.WriteLine("run one with: mathdnn theory <experiment> [--seed n] [--plot f.svg] [--json]");
    }

    /// <summary>Prints (or writes as JSON) a result, draws its plots (into <paramref name="outputs"/>, where --plot was declared), and returns 0 when it holds, 1 when not.</summary>
    internal static int Report(Shell shell, ITheoryResult result, int seed, bool json, string? plotPath, double seconds, Outputs? outputs = null)
    {
        if (plotPath is not null)
        {
            using var own = outputs is null ? new Outputs().Declare(plotPath, "--plot") : null;
            var set = outputs ?? own!;
            set.Stage(plotPath, SvgPlot.RenderPlots($"mathdnn theory {result.Name} --seed {seed}", result.Plots));
            set.Commit();
        }
        if (json)
            shell.Out.WriteLine(Document(result, seed, plotPath, seconds));
        else
        {
            shell.Out.WriteLine($"statement  {result.Statement}");
            shell.Out.WriteLine($"seed       {seed}");
            shell.Out.WriteLine();
            if (Headline(result) is { } table)
            {
                table.Write(shell.Out, shell.OutIsTerminal);
                shell.Out.WriteLine();
            }
            shell.Out.WriteLine($"verdict    {result.Verdict}");
            shell.Out.WriteLine(result.Holds ? "holds" : "does NOT hold");
            shell.Out.WriteLine($"{seconds.ToString("F1", Inv)} s" + (plotPath is null ? "" : $"; plot saved to {plotPath}"));
        }
        if (!result.Holds)
        {
            Cli.Fail(shell, $"theory {result.Name}: the statement does not hold (seed {seed}); see the verdict.");
            return Cli.CheckFailed;
        }
        return Cli.Ok;
    }

    private static readonly JsonSerializerOptions RecordJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// <c>{name, statement, holds, verdict, seed, seconds, plot, result: {the record's own fields}, plots: [{title,
    /// x_label, y_label, log_x, log_y, series: [{name, x, y}]}]}</c>, names in snake case.
    /// </summary>
    internal static string Document(ITheoryResult result, int seed, string? plotPath, double seconds)
    {
        var record = JsonSerializer.SerializeToElement(result, result.GetType(), RecordJson);
        string[] shared = ["name", "statement", "holds", "verdict", "plots"];
        return JsonOut.Document(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", result.Name);
            w.WriteString("statement", result.Statement);
            w.WriteBoolean("holds", result.Holds);
            w.WriteString("verdict", result.Verdict);
            w.WriteNumber("seed", seed);
            w.WriteNumber("seconds", Math.Round(seconds, 3));
            w.StringOrNull("plot", plotPath);
            w.WriteStartObject("result");
            foreach (var p in record.EnumerateObject())
                if (!shared.Contains(p.Name)) p.WriteTo(w);
            w.WriteEndObject();
            w.WritePropertyName("plots");
            JsonSerializer.SerializeToElement(result.Plots, RecordJson).WriteTo(w);
            w.WriteEndObject();
        });
    }

    /// <summary>The headline numbers of each experiment as a table (null for a result type this shell does not know).</summary>
    internal static TextTable? Headline(ITheoryResult result)
    {
        static string G(double v) => v.ToString("G4", Inv);
        static string I(long v) => v.ToString("N0", Inv);
        static string YesNo(bool b) => b ? "yes" : "NO";
        switch (result)
        {
            case DescentResult d:
            {
                var t = new TextTable("run", "L", "η·L", "outcome").AlignLeft(0, 3);
                foreach (var r in d.Convergent)
                    t.AddRow(r.Problem, G(r.L), G(r.StepSize * r.L),
                        $"gap {(r.BoundHolds ? "≤" : "NOT ≤")} L‖x₀ − x*‖²/(2t) at every t; largest gap/bound {G(r.WorstRatio)} (t = {r.WorstStep})");
                var v = d.Divergent;
                t.AddRow(v.Problem, G(v.L), G(v.StepSize * v.L),
                    $"{(v.Diverged ? "diverges" : "does NOT diverge")}: gap ×{G(v.GrowthPerStep)} per step (predicted (ηL − 1)² = {G(v.PredictedGrowthPerStep)})");
                return t;
            }
            case RobbinsMonroResult rm:
            {
                var t = new TextTable("schedule", "η_t", "Σ η = ∞", "Σ η² < ∞", "final E‖x_T − x*‖²", "tail slope").AlignLeft(0, 1);
                foreach (var s in rm.Schedules)
                    t.AddRow(s.Schedule, s.Formula, YesNo(s.Conditions.SumDiverges), YesNo(s.Conditions.SumOfSquaresConverges), G(s.FinalError), s.TailSlope.ToString("F2", Inv));
                return t;
            }
            case HardtResult h:
            {
                var t = new TextTable("n", "epochs", "steps T", "bound (2L²/n)Σ η_t", "measured gap", "± s.e.", "bound holds");
                foreach (var c in h.Cells)
                    t.AddRow(c.SampleSize.ToString(Inv), c.Epochs.ToString(Inv), I(c.Steps), G(c.Bound), G(c.MeanGap), G(c.GapStandardError), YesNo(c.BoundHolds));
                return t;
            }
            case UniversalApproximationResult u:
            {
                var t = new TextTable("width n", "sup |G − f|", "mean squared error", "Barron (2rC_f)²/n", "MSE ≤ bound");
                foreach (var p in u.Points)
                    t.AddRow(p.Width.ToString(Inv), G(p.SupError), G(p.MeanSquaredError), G(p.BarronBound), YesNo(p.MeanSquaredError <= p.BarronBound));
                t.AddRow("log–log slope", u.SupSlope.ToString("F2", Inv), u.MeanSquaredSlope.ToString("F2", Inv), "−1", "");
                return t;
            }
            case TelgarskyResult tg:
            {
                var t = new TextTable("network", "neurons", "linear pieces", "expected", "error on the task", "lower bound", "as predicted").AlignLeft(0);
                foreach (var c in tg.Compositions)
                    t.AddRow($"f^({c.K}) (deep)", c.Neurons.ToString(Inv), c.Pieces.ToString(Inv), $"2^{c.K} = {c.ExpectedPieces}",
                        c.K == tg.TaskK ? G(tg.DeepError) : "", "", YesNo(c.EqualsTentMap && c.Pieces == c.ExpectedPieces));
                foreach (var s in tg.Shallow)
                    t.AddRow($"shallow, width {s.Width}", s.Width.ToString(Inv), s.Pieces.ToString(Inv), "", G(s.Error), G(s.LowerBound), YesNo(s.BoundHolds));
                return t;
            }
            case MontufarResult m:
            {
                var t = new TextTable("depth L", "neurons", "folding network", "4^L", "shallow maximum", "Montúfar lower bound", "random deep (mean)", "random shallow (mean)");
                foreach (var d in m.Depths)
                    t.AddRow(d.Depth.ToString(Inv), d.Neurons.ToString(Inv), I(d.Constructed), I(d.ConstructedExpected), I(d.ShallowMaximum), I(d.MontufarLowerBound),
                        G(d.RandomDeepMean), G(d.RandomShallowMean));
                return t;
            }
            default:
                return null;
        }
    }
}
