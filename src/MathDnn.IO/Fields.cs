using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.IO;

/// <summary>
/// Reads the fields of one model document, every problem a <see cref="ModelFileException"/> <c>{source}: {field}: {what}.</c>
/// naming the JSON path of the field.
/// </summary>
internal sealed class Fields(string source)
{
    public string Source { get; } = source;

    public ModelFileException Error(string field, string what) => new($"{Source}: {field}: {what}.");

    public void Expect(JsonElement e, JsonValueKind kind, string field)
    {
        if (e.ValueKind != kind) throw Error(field, $"expected {Kind(kind)}, found {Kind(e.ValueKind)}");
    }

    public JsonElement Property(JsonElement obj, string name, JsonValueKind kind, string? field = null)
    {
        field ??= name;
        if (!obj.TryGetProperty(name, out var v)) throw Error(field, "missing");
        Expect(v, kind, field);
        return v;
    }

    public string String(JsonElement obj, string name, string? field = null) => Property(obj, name, JsonValueKind.String, field).GetString()!;

    public int Int(JsonElement obj, string name, string? field = null)
    {
        var v = Property(obj, name, JsonValueKind.Number, field);
        if (!v.TryGetInt32(out int i)) throw Error(field ?? name, $"expected an integer, found {v.GetRawText()}");
        return i;
    }

    public long Long(JsonElement obj, string name, string field)
    {
        var v = Property(obj, name, JsonValueKind.Number, field);
        if (!v.TryGetInt64(out long i) || i < 0) throw Error(field, $"expected a non-negative integer, found {v.GetRawText()}");
        return i;
    }

    public double Double(JsonElement obj, string name, string field) => Number(Property(obj, name, JsonValueKind.Number, field), field);

    public double Number(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Number) throw Error(field, $"expected a number, found {Kind(e.ValueKind)}");
        if (!e.TryGetDouble(out double d) || !double.IsFinite(d)) throw Error(field, $"{e.GetRawText()} is not a finite double");
        return d;
    }

    /// <summary>A flat array of exactly <paramref name="length"/> finite numbers, appended to <paramref name="into"/>.</summary>
    public void Vector(JsonElement obj, string name, string field, int length, List<double> into)
    {
        var a = Property(obj, name, JsonValueKind.Array, field);
        if (a.GetArrayLength() > 0 && a[0].ValueKind == JsonValueKind.Array)
            throw Error(field, $"expected a flat array of {length} values, found an array of rows");
        if (a.GetArrayLength() != length) throw Error(field, $"expected {length} values, found {a.GetArrayLength()}");
        int i = 0;
        foreach (var e in a.EnumerateArray()) into.Add(Number(e, $"{field}[{i++}]"));
    }

    /// <summary>
    /// An array of exactly <paramref name="rows"/> rows of <paramref name="columns"/> finite numbers, appended row by row to
    /// <paramref name="into"/>; <paramref name="columnsAreInput"/> says that the row length is the width of the layer's input.
    /// </summary>
    public void Matrix(JsonElement obj, string name, string field, int rows, int columns, bool columnsAreInput, List<double> into)
    {
        var a = Property(obj, name, JsonValueKind.Array, field);
        if (a.GetArrayLength() != rows) throw Error(field, $"expected {rows} rows, found {a.GetArrayLength()}");
        int i = 0;
        foreach (var row in a.EnumerateArray())
        {
            string at = $"{field}[{i}]";
            Expect(row, JsonValueKind.Array, at);
            if (row.GetArrayLength() != columns)
                throw Error(at, $"expected {columns} values{(columnsAreInput ? " (the width of the layer's input)" : "")}, found {row.GetArrayLength()}");
            int j = 0;
            foreach (var e in row.EnumerateArray()) into.Add(Number(e, $"{at}[{j++}]"));
            i++;
        }
    }

    public OptimizerState State(JsonElement e, string field, ParameterLayout layout)
    {
        Expect(e, JsonValueKind.Object, field);
        long count = Long(e, "count", $"{field}.count");
        var buffers = ImmutableSortedDictionary.CreateBuilder<string, Parameters>(StringComparer.Ordinal);
        var buffersJson = Property(e, "buffers", JsonValueKind.Object, $"{field}.buffers");
        foreach (var b in buffersJson.EnumerateObject())
        {
            var values = new List<double>(layout.Count);
            Vector(buffersJson, b.Name, $"{field}.buffers.{b.Name}", layout.Count, values);
            buffers.Add(b.Name, Parameters.FromArray(layout, values.ToArray()));
        }
        var inner = ImmutableArray.CreateBuilder<OptimizerState>();
        int i = 0;
        foreach (var s in Property(e, "inner", JsonValueKind.Array, $"{field}.inner").EnumerateArray())
            inner.Add(State(s, $"{field}.inner[{i++}]", layout));
        return new OptimizerState(count, buffers.ToImmutable(), inner.ToImmutable());
    }

    public static string Kind(JsonValueKind k) => k switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>A number as the file writes it (shortest round-trip form).</summary>
    public static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
