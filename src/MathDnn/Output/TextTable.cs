using System.Text;
using Spectre.Console;

namespace MathDnn.Cli.Output;

/// <summary>
/// A table of text cells: drawn with Spectre.Console on a terminal, as aligned plain columns otherwise (redirected
/// output, a test's writer), so that scripts can read it. The first column is left-aligned, the others right-aligned
/// unless told otherwise.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];
    private readonly HashSet<int> leftAligned = [0];

    public TextTable AlignLeft(params int[] columns)
    {
        foreach (var c in columns) leftAligned.Add(c);
        return this;
    }

    public void AddRow(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"TextTable: {cells.Length} cells for {headers.Length} columns.");
        rows.Add(cells);
    }

    public void Write(TextWriter writer, bool terminal)
    {
        if (terminal) WriteSpectre(writer);
        else writer.Write(ToPlainText());
    }

    public string ToPlainText()
    {
        var widths = headers.Select((h, j) => rows.Select(r => r[j].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells)
        {
            for (int j = 0; j < cells.Length; j++)
            {
                if (j > 0) sb.Append("  ");
                bool last = j == cells.Length - 1;
                sb.Append(leftAligned.Contains(j) ? (last ? cells[j] : cells[j].PadRight(widths[j])) : cells[j].PadLeft(widths[j]));
            }
            sb.AppendLine();
        }
        Line(headers);
        foreach (var r in rows) Line(r);
        return sb.ToString();
    }

    private void WriteSpectre(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        var table = new Table().Border(TableBorder.Rounded);
        for (int j = 0; j < headers.Length; j++)
        {
            var column = new TableColumn(Markup.Escape(headers[j]));
            table.AddColumn(leftAligned.Contains(j) ? column.LeftAligned() : column.RightAligned());
        }
        foreach (var r in rows) table.AddRow(r.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
        console.Write(table);
    }
}
