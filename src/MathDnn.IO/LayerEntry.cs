using System.Text.Json;

namespace MathDnn.IO;

/// <summary>
/// One entry of a model file's <c>"layers"</c> array, as a reader registered in a <see cref="LayerRegistry"/> sees it: the
/// settings (numeric properties such as <c>"rate"</c> or <c>"pieces"</c>), the shapes of the parameter arrays it holds, and
/// the width of the layer's input. A reader builds the layer from these; the values of the parameter blocks are then read
/// and checked against the layer's <see cref="Layers.Layer.ParameterShapes"/> by <see cref="ModelFile"/> itself.
/// Every problem is a <see cref="ModelFileException"/> naming the source and the JSON path,
/// e.g. <c>m.json: layers[2].rate: missing.</c>
/// </summary>
public sealed class LayerEntry
{
    private readonly JsonElement json;
    private readonly Fields fields;
    private readonly int? inputWidth;

    internal LayerEntry(JsonElement json, Fields fields, string path, string name, int? inputWidth)
    {
        this.json = json;
        this.fields = fields;
        this.inputWidth = inputWidth;
        Path = path;
        Name = name;
    }

    /// <summary>The JSON path of the entry, e.g. <c>layers[2]</c>.</summary>
    public string Path { get; }

    /// <summary>Where the entry comes from: the file's path, or the name given to a string or a stream.</summary>
    public string Source => fields.Source;

    /// <summary>The registered name the entry is read as: its <c>"type"</c>, or for an activation its <c>"name"</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Whether the width of the layer's input is known: always, except when the file has no <c>"input"</c> object and no
    /// layer before this one fixes the width (then the network's input width is inferred from the first layer that has an
    /// <see cref="Layers.Layer.InputSize"/>).
    /// </summary>
    public bool HasInputWidth => inputWidth is not null;

    /// <summary>The width n of the layer's input (the output width of the layer before it, or <c>input.size</c>).</summary>
    /// <exception cref="ModelFileException">When the width is not known (<see cref="HasInputWidth"/> is false).</exception>
    public int InputWidth => inputWidth ?? throw fields.Error("input.size",
        $"missing, and no layer before {Path} fixes the input width, which the reader of \"{Name}\" needs");

    /// <summary>Whether the entry has a property of this name.</summary>
    public bool Has(string name) => json.TryGetProperty(name, out _);

    /// <summary>
    /// The numeric property <paramref name="name"/> of the entry (a setting such as dropout's <c>"rate"</c>), or
    /// <paramref name="defaultValue"/> when it is absent and a default is given.
    /// </summary>
    /// <exception cref="ModelFileException">When it is absent without a default, not a number, or not finite.</exception>
    public double Setting(string name, double? defaultValue = null)
    {
        if (defaultValue is double d && !Has(name)) return d;
        return fields.Double(json, name, Field(name));
    }

    /// <summary>The integer property <paramref name="name"/> of the entry (e.g. maxout's <c>"pieces"</c>), or <paramref name="defaultValue"/> when it is absent and a default is given.</summary>
    /// <exception cref="ModelFileException">When it is absent without a default, not a number, or not an integer.</exception>
    public int IntSetting(string name, int? defaultValue = null)
    {
        if (defaultValue is int d && !Has(name)) return d;
        return fields.Int(json, name, Field(name));
    }

    /// <summary>The number of rows of the matrix block <paramref name="block"/> (an array of rows, e.g. a dense layer's <c>"W"</c>).</summary>
    /// <exception cref="ModelFileException">When the block is absent, not an array of arrays, or has no rows.</exception>
    public int Rows(string block) => MatrixArray(block).GetArrayLength();

    /// <summary>The length of the first row of the matrix block <paramref name="block"/>: its number of columns.</summary>
    /// <exception cref="ModelFileException">When the block is absent, not an array of arrays, or has no rows.</exception>
    public int Columns(string block) => MatrixArray(block)[0].GetArrayLength();

    /// <summary>The number of values of the vector block <paramref name="block"/> (a flat array, e.g. a bias <c>"b"</c>).</summary>
    /// <exception cref="ModelFileException">When the block is absent or not a flat array of numbers.</exception>
    public int Length(string block)
    {
        var a = fields.Property(json, block, JsonValueKind.Array, Field(block));
        if (a.GetArrayLength() > 0 && a[0].ValueKind == JsonValueKind.Array)
            throw fields.Error(Field(block), "expected a flat array of numbers, found an array of rows");
        return a.GetArrayLength();
    }

    /// <summary>
    /// A problem with this entry, in the file's style: <c>{source}: {path}.{field}: {what}.</c> (<c>{path}: {what}.</c> when
    /// <paramref name="field"/> is empty). Throw it from a reader to reject a value, e.g.
    /// <c>throw entry.Error("pieces", $"must be positive, found {pieces}")</c>.
    /// </summary>
    public ModelFileException Error(string field, string what) => fields.Error(Field(field), what);

    private string Field(string name) => name.Length == 0 ? Path : $"{Path}.{name}";

    private JsonElement MatrixArray(string block)
    {
        var a = fields.Property(json, block, JsonValueKind.Array, Field(block));
        if (a.GetArrayLength() == 0) throw fields.Error(Field(block), "has no rows");
        if (a[0].ValueKind != JsonValueKind.Array) throw fields.Error($"{Field(block)}[0]", $"expected an array (a row), found {Fields.Kind(a[0].ValueKind)}");
        return a;
    }
}
