using System.Globalization;
using System.Security;
using System.Text;

namespace MathDnn.Cli.Output;

/// <summary>
/// The title of an SVG fitted to its width without a text-measuring library: the width of a text is estimated from
/// per-glyph widths (<see cref="Width"/>), and a title that does not fit on one line is wrapped at spaces into two
/// lines, then shrunk step by step down to <see cref="MinSize"/>, then cut with "…" at the end of the second line.
/// The full title is kept in the SVG's <c>&lt;title&gt;</c> element.
/// </summary>
internal static class SvgTitle
{
    /// <summary>The font size of a title that fits (px), the smallest it is shrunk to, and the line advance in ems.</summary>
    public const double Size = 14, MinSize = 9, LineAdvance = 1.25;

    /// <summary>The horizontal margin on each side of the title (px).</summary>
    public const double Margin = 10;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Title lines (one or two) at a font size, and the height of the band they take above the plot.</summary>
    internal sealed record Layout(IReadOnlyList<string> Lines, double FontSize)
    {
        /// <summary>The baseline of line <paramref name="i"/> (px from the top).</summary>
        public double Baseline(int i) => 6 + FontSize + i * LineAdvance * FontSize;

        /// <summary>The height of the title band: 28 px for one line of 14 px, more for two lines.</summary>
        public int Height => Math.Max(28, (int)Math.Ceiling(Baseline(Lines.Count - 1) + 8));
    }

    /// <summary>
    /// The estimated advance width (px) of <paramref name="text"/> at <paramref name="size"/> px, bold: the advance widths
    /// of DejaVu Sans Bold (the font <c>sans-serif</c> resolves to on most Linux systems, and wider than Helvetica,
    /// Arial or Liberation Sans bold, so that the estimate errs on the wide side elsewhere) for printable ASCII, 0.84 em
    /// for the symbols of U+2000 and later (→ − ≤ are 0.838 there, … is 1), and 1 em for any other character; 2 % is
    /// added for the rounding of glyph positions.
    /// </summary>
    public static double Width(string text, double size)
    {
        double ems = 0;
        foreach (var rune in text.EnumerateRunes())
            ems += rune.Value is >= 32 and < 127 ? Ascii[rune.Value - 32] / 1000.0 : rune.Value == 0x2026 ? 1.0 : rune.Value >= 0x2000 && rune.Value < 0x2400 ? 0.84 : 1.0;
        return 1.02 * ems * size;
    }

    /// <summary>DejaVu Sans Bold's advance widths of U+0020 … U+007E in thousandths of an em (its hmtx table).</summary>
    private static readonly short[] Ascii =
    [
        348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
        696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580,
        1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
        733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500,
        500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
        716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
    ];

    /// <summary>The layout of <paramref name="title"/> in <paramref name="width"/> px (the SVG's width; the margins are taken off).</summary>
    public static Layout Fit(string title, double width)
    {
        double room = width - 2 * Margin;
        if (Width(title, Size) <= room) return new Layout([title], Size);
        for (double size = Size; size >= MinSize; size -= 0.5)
        {
            var (first, rest) = Split(title, room, size);
            if (Width(rest, size) <= room) return new Layout(rest.Length == 0 ? [first] : [first, rest], size);
        }
        var (line1, line2) = Split(title, room, MinSize);
        return new Layout([line1, Ellipsis(line2, room, MinSize)], MinSize);
    }

    /// <summary>
    /// The longest first line that fits, broken at a space (the space dropped), and the rest; a first word too long
    /// for the line is broken inside.
    /// </summary>
    private static (string First, string Remainder) Split(string title, double room, double size)
    {
        int best = -1;
        for (int i = title.IndexOf(' '); i >= 0; i = title.IndexOf(' ', i + 1))
        {
            if (Width(title[..i], size) > room) break;
            best = i;
        }
        if (best > 0) return (title[..best], title[(best + 1)..].TrimStart());
        int n = 1;
        while (n < title.Length && Width(title[..(n + 1)], size) <= room) n++;
        if (char.IsHighSurrogate(title[n - 1]) && n < title.Length) n++;
        return (title[..n], title[n..]);
    }

    /// <summary><paramref name="text"/> cut so that it and "…" fit in <paramref name="room"/>.</summary>
    private static string Ellipsis(string text, double room, double size)
    {
        if (Width(text, size) <= room) return text;
        int n = text.Length;
        while (n > 0 && Width(text[..n] + "…", size) > room) n--;
        if (n > 0 && char.IsHighSurrogate(text[n - 1])) n--;
        return text[..n].TrimEnd() + "…";
    }

    /// <summary>The SVG's <c>&lt;title&gt;</c>, the full text (a viewer shows it as the document's name or tooltip).</summary>
    public static void AppendDocumentTitle(StringBuilder svg, string title) => svg.Append(Inv, $"<title>{Esc(title)}</title>\n");

    /// <summary>One bold <c>&lt;text class="title"&gt;</c> per line of the layout.</summary>
    public static void AppendLines(StringBuilder svg, Layout layout, double x = Margin)
    {
        for (int i = 0; i < layout.Lines.Count; i++)
            svg.Append(Inv, $"<text class=\"title\" x=\"{x:0.##}\" y=\"{layout.Baseline(i):0.##}\" font-size=\"{layout.FontSize:0.##}\" font-weight=\"bold\">{Esc(layout.Lines[i])}</text>\n");
    }

    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
