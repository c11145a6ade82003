using System.Globalization;
using System.Security;
using System.Text;

namespace MathDnn.Cli.Output;

/// <summary>
/// A self-contained SVG of saliency maps (<c>mathdnn jacobian --plot</c>): per sample, its input drawn as a grey image
/// (black its smallest value, white its largest) and beside it one row of a Jacobian drawn with a diverging colour map
/// (blue negative, white 0, red positive, symmetric about 0 and scaled to the largest |entry| of that map), with the
/// sample's title above the pair. Inputs of width side² are drawn as side×side images, row-major. Each sample is a
/// <c>&lt;g class="sample"&gt;</c> holding a <c>&lt;g class="input"&gt;</c> and a <c>&lt;g class="saliency"&gt;</c>.
/// The plot draws what it is given: it computes nothing but colours.
/// </summary>
internal static class SaliencyPlot
{
    /// <summary>One sample: its title, its input (side² values) and the Jacobian row to draw beside it (side² values).</summary>
    internal sealed record Sample(string Title, IReadOnlyList<double> Input, IReadOnlyList<double> Map);

    private const int Image = 168, Gap = 16, Bar = 12, BarLabels = 80, PairsPerRow = 2, TitleHeight = 22, Margin = 16;
    private const int PairWidth = Image + Gap + Image + 8 + Bar + BarLabels, PairHeight = TitleHeight + Image + 26;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // ColorBrewer RdBu (5 classes), from −1 to +1: blue, light blue, near-white, light red, red.
    private static readonly (double At, int R, int G, int B)[] Diverging =
        [(-1, 0x05, 0x71, 0xb0), (-0.5, 0x92, 0xc5, 0xde), (0, 0xf7, 0xf7, 0xf7), (0.5, 0xf4, 0xa5, 0x82), (1, 0xca, 0x00, 0x20)];

    /// <summary>The side of the square image of <paramref name="width"/> values, or null when the width is not a perfect square.</summary>
    public static int? Side(int width)
    {
        if (width < 1) return null;
        int side = (int)Math.Round(Math.Sqrt(width));
        return side * side == width ? side : null;
    }

    public static string Render(string title, string note, IReadOnlyList<Sample> samples)
    {
        int width = Margin * 2 + PairsPerRow * PairWidth;
        int rows = (samples.Count + PairsPerRow - 1) / PairsPerRow;
        var titleLayout = SvgTitle.Fit(title, width - 2 * (Margin - SvgTitle.Margin));
        int header = titleLayout.Height + 28; // the title, then the note
        int height = header + Math.Max(1, rows) * PairHeight + Margin;
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append("<defs><linearGradient id=\"diverging\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
        foreach (var (at, r, g, b) in Diverging)
            sb.Append(Inv, $"<stop offset=\"{N((at + 1) / 2)}\" stop-color=\"#{r:x2}{g:x2}{b:x2}\"/>");
        sb.Append("</linearGradient></defs>\n");
        SvgTitle.AppendDocumentTitle(sb, title);
        sb.Append(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        SvgTitle.AppendLines(sb, titleLayout, Margin);
        sb.Append(Inv, $"<text x=\"{Margin}\" y=\"{titleLayout.Height + 14}\" fill=\"#444\">{Esc(note)}</text>\n");
        for (int i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            int side = Side(s.Input.Count) ?? throw new ArgumentException($"SaliencyPlot: sample {i} has {s.Input.Count} values, not a perfect square.");
            if (s.Map.Count != s.Input.Count) throw new ArgumentException($"SaliencyPlot: sample {i}: the map has {s.Map.Count} values, the input {s.Input.Count}.");
            int x = Margin + i % PairsPerRow * PairWidth, y = header + i / PairsPerRow * PairHeight;
            sb.Append(Inv, $"<g class=\"sample\" transform=\"translate({x},{y})\">\n");
            sb.Append(Inv, $"<text x=\"0\" y=\"14\" font-weight=\"bold\">{Esc(s.Title)}</text>\n");
            double lo = s.Input.Min(), hi = s.Input.Max();
            Pixels(sb, "input", 0, side, s.Input, v => Grey(hi > lo ? (v - lo) / (hi - lo) : 0.5));
            double m = s.Map.Max(Math.Abs);
            Pixels(sb, "saliency", Image + Gap, side, s.Map, v => Colour(m > 0 ? v / m : 0));
            ColourBar(sb, Image + Gap + Image + 8, m);
            sb.Append(Inv, $"<text x=\"{Image / 2}\" y=\"{TitleHeight + Image + 16}\" text-anchor=\"middle\" fill=\"#444\">input</text>");
            sb.Append(Inv, $"<text x=\"{Image + Gap + Image / 2}\" y=\"{TitleHeight + Image + 16}\" text-anchor=\"middle\" fill=\"#444\">saliency</text>\n");
            sb.Append("</g>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void Pixels(StringBuilder sb, string kind, int left, int side, IReadOnlyList<double> values, Func<double, string> fill)
    {
        double cell = (double)Image / side;
        sb.Append(Inv, $"<g class=\"{kind}\" transform=\"translate({left},{TitleHeight})\" shape-rendering=\"crispEdges\">");
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
                sb.Append(Inv, $"<rect x=\"{N(c * cell)}\" y=\"{N(r * cell)}\" width=\"{N(cell + 0.02)}\" height=\"{N(cell + 0.02)}\" fill=\"{fill(values[r * side + c])}\"/>");
        sb.Append(Inv, $"<rect width=\"{Image}\" height=\"{Image}\" fill=\"none\" stroke=\"#444\"/></g>\n");
    }

    private static void ColourBar(StringBuilder sb, int left, double m)
    {
        sb.Append(Inv, $"<rect x=\"{left}\" y=\"{TitleHeight}\" width=\"{Bar}\" height=\"{Image}\" fill=\"url(#diverging)\" stroke=\"#444\"/>");
        string label = m.ToString("G3", Inv);
        sb.Append(Inv, $"<text x=\"{left + Bar + 4}\" y=\"{TitleHeight + 10}\">+{Esc(label)}</text>");
        sb.Append(Inv, $"<text x=\"{left + Bar + 4}\" y=\"{TitleHeight + Image / 2 + 4}\">0</text>");
        sb.Append(Inv, $"<text x=\"{left + Bar + 4}\" y=\"{TitleHeight + Image}\">−{Esc(label)}</text>\n");
    }

    /// <summary>Grey level of t ∈ [0, 1]: black at 0, white at 1.</summary>
    private static string Grey(double t)
    {
        int g = (int)Math.Round(255 * Math.Clamp(t, 0, 1));
        return $"#{g:x2}{g:x2}{g:x2}";
    }

    /// <summary>The diverging colour of t ∈ [−1, 1], interpolated linearly between the stops.</summary>
    internal static string Colour(double t)
    {
        t = Math.Clamp(t, -1, 1);
        int k = 0;
        while (k < Diverging.Length - 2 && t > Diverging[k + 1].At) k++;
        var (a, b) = (Diverging[k], Diverging[k + 1]);
        double u = (t - a.At) / (b.At - a.At);
        int Mix(int p, int q) => (int)Math.Round(p + u * (q - p));
        return $"#{Mix(a.R, b.R):x2}{Mix(a.G, b.G):x2}{Mix(a.B, b.B):x2}";
    }

    private static string N(double v) => v.ToString("0.##", Inv);
    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
