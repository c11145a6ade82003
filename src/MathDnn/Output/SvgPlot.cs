using System.Globalization;
using System.Security;
using System.Text;
using MathDnn.Cli.Models;
using MathDnn.Networks;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Cli.Output;

/// <summary>The points of a 2-D classification set to draw over the decision regions.</summary>
internal sealed record RegionsData(Network Network, Head Head, Matrix<double> TrainX, int[] TrainLabels, Matrix<double> TestX, int[] TestLabels);

/// <summary>
/// Self-contained SVG plots (no image library, they open in any browser): the loss and accuracy curves of a run
/// (training and validation), and for a 2-D classification set the decision regions of the network with the
/// training points (filled) and test points (hollow), at most 1500 and 500 of them; and the plots of a theory
/// experiment (<see cref="RenderPlots"/>), with linear or logarithmic axes as each plot says. The title fits the width
/// (<see cref="SvgTitle"/>: two lines, then smaller, then cut with "…"), and the legend of the curves takes the corner
/// of the plot where no curve is (<see cref="LegendCorner"/>).
/// </summary>
internal static class SvgPlot
{
    private const int PanelWidth = 440, PanelHeight = 320, Left = 62, Right = 16, Top = 34, Bottom = 46;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(string title, IReadOnlyList<EpochRecord> history, RegionsData? regions)
    {
        var panels = new List<Action<StringBuilder>>
        {
            sb => Curves(sb, "loss (per sample)", history, r => r.Loss, r => r.ValidationLoss, unitInterval: false),
        };
        if (history.Any(r => r.Accuracy is not null || r.ValidationAccuracy is not null))
            panels.Add(sb => Curves(sb, "accuracy", history, r => r.Accuracy, r => r.ValidationAccuracy, unitInterval: true));
        if (regions is not null && regions.TrainX.ColumnCount == 2)
            panels.Add(sb => Regions(sb, regions));
        int width = panels.Count * PanelWidth;
        var header = SvgTitle.Fit(title, width);
        int height = PanelHeight + header.Height;
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        SvgTitle.AppendDocumentTitle(svg, title);
        svg.Append(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        SvgTitle.AppendLines(svg, header);
        for (int i = 0; i < panels.Count; i++)
        {
            svg.Append(Inv, $"<g transform=\"translate({i * PanelWidth},{header.Height})\">\n");
            panels[i](svg);
            svg.Append("</g>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Curves(StringBuilder sb, string name, IReadOnlyList<EpochRecord> history,
        Func<EpochRecord, double?> train, Func<EpochRecord, double?> validation, bool unitInterval)
    {
        var values = history.SelectMany(r => new[] { train(r), validation(r) }).OfType<double>().ToList();
        double lo = values.Count == 0 ? 0 : values.Min(), hi = values.Count == 0 ? 1 : values.Max();
        if (unitInterval) { lo = Math.Max(0, Math.Floor(lo * 20) / 20); hi = 1; }
        else if (lo >= 0) lo = 0;
        if (hi - lo < 1e-12) { hi = lo + 1; }
        double x0 = history.Count == 0 ? 0 : history[0].Epoch, x1 = history.Count == 0 ? 1 : history[^1].Epoch;
        if (x1 <= x0) { x0 -= 0.5; x1 += 0.5; }
        var frame = new Frame(x0, x1, lo, hi);
        Axes(sb, frame, name, "epoch");
        var entries = new List<(string Label, string Colour)>();
        var curves = new List<IReadOnlyList<(double X, double Y)>>();
        foreach (var (value, colour, label) in new[] { (train, Palette[0], "training"), (validation, Palette[1], "validation") })
        {
            var points = history.Where(r => value(r) is not null).Select(r => (X: frame.X(r.Epoch), Y: frame.Y(value(r)!.Value))).ToList();
            if (points.Count == 0) continue;
            sb.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"");
            sb.AppendJoin(' ', points.Select(p => $"{N(p.X)},{N(p.Y)}"));
            sb.Append("\"/>\n");
            if (points.Count <= 60)
                foreach (var p in points) sb.Append($"<circle cx=\"{N(p.X)}\" cy=\"{N(p.Y)}\" r=\"2.5\" fill=\"{colour}\"/>\n");
            entries.Add((label, colour));
            curves.Add(points);
        }
        Legend(sb, entries, curves, Left, PanelWidth - Right, Top, PanelHeight - Bottom);
    }

    /// <summary>The corners of a plot a legend can take, in the order preferred when several are free.</summary>
    internal enum Corner { TopRight, BottomRight, TopLeft, BottomLeft }

    /// <summary>
    /// The legend (a framed box, one line and label per curve) in the corner of the plot area [l, r] × [t, b] where the
    /// curves are not (<see cref="LegendCorner"/>).
    /// </summary>
    private static void Legend(StringBuilder sb, IReadOnlyList<(string Label, string Colour)> entries,
        IReadOnlyList<IReadOnlyList<(double X, double Y)>> curves, double l, double r, double t, double b)
    {
        if (entries.Count == 0) return;
        double w = 42 + entries.Max(e => SvgTitle.Width(e.Label, 12)), h = 8 + 16 * entries.Count;
        var corner = LegendCorner(curves, w, h, l, r, t, b);
        var (x, y) = LegendBox(corner, w, h, l, r, t, b);
        sb.Append($"<g class=\"legend\"><rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n");
        for (int k = 0; k < entries.Count; k++)
        {
            double baseline = y + 16 + 16 * k;
            sb.Append($"<line x1=\"{N(x + 8)}\" y1=\"{N(baseline - 4)}\" x2=\"{N(x + 28)}\" y2=\"{N(baseline - 4)}\" stroke=\"{entries[k].Colour}\" stroke-width=\"2\"/>");
            sb.Append($"<text x=\"{N(x + 34)}\" y=\"{N(baseline)}\">{Esc(entries[k].Label)}</text>\n");
        }
        sb.Append("</g>\n");
    }

    /// <summary>The top-left point of a legend of w × h in <paramref name="corner"/> of [l, r] × [t, b], 6 px from its sides.</summary>
    internal static (double X, double Y) LegendBox(Corner corner, double w, double h, double l, double r, double t, double b)
    {
        const double pad = 6;
        return corner switch
        {
            Corner.TopRight => (r - pad - w, t + pad),
            Corner.BottomRight => (r - pad - w, b - pad - h),
            Corner.TopLeft => (l + pad, t + pad),
            _ => (l + pad, b - pad - h),
        };
    }

    /// <summary>
    /// The corner whose legend box (grown by the 2.5-px radius of the point markers and half the line width) the curves
    /// cross least: the length of the curves' segments inside it, plus 1 per point inside; the first free corner of
    /// <see cref="Corner"/>'s order when there is one.
    /// </summary>
    internal static Corner LegendCorner(IReadOnlyList<IReadOnlyList<(double X, double Y)>> curves, double w, double h, double l, double r, double t, double b)
    {
        const double grow = 3;
        var best = Corner.TopRight;
        double bestScore = double.PositiveInfinity;
        foreach (var corner in Enum.GetValues<Corner>())
        {
            var (x, y) = LegendBox(corner, w, h, l, r, t, b);
            double x0 = x - grow, x1 = x + w + grow, y0 = y - grow, y1 = y + h + grow, score = 0;
            foreach (var curve in curves)
            {
                foreach (var p in curve)
                    if (p.X >= x0 && p.X <= x1 && p.Y >= y0 && p.Y <= y1) score += 1;
                for (int i = 1; i < curve.Count; i++) score += ClippedLength(curve[i - 1], curve[i], x0, x1, y0, y1);
            }
            if (score < bestScore) (best, bestScore) = (corner, score);
            if (score == 0) break;
        }
        return best;
    }

    /// <summary>The length of the segment p–q inside the rectangle [x0, x1] × [y0, y1] (Liang–Barsky clipping).</summary>
    internal static double ClippedLength((double X, double Y) p, (double X, double Y) q, double x0, double x1, double y0, double y1)
    {
        double dx = q.X - p.X, dy = q.Y - p.Y, lo = 0, hi = 1;
        foreach (var (d, e) in new[] { (-dx, p.X - x0), (dx, x1 - p.X), (-dy, p.Y - y0), (dy, y1 - p.Y) })
        {
            if (d == 0)
            {
                if (e < 0) return 0;
                continue;
            }
            double u = e / d;
            if (d < 0) lo = Math.Max(lo, u);
            else hi = Math.Min(hi, u);
            if (lo > hi) return 0;
        }
        return (hi - lo) * Math.Sqrt(dx * dx + dy * dy);
    }

    private static void Regions(StringBuilder sb, RegionsData d)
    {
        var all = d.TrainX.Stack(d.TestX);
        double xmin = all.Column(0).Minimum(), xmax = all.Column(0).Maximum();
        double ymin = all.Column(1).Minimum(), ymax = all.Column(1).Maximum();
        double px = Math.Max(1e-6, 0.08 * (xmax - xmin)), py = Math.Max(1e-6, 0.08 * (ymax - ymin));
        var f = new Frame(xmin - px, xmax + px, ymin - py, ymax + py);
        const int cells = 120;
        var grid = Matrix<double>.Build.Dense(cells * cells, 2, (k, j) =>
            j == 0 ? f.X0 + (k % cells + 0.5) * (f.X1 - f.X0) / cells : f.Y0 + (k / cells + 0.5) * (f.Y1 - f.Y0) / cells);
        var classes = d.Head.Predict(d.Network, grid);
        double cw = (double)(PanelWidth - Left - Right) / cells, ch = (double)(PanelHeight - Top - Bottom) / cells;
        sb.Append("<g opacity=\"0.3\" shape-rendering=\"crispEdges\">\n");
        for (int row = 0; row < cells; row++)
        {
            int start = 0;
            for (int col = 1; col <= cells; col++)
            {
                if (col < cells && classes[row * cells + col] == classes[row * cells + start]) continue;
                int c = classes[row * cells + start];
                double x = Left + start * cw, y = PanelHeight - Bottom - (row + 1) * ch;
                sb.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N((col - start) * cw + 0.3)}\" height=\"{N(ch + 0.3)}\" fill=\"{Palette[c % Palette.Length]}\"/>\n");
                start = col;
            }
        }
        sb.Append("</g>\n");
        Axes(sb, f, "decision regions (● training, ○ test)", "x₁", "x₂");
        void Points(Matrix<double> x, int[] labels, bool hollow, int cap)
        {
            int stride = (x.RowCount + cap - 1) / cap; // at most `cap` points, evenly spread, so the file stays small
            for (int i = 0; i < x.RowCount; i += stride)
            {
                string colour = Palette[labels[i] % Palette.Length];
                sb.Append(hollow
                    ? $"<circle cx=\"{N(f.X(x[i, 0]))}\" cy=\"{N(f.Y(x[i, 1]))}\" r=\"2.6\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"1.2\"/>\n"
                    : $"<circle cx=\"{N(f.X(x[i, 0]))}\" cy=\"{N(f.Y(x[i, 1]))}\" r=\"2.2\" fill=\"{colour}\" stroke=\"#333\" stroke-width=\"0.3\"/>\n");
            }
        }
        Points(d.TrainX, d.TrainLabels, hollow: false, cap: 1500);
        Points(d.TestX, d.TestLabels, hollow: true, cap: 500);
    }

