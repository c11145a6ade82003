using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MathDnn.Cli.Output;

/// <summary>Small helpers to write the JSON documents of the command line (doubles in their shortest round-trip form).</summary>
internal static class JsonOut
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON document as text (indented, UTF-8 characters kept readable, ending without a newline).</summary>
    public static string Document(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options)) write(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A detached <see cref="JsonElement"/> holding what <paramref name="write"/> writes (one value).</summary>
    public static JsonElement Element(Action<Utf8JsonWriter> write)
    {
        using var doc = JsonDocument.Parse(Document(write));
        return doc.RootElement.Clone();
    }

    public static void NumberOrNull(this Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    public static void StringOrNull(this Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    public static void Numbers(this Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
