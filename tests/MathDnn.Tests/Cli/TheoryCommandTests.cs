using System.Collections.Immutable;
using System.Text.RegularExpressions;
using MathDnn.Cli;
using MathDnn.Cli.Commands;
using MathDnn.Cli.Output;
using MathDnn.Theory;

namespace MathDnn.Tests.Cli;

public class TheoryCommandTests
{
    [Fact]
    public void Theory_without_a_name_lists_every_experiment()
    {
        var r = CliHarness.Run("theory").AssertOk();
        foreach (var name in TheoryExperiments.Names) Assert.Matches($@"(?m)^{Regex.Escape(name)}\s+\S", r.Out);
        var json = CliHarness.Run("theory", "--json").AssertOk().Json();
        Assert.Equal(TheoryExperiments.Names.ToArray(), json.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray());
    }

    [Theory]
    [InlineData("descent", true, true)]
    [InlineData("robbins-monro", true, true)]
    [InlineData("hardt", true, true)]
    [InlineData("universal", true, true)]
    [InlineData("telgarsky", false, true)]
    [InlineData("montufar", false, true)]
    public void Each_experiment_holds_writes_one_JSON_document_and_an_SVG_with_the_axes_its_first_plot_asks_for(string name, bool logX, bool logY)
    {
        using var h = new CliHarness();
        var svg = h.P(name + ".svg");
        var r = CliHarness.Run("theory", name, "--json", "--plot", svg, "--seed", "1").AssertOk();
        var json = r.Json();
        Assert.Equal(name, json.GetProperty("name").GetString());
        Assert.True(json.GetProperty("holds").GetBoolean());
        Assert.Equal(1, json.GetProperty("seed").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("statement").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("verdict").GetString()));
        Assert.Equal(svg, json.GetProperty("plot").GetString());
        Assert.NotEmpty(json.GetProperty("result").EnumerateObject());
        Assert.False(json.GetProperty("result").TryGetProperty("verdict", out _)); // the shared fields are at the top, once
        var plots = json.GetProperty("plots").EnumerateArray().ToList();
        Assert.NotEmpty(plots);
        Assert.Equal((logX, logY), (plots[0].GetProperty("log_x").GetBoolean(), plots[0].GetProperty("log_y").GetBoolean()));
        int series = 0;
        foreach (var s in plots.SelectMany(p => p.GetProperty("series").EnumerateArray()))
        {
            Assert.Equal(s.GetProperty("x").GetArrayLength(), s.GetProperty("y").GetArrayLength());
            series++;
        }

        var text = File.ReadAllText(svg);
        Assert.StartsWith("<svg", text);
        Assert.EndsWith("</svg>\n", text);
        Assert.Equal(series, Regex.Matches(text, "<polyline").Count); // one curve per series
        var first = plots[0];
        Assert.Equal(logX, text.Contains(first.GetProperty("x_label").GetString() + " (log)"));
        Assert.Equal(logY, text.Contains(first.GetProperty("y_label").GetString() + " (log)"));
    }

    [Fact]
    public void Human_output_shows_the_statement_a_table_of_the_headline_numbers_and_the_verdict()
    {
        var r = CliHarness.Run("theory", "universal").AssertOk();
        Assert.StartsWith("statement  Cybenko 1989", r.Out);
        Assert.Matches(@"(?m)^width n\s+sup \|G − f\|\s+mean squared error\s+Barron \(2rC_f\)²/n\s+MSE ≤ bound$", r.Out);
        Assert.Matches(@"(?m)^256\s+\S+\s+\S+\s+\S+\s+yes$", r.Out); // the widest network of the default sizes
        Assert.Matches(@"(?m)^verdict    One-hidden-layer sigmoid networks", r.Out);
        Assert.Matches(@"(?m)^holds$", r.Out);
    }

    private sealed record Fake(bool Holds) : ITheoryResult
    {
        public string Name => "fake";
        public string Statement => "a statement";
        public string Verdict => Holds ? "it holds" : "it fails";
        public ImmutableArray<Plot> Plots => [new("p", "x", "y", true, true, [Series.Of("s", [1.0, 10, 100], [1.0, 0, 1e-2])])];
    }

    [Fact]
    public void A_result_that_does_not_hold_exits_1_with_one_line_on_stderr()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = TheoryCommand.Report(new Shell(stdout, stderr), new Fake(false), seed: 5, json: false, plotPath: null, seconds: 0);
        new CliResult(code, stdout.ToString(), stderr.ToString()).AssertFailure(1, "theory fake: the statement does not hold (seed 5)");
        Assert.Matches(@"(?m)^does NOT hold$", stdout.ToString());

        var (o2, e2) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, TheoryCommand.Report(new Shell(o2, e2), new Fake(true), seed: 5, json: true, plotPath: null, seconds: 0));
        Assert.Equal("", e2.ToString());
    }

    [Fact]
    public void On_a_log_axis_points_at_or_below_zero_are_left_out_and_counted_in_the_legend()
    {
        var svg = SvgPlot.RenderPlots("t", new Fake(true).Plots);
        // Of (1, 1), (10, 0), (100, 0.01) only two points can be drawn on a log y axis.
        Assert.Single(Regex.Matches(svg, "<polyline"));
        Assert.Equal(2, Regex.Matches(svg, "<circle").Count);
        Assert.Contains("s (1 point ≤ 0 or not finite, not drawn)", svg);
    }

    [Fact]
    public void Log_axes_mark_powers_of_ten_and_place_values_by_their_logarithm()
    {
        // Data from 1e-3 to 10 spans 4 decades: the axis runs 3 % beyond each end, 10^(−3 − 0.12) … 10^(1 + 0.12).
        var axis = SvgPlot.PlotAxis.Of([1e-3, 10], log: true, zeroBased: true);
        Assert.Equal([-3.0, -2, -1, 0, 1], axis.Ticks().Select(v => Math.Round(Math.Log10(v), 12)).ToArray());
        Assert.Equal("10⁻³", axis.Label(1e-3));
        Assert.Equal("10", axis.Label(10));
        // 10^−1 lies at (−1 + 3.12)/4.24 = 0.5 of the way.
        Assert.Equal(0.5, axis.Fraction(0.1), 12);
        // Less than a decade: widened to whole decades, here [1, 10], where √10 is halfway.
        var narrow = SvgPlot.PlotAxis.Of([2, 5], log: true, zeroBased: false);
        Assert.Equal((1.0, 10.0), (narrow.Lo, narrow.Hi));
        Assert.Equal(0.5, narrow.Fraction(Math.Sqrt(10)), 12);
        // Sixty decades: every tenth power is marked (at most nine ticks).
        var wide = SvgPlot.PlotAxis.Of([1, 1e60], log: true, zeroBased: false);
        Assert.Equal([0.0, 10, 20, 30, 40, 50, 60], wide.Ticks().Select(v => Math.Round(Math.Log10(v), 12)).ToArray());
    }

    [Fact]
    public void An_unknown_experiment_and_a_plot_without_one_are_bad_input()
    {
        CliHarness.Run("theory", "nope").AssertBadInput("theory nope: unknown experiment; the experiments are descent, robbins-monro, hardt, universal, telgarsky, montufar");
        using var h = new CliHarness();
        CliHarness.Run("theory", "--plot", h.P("x.svg")).AssertBadInput("--plot: give an experiment");
        CliHarness.Run("theory", "descent", "--plot", h.P("no/such/folder/x.svg")).AssertBadInput("--plot");
    }
}