    // ---- the plots of a theory experiment ----

    private const int PlotWidth = 480, PlotHeight = 300, LegendRow = 16;

    /// <summary>
    /// The plots of a theory experiment side by side, each with its own axes: logarithmic where the plot says so
    /// (<see cref="MathDnn.Theory.Plot.LogX"/>, <see cref="MathDnn.Theory.Plot.LogY"/>: power laws become straight lines),
    /// linear otherwise, and the legend under the axes. On a logarithmic axis the points with a value ≤ 0 cannot be
    /// drawn and are left out (the legend says how many).
    /// </summary>
    public static string RenderPlots(string title, IReadOnlyList<MathDnn.Theory.Plot> plots)
    {
        int rows = plots.Count == 0 ? 0 : plots.Max(p => p.Series.Length);
        int width = Math.Max(1, plots.Count) * PlotWidth;
        var header = SvgTitle.Fit(title, width);
        int height = header.Height + PlotHeight + rows * LegendRow + 12;
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        SvgTitle.AppendDocumentTitle(svg, title);
        svg.Append(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        SvgTitle.AppendLines(svg, header);
        for (int i = 0; i < plots.Count; i++)
        {
            svg.Append(Inv, $"<g transform=\"translate({i * PlotWidth},{header.Height})\">\n");
            PlotPanel(svg, plots[i]);
            svg.Append("</g>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void PlotPanel(StringBuilder sb, MathDnn.Theory.Plot plot)
    {
        bool Drawable(double x, double y) =>
            double.IsFinite(x) && double.IsFinite(y) && (!plot.LogX || x > 0) && (!plot.LogY || y > 0);
        var kept = plot.Series.Select(s => Enumerable.Range(0, s.X.Length).Where(i => Drawable(s.X[i], s.Y[i])).ToList()).ToList();
        var xs = plot.Series.SelectMany((s, j) => kept[j].Select(i => s.X[i])).ToList();
        var ys = plot.Series.SelectMany((s, j) => kept[j].Select(i => s.Y[i])).ToList();
        var ax = PlotAxis.Of(xs, plot.LogX, zeroBased: false);
        var ay = PlotAxis.Of(ys, plot.LogY, zeroBased: true);
        double l = Left, r = PlotWidth - Right, t = Top, b = PlotHeight - Bottom;
        double X(double v) => l + ax.Fraction(v) * (r - l);
        double Y(double v) => b - ay.Fraction(v) * (b - t);

        sb.Append($"<text x=\"{N((l + r) / 2)}\" y=\"{N(t - 12)}\" text-anchor=\"middle\" font-weight=\"bold\">{Esc(plot.Title)}</text>\n");
        sb.Append($"<rect x=\"{N(l)}\" y=\"{N(t)}\" width=\"{N(r - l)}\" height=\"{N(b - t)}\" fill=\"none\" stroke=\"#444\"/>\n");
        foreach (var v in ax.Ticks())
        {
            double x = X(v);
            sb.Append($"<line x1=\"{N(x)}\" y1=\"{N(t)}\" x2=\"{N(x)}\" y2=\"{N(b + 4)}\" stroke=\"#eee\"/>");
            sb.Append($"<text x=\"{N(x)}\" y=\"{N(b + 17)}\" text-anchor=\"middle\">{ax.Label(v)}</text>\n");
        }
        foreach (var v in ay.Ticks())
        {
            double y = Y(v);
            sb.Append($"<line x1=\"{N(l - 4)}\" y1=\"{N(y)}\" x2=\"{N(r)}\" y2=\"{N(y)}\" stroke=\"#ddd\"/>");
            sb.Append($"<text x=\"{N(l - 7)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{ay.Label(v)}</text>\n");
        }
        string Scale(bool log) => log ? " (log)" : "";
        sb.Append($"<text x=\"{N((l + r) / 2)}\" y=\"{N(b + 36)}\" text-anchor=\"middle\">{Esc(plot.XLabel + Scale(plot.LogX))}</text>\n");
        sb.Append($"<text x=\"14\" y=\"{N((t + b) / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {N((t + b) / 2)})\">{Esc(plot.YLabel + Scale(plot.LogY))}</text>\n");

        for (int j = 0; j < plot.Series.Length; j++)
        {
            var s = plot.Series[j];
            string colour = Palette[j % Palette.Length];
            var points = kept[j].Select(i => (X: X(s.X[i]), Y: Y(s.Y[i]))).ToList();
            if (points.Count > 0)
            {
                sb.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"");
                sb.AppendJoin(' ', points.Select(p => $"{N(p.X)},{N(p.Y)}"));
                sb.Append("\"/>\n");
                if (points.Count <= 40)
                    foreach (var p in points) sb.Append($"<circle cx=\"{N(p.X)}\" cy=\"{N(p.Y)}\" r=\"2.5\" fill=\"{colour}\"/>\n");
            }
            int left = s.X.Length - kept[j].Count;
            string label = s.Name + (left > 0 ? $" ({left} point{(left == 1 ? "" : "s")} ≤ 0 or not finite, not drawn)" : "");
            double ly = PlotHeight + 8 + j * LegendRow;
            sb.Append($"<line x1=\"{N(l)}\" y1=\"{N(ly - 4)}\" x2=\"{N(l + 20)}\" y2=\"{N(ly - 4)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            sb.Append($"<text x=\"{N(l + 26)}\" y=\"{N(ly)}\">{Esc(label)}</text>\n");
        }
    }

    /// <summary>One axis of a theory plot: its range and whether it is logarithmic (whole decades then).</summary>
    internal sealed record PlotAxis(double Lo, double Hi, bool Log)
    {
        public static PlotAxis Of(IReadOnlyList<double> values, bool log, bool zeroBased)
        {
            if (values.Count == 0) return log ? new PlotAxis(1, 10, true) : new PlotAxis(0, 1, false);
            double lo = values.Min(), hi = values.Max();
            if (log)
            {
                // The data's range with a small margin; at least one whole decade around it, so that a power of ten is marked.
                double a = Math.Log10(lo), b = Math.Log10(hi);
                if (b - a < 1) (a, b) = (Math.Floor(a), Math.Max(Math.Ceiling(b), Math.Floor(a) + 1));
                else (a, b) = (a - 0.03 * (b - a), b + 0.03 * (b - a));
                return new PlotAxis(Math.Pow(10, a), Math.Pow(10, b), true);
            }
            if (zeroBased && lo >= 0 && lo <= 0.3 * hi) lo = 0;
            if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi))) { lo -= 0.5; hi += 0.5; }
            double pad = lo == 0 && zeroBased ? 0 : 0.04 * (hi - lo);
            return new PlotAxis(lo - pad, hi + 0.04 * (hi - lo), false);
        }

        /// <summary>Where <paramref name="v"/> lies between the ends of the axis, 0 at <see cref="Lo"/> and 1 at <see cref="Hi"/>.</summary>
        public double Fraction(double v) => Log
            ? (Math.Log10(v) - Math.Log10(Lo)) / (Math.Log10(Hi) - Math.Log10(Lo))
            : (v - Lo) / (Hi - Lo);

        /// <summary>Linear: about five nice values; logarithmic: the powers of ten inside, every k-th one (k = 1, 2, 3, 5, 10, …) so that at most nine are marked.</summary>
        public IEnumerable<double> Ticks()
        {
            if (!Log) return SvgPlot.Ticks(Lo, Hi);
            double a = Math.Log10(Lo), b = Math.Log10(Hi);
            int step = new[] { 1, 2, 3, 5, 10, 20, 25, 50, 100 }.FirstOrDefault(k => (b - a) / k <= 8, 200);
            int first = (int)Math.Ceiling(a / step - 1e-9) * step;
            return Enumerable.Range(0, (int)Math.Floor((b - first) / step + 1e-9) + 1).Select(i => Math.Pow(10, first + i * step));
        }

        /// <summary>"10⁻³" on a logarithmic axis, the shortest decimal otherwise.</summary>
        public string Label(double v)
        {
            if (!Log) return SvgPlot.Label(v);
            int e = (int)Math.Round(Math.Log10(v));
            if (e is >= 0 and <= 3) return SvgPlot.Label(Math.Pow(10, e));
            const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
            var exponent = string.Concat(Math.Abs(e).ToString(Inv).Select(c => digits[c - '0']));
            return "10" + (e < 0 ? "⁻" : "") + exponent;
        }
    }

