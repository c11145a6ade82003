using System.Globalization;
using System.Xml.Linq;
using MathDnn.Cli.Output;
using MathDnn.Training;

namespace MathDnn.Tests.Cli;

/// <summary>Issue 13, item 12: the title of a plot fits its width, and each legend sits in a corner no curve crosses.</summary>
public sealed class SvgPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static double D(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static List<EpochRecord> History(double[] loss, double[]? validation = null, double[]? accuracy = null) =>
        [.. loss.Select((l, i) => new EpochRecord(i + 1, l, accuracy?[i], validation?[i], null, 10))];

    // ---- titles ----

    private static (List<string> Lines, double Size, double Width, XDocument Doc) Title(string title, IReadOnlyList<EpochRecord> history)
    {
        var doc = XDocument.Parse(SvgPlot.Render(title, history, null));
        var lines = doc.Root!.Elements(Svg + "text").Where(t => (string?)t.Attribute("class") == "title").ToList();
        var sizes = lines.Select(t => D(t, "font-size")).Distinct().ToList();
        Assert.Single(sizes);
        Assert.Equal(title, (string)doc.Root!.Element(Svg + "title")!); // the full title is kept
        return ([.. lines.Select(t => t.Value)], sizes[0], D(doc.Root!, "width"), doc);
    }

    [Fact]
    public void A_short_title_is_one_line_of_14_px_as_before()
    {
        // Two panels (loss and accuracy): 880 px.
        var (lines, size, _, doc) = Title("mathdnn train --data xor: dense(2→64) → relu → dense(64→2) → softmax", History([0.7, 0.5], accuracy: [0.6, 0.8]));
        Assert.Single(lines);
        Assert.Equal(14, size);
        var line = doc.Root!.Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "title");
        Assert.Equal((10.0, 20.0), (D(line, "x"), D(line, "y")));
    }

    [Fact]
    public void The_long_title_of_a_440_px_regression_plot_is_wrapped_to_fit_and_loses_nothing()
    {
        // The case of the issue: one panel (no accuracy), so 440 px, and a title that ran past "dense(2→64) → relu → de".
        string title = "mathdnn train --data experiments/sawtooth-targets.csv: dense(2→64) → relu → dense(64→32) → relu → dense(32→1)";
        var (lines, size, width, doc) = Title(title, History([0.9, 0.4, 0.2]));
        Assert.Equal(440, width);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(SvgTitle.Width(l, size) <= width - 2 * SvgTitle.Margin, $"{l} at {size} px"));
        Assert.Equal(title, string.Join(' ', lines));
        Assert.InRange(size, SvgTitle.MinSize, SvgTitle.Size);
        // The panel starts below the second line.
        var panel = doc.Root!.Elements(Svg + "g").First();
        double top = double.Parse(((string)panel.Attribute("transform")!).Split(',')[1].TrimEnd(')'), CultureInfo.InvariantCulture);
        double lastBaseline = doc.Root!.Elements(Svg + "text").Where(t => (string?)t.Attribute("class") == "title").Max(t => D(t, "y"));
        Assert.True(top >= lastBaseline + 4, $"panel at {top}, title down to {lastBaseline}");
    }

    [Fact]
    public void A_title_too_long_for_two_lines_is_shrunk_then_cut_with_an_ellipsis()
    {
        string title = "mathdnn train --data x.csv: " + string.Join(" → ", Enumerable.Range(1, 60).Select(i => $"dense({i}→{i + 1}) → relu"));
        var (lines, size, width, _) = Title(title, History([1, 0.5], accuracy: [0.5, 0.7]));
        Assert.Equal(2, lines.Count);
        Assert.Equal(SvgTitle.MinSize, size);
        Assert.EndsWith("…", lines[1]);
        Assert.All(lines, l => Assert.True(SvgTitle.Width(l, size) <= width - 2 * SvgTitle.Margin, l));
        Assert.StartsWith(lines[0] + " " + lines[1][..^1], title);
    }

    [Fact]
    public void A_long_word_without_spaces_is_broken_inside()
    {
        string title = "/" + string.Concat(Enumerable.Repeat("a-very-long-folder-name/", 4)) + "data.csv";
        var (lines, size, width, _) = Title(title, History([1, 0.5]));
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(SvgTitle.Width(l, size) <= width - 2 * SvgTitle.Margin, l));
        Assert.Equal(title, lines[0] + lines[1]);
    }

    [Fact]
    public void The_width_estimate_grows_with_the_glyphs_and_the_size()
    {
        Assert.True(SvgTitle.Width("mmmm", 14) > SvgTitle.Width("nnnn", 14));
        Assert.True(SvgTitle.Width("nnnn", 14) > SvgTitle.Width("iiii", 14));
        Assert.Equal(2 * SvgTitle.Width("dense(2→64)", 7), SvgTitle.Width("dense(2→64)", 14), 12);
        Assert.Equal(SvgTitle.Width("ab", 12) + SvgTitle.Width("cd", 12), SvgTitle.Width("abcd", 12), 12);
    }

    // ---- legends ----

    /// <summary>The panels of the plot holding a legend: its frame (the plot area), the legend's box and the curves.</summary>
    private static List<(XElement Frame, XElement Legend, List<List<(double X, double Y)>> Curves)> Panels(string svg) =>
        [.. XDocument.Parse(svg).Root!.Elements(Svg + "g")
            .Where(g => g.Elements(Svg + "g").Any(e => (string?)e.Attribute("class") == "legend"))
            .Select(g => (
                g.Elements(Svg + "rect").First(r => (string?)r.Attribute("stroke") == "#444"),
                g.Elements(Svg + "g").Single(e => (string?)e.Attribute("class") == "legend").Element(Svg + "rect")!,
                g.Elements(Svg + "polyline").Select(p => ((string)p.Attribute("points")!).Split(' ')
                    .Select(xy => xy.Split(',')).Select(c => (double.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[1], CultureInfo.InvariantCulture))).ToList()).ToList()))];

    /// <summary>Which corner of the frame the legend is in, and that no curve passes through it (sampled every 0.25 px).</summary>
    private static string AssertLegendFree(XElement frame, XElement legend, List<List<(double X, double Y)>> curves)
    {
        double x0 = D(legend, "x"), y0 = D(legend, "y"), x1 = x0 + D(legend, "width"), y1 = y0 + D(legend, "height");
        foreach (var curve in curves)
            for (int i = 0; i < curve.Count; i++)
            {
                var (px, py) = curve[i];
                var (qx, qy) = i + 1 < curve.Count ? curve[i + 1] : curve[i];
                int steps = 1 + (int)(4 * Math.Sqrt((qx - px) * (qx - px) + (qy - py) * (qy - py)));
                for (int k = 0; k <= steps; k++)
                {
                    double x = px + (qx - px) * k / steps, y = py + (qy - py) * k / steps;
                    Assert.False(x >= x0 && x <= x1 && y >= y0 && y <= y1, $"the curve passes through the legend at ({x}, {y})");
                }
            }
        double cx = D(frame, "x") + D(frame, "width") / 2, cy = D(frame, "y") + D(frame, "height") / 2;
        Assert.True(x1 <= cx || x0 >= cx, "the legend is in a corner, not across the middle");
        return (y1 <= cy ? "top" : "bottom") + "-" + (x1 <= cx ? "left" : "right");
    }

    public static TheoryData<double[], double[]?, string> Corners => new()
    {
        // A falling loss leaves the top right free.
        { [1.0, 0.6, 0.35, 0.2, 0.1, 0.05], null, "top-right" },
        // A rising one the bottom right.
        { [0.05, 0.1, 0.2, 0.4, 0.7, 1.0], null, "bottom-right" },
        // Flat and low, then a jump at the end: only the top left is free.
        { [0.02, 0.02, 0.02, 0.02, 0.02, 1.0], null, "top-left" },
        // Training falls, validation stays high: the top left, top right and bottom right are taken.
        { [1.0, 0.6, 0.35, 0.2, 0.1, 0.05], [1.0, 0.95, 1.0, 0.95, 1.0, 1.0], "bottom-left" },
    };

    [Theory]
    [MemberData(nameof(Corners))]
    public void The_loss_legend_takes_the_corner_no_curve_crosses(double[] loss, double[]? validation, string corner)
    {
        var panel = Panels(SvgPlot.Render("t", History(loss, validation), null)).Single();
        Assert.Equal(corner, AssertLegendFree(panel.Frame, panel.Legend, panel.Curves));
    }

    [Fact]
    public void The_accuracy_legend_is_off_a_falling_accuracy()
    {
        // The old legend sat at the bottom right, where a falling accuracy ends.
        double[] accuracy = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5];
        var panels = Panels(SvgPlot.Render("t", History([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], accuracy: accuracy), null));
        Assert.Equal(2, panels.Count);
        Assert.Equal("bottom-right", AssertLegendFree(panels[0].Frame, panels[0].Legend, panels[0].Curves));
        Assert.Equal("top-right", AssertLegendFree(panels[1].Frame, panels[1].Legend, panels[1].Curves));
    }
}