    private sealed record Frame(double X0, double X1, double Y0, double Y1)
    {
        public double X(double v) => Left + (v - X0) / (X1 - X0) * (PanelWidth - Left - Right);
        public double Y(double v) => PanelHeight - Bottom - (v - Y0) / (Y1 - Y0) * (PanelHeight - Top - Bottom);
    }

    private static void Axes(StringBuilder sb, Frame f, string title, string xLabel, string? yLabel = null)
    {
        double l = Left, r = PanelWidth - Right, t = Top, b = PanelHeight - Bottom;
        sb.Append($"<text x=\"{N((l + r) / 2)}\" y=\"{N(t - 12)}\" text-anchor=\"middle\" font-weight=\"bold\">{Esc(title)}</text>\n");
        sb.Append($"<rect x=\"{N(l)}\" y=\"{N(t)}\" width=\"{N(r - l)}\" height=\"{N(b - t)}\" fill=\"none\" stroke=\"#444\"/>\n");
        foreach (var v in Ticks(f.X0, f.X1))
        {
            double x = f.X(v);
            sb.Append($"<line x1=\"{N(x)}\" y1=\"{N(b)}\" x2=\"{N(x)}\" y2=\"{N(b + 4)}\" stroke=\"#444\"/>");
            sb.Append($"<text x=\"{N(x)}\" y=\"{N(b + 17)}\" text-anchor=\"middle\">{Label(v)}</text>\n");
        }
        foreach (var v in Ticks(f.Y0, f.Y1))
        {
            double y = f.Y(v);
            sb.Append($"<line x1=\"{N(l - 4)}\" y1=\"{N(y)}\" x2=\"{N(r)}\" y2=\"{N(y)}\" stroke=\"#ddd\"/>");
            sb.Append($"<text x=\"{N(l - 7)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{Label(v)}</text>\n");
        }
        sb.Append($"<text x=\"{N((l + r) / 2)}\" y=\"{N(b + 36)}\" text-anchor=\"middle\">{Esc(xLabel)}</text>\n");
        if (yLabel is not null)
            sb.Append($"<text x=\"14\" y=\"{N((t + b) / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {N((t + b) / 2)})\">{Esc(yLabel)}</text>\n");
    }

    /// <summary>About five "nice" tick values (1, 2 or 5 times a power of ten) inside [lo, hi].</summary>
    internal static IEnumerable<double> Ticks(double lo, double hi)
    {
        double span = hi - lo, raw = span / 5, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        for (double v = Math.Ceiling(lo / step) * step; v <= hi + step * 1e-9; v += step)
            yield return Math.Abs(v) < step * 1e-9 ? 0 : v;
    }

    private static string Label(double v) => v.ToString("G4", Inv);
    private static string N(double v) => v.ToString("0.##", Inv);
    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
