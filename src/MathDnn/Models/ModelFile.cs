using System.Collections.Immutable;
using System.Text.Json;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.Cli.Models;

/// <summary>A model file problem: one line naming the file, the field (JSON path) and what was expected.</summary>
public sealed class ModelFileException(string message) : Exception(message);

/// <summary>What a model file holds: the network, the loss it was trained with, the input scaling, and optionally how it was trained and the optimizer state to resume from.</summary>
public sealed record SavedModel(
    Network Network,
    string Loss,
    double? InputScale = null,
    IReadOnlyDictionary<string, JsonElement>? Training = null,
    OptimizerState? OptimizerState = null);

/// <summary>
/// The MathDnn model format, version 1: one JSON document that other languages can read and write.
/// <code>
/// {
///   "format": "mathdnn-model", "version": 1,
///   "input": { "size": 64, "scale": 0.0625 },                // "scale" optional: inputs are multiplied by it first
///   "layers": [
///     { "type": "dense", "W": [[…n values…], …m rows…], "b": […m values…] },   // y·Wᵀ + b, W ∈ M_{m,n}
///     { "type": "activation", "name": "relu" },               // relu, leaky-relu ("slope"), elu ("alpha"), sigmoid, tanh, identity, softmax
///     { "type": "maxout", "pieces": k, "W": [[…n…], …k·m rows, piece-major…], "b": […k·m…] },
///     …
///   ],
///   "loss": "categorical-cross-entropy",
///   "training": { … the options of the run, free-form … },   // optional
///   "optimizer_state": { "count": t, "buffers": { "name": […|θ| values…] }, "inner": [ … ] }   // optional, to resume
/// }
/// </code>
/// Doubles are written in their shortest round-trip form, so a save → load gives bit-identical parameters.
/// Files are written atomically (a temporary file in the same folder, then a rename), so a failed save never damages an
/// existing file. Loading checks the format, the version, every shape and that every number is finite, and names the
/// first problem by its JSON path (e.g. <c>layers[2].W[3]</c>).
/// </summary>
public static class ModelFile
{
    public const string Format = "mathdnn-model";
    public const int Version = 1;

    public static void Save(string path, SavedModel model)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new ModelFileException($"{path}: the folder {dir} does not exist.");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = File.Create(temp))
                Write(stream, model);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void Write(Stream stream, SavedModel model)
    {
        var net = model.Network;
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteNumber("version", Version);
        w.WriteStartObject("input");
        w.WriteNumber("size", net.InputSize);
        if (model.InputScale is double s) w.WriteNumber("scale", s);
        w.WriteEndObject();
        w.WriteStartArray("layers");
        for (int k = 0; k < net.Layers.Length; k++)
        {
            var layer = net.Layers[k];
            w.WriteStartObject();
            switch (layer)
            {
                case Dense:
                    w.WriteString("type", "dense");
                    WriteBlocks(w, net, k);
                    break;
                case Maxout mx:
                    w.WriteString("type", "maxout");
                    w.WriteNumber("pieces", mx.Pieces);
                    WriteBlocks(w, net, k);
                    break;
                case Relu or LeakyRelu or Elu or Sigmoid or Tanh or Identity or Softmax:
                    var a = (Activation)layer;
                    w.WriteString("type", "activation");
                    w.WriteString("name", a.Name);
                    if (a is LeakyRelu lr) w.WriteNumber("slope", lr.Slope);
                    if (a is Elu elu) w.WriteNumber("alpha", elu.Alpha);
                    break;
                default:
                    throw new ModelFileException($"Model file: layer {k} ({layer.Name}) has no representation in format version {Version}.");
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("loss", model.Loss);
        if (model.Training is not null)
        {
            w.WriteStartObject("training");
            foreach (var (key, value) in model.Training) { w.WritePropertyName(key); value.WriteTo(w); }
            w.WriteEndObject();
        }
        if (model.OptimizerState is not null)
        {
            w.WritePropertyName("optimizer_state");
            WriteState(w, model.OptimizerState);
        }
        w.WriteEndObject();
    }

    private static void WriteBlocks(Utf8JsonWriter w, Network net, int layer)
    {
        var wBlock = net.Parameters.Layout.Block(layer, "W");
        var theta = net.Parameters.AsSpan();
        w.WriteStartArray("W");
        for (int r = 0; r < wBlock.Rows; r++)
        {
            w.WriteStartArray();
            foreach (var v in theta.Slice(wBlock.Offset + r * wBlock.Columns, wBlock.Columns)) w.WriteNumberValue(v);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        var bBlock = net.Parameters.Layout.Block(layer, "b");
        w.WriteStartArray("b");
        foreach (var v in theta.Slice(bBlock.Offset, bBlock.Length)) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteState(Utf8JsonWriter w, OptimizerState state)
    {
        w.WriteStartObject();
        w.WriteNumber("count", state.Count);
        w.WriteStartObject("buffers");
        foreach (var (name, p) in state.Buffers)
        {
            w.WriteStartArray(name);
            foreach (var v in p.AsSpan()) w.WriteNumberValue(v);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartArray("inner");
        foreach (var inner in state.Inner) WriteState(w, inner);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static SavedModel Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFileException($"{path}: no such model file.");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static SavedModel Read(Stream stream, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ModelFileException($"{source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON (truncated or corrupted?): {FirstSentence(e.Message)}");
        }
        using (doc)
        {
            var r = new Reader(source);
            var root = doc.RootElement;
            r.Expect(root, JsonValueKind.Object, "the document");
            var format = r.String(root, "format");
            if (format != Format) throw r.Error("format", $"expected \"{Format}\", found \"{format}\"");
            var version = r.Int(root, "version");
            if (version != Version) throw r.Error("version", $"version {version} is not supported (this build reads version {Version})");
            var input = r.Property(root, "input", JsonValueKind.Object);
            int inputSize = r.Int(input, "size", "input.size");
            if (inputSize < 1) throw r.Error("input.size", $"must be positive, found {inputSize}");
            double? scale = input.TryGetProperty("scale", out _) ? r.Double(input, "scale", "input.scale") : null;

            var layersJson = r.Property(root, "layers", JsonValueKind.Array);
            var layers = new List<Layer>();
            var values = new List<double>();
            int width = inputSize, k = 0;
            foreach (var lj in layersJson.EnumerateArray())
            {
                string at = $"layers[{k}]";
                r.Expect(lj, JsonValueKind.Object, at);
                var type = r.String(lj, "type", $"{at}.type");
                Layer layer;
                switch (type)
                {
                    case "dense":
                    {
                        var wRows = r.Matrix(lj, "W", $"{at}.W", width);
                        layer = new Dense(width, wRows.Count);
                        values.AddRange(wRows.SelectMany(x => x));
                        values.AddRange(r.Vector(lj, "b", $"{at}.b", wRows.Count));
                        break;
                    }
                    case "maxout":
                    {
                        int pieces = r.Int(lj, "pieces", $"{at}.pieces");
                        if (pieces < 1) throw r.Error($"{at}.pieces", $"must be positive, found {pieces}");
                        var wRows = r.Matrix(lj, "W", $"{at}.W", width);
                        if (wRows.Count % pieces != 0)
                            throw r.Error($"{at}.W", $"has {wRows.Count} rows, not a multiple of pieces = {pieces}");
                        layer = new Maxout(width, wRows.Count / pieces, pieces);
                        values.AddRange(wRows.SelectMany(x => x));
                        values.AddRange(r.Vector(lj, "b", $"{at}.b", wRows.Count));
                        break;
                    }
                    case "activation":
                    {
                        var name = r.String(lj, "name", $"{at}.name");
                        layer = name switch
                        {
                            "relu" => new Relu(),
                            "leaky-relu" => new LeakyRelu(lj.TryGetProperty("slope", out _) ? r.Double(lj, "slope", $"{at}.slope") : 0.1),
                            "elu" => new Elu(lj.TryGetProperty("alpha", out _) ? r.Double(lj, "alpha", $"{at}.alpha") : 1.0),
                            "sigmoid" => new Sigmoid(),
                            "tanh" => new Tanh(),
                            "identity" => new Identity(),
                            "softmax" => new Softmax(),
                            _ => throw r.Error($"{at}.name", $"unknown activation \"{name}\" (known: relu, leaky-relu, elu, sigmoid, tanh, identity, softmax)"),
                        };
                        break;
                    }
                    default:
                        throw r.Error($"{at}.type", $"unknown layer type \"{type}\" (known: dense, activation, maxout)");
                }
                width = layer.OutputSize(width);
                layers.Add(layer);
                k++;
            }
            if (layers.Count == 0) throw r.Error("layers", "the network has no layers");
            var (layout, _) = Network.LayoutOf(inputSize, layers);
            var network = Network.Create(inputSize, layers, Parameters.FromArray(layout, values.ToArray()));
            var loss = r.String(root, "loss");

            Dictionary<string, JsonElement>? training = null;
            if (root.TryGetProperty("training", out var tj))
            {
                r.Expect(tj, JsonValueKind.Object, "training");
                training = tj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            }
            OptimizerState? state = root.TryGetProperty("optimizer_state", out var sj) ? r.State(sj, "optimizer_state", layout) : null;
            return new SavedModel(network, loss, scale, training, state);
        }
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..(i + 1)] : message;
    }

    private sealed class Reader(string source)
    {
        public ModelFileException Error(string field, string what) => new($"{source}: {field}: {what}.");

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

        public List<double> Vector(JsonElement obj, string name, string field, int length)
        {
            var a = Property(obj, name, JsonValueKind.Array, field);
            if (a.GetArrayLength() != length) throw Error(field, $"expected {length} values, found {a.GetArrayLength()}");
            var list = new List<double>(length);
            int i = 0;
            foreach (var e in a.EnumerateArray()) list.Add(Number(e, $"{field}[{i++}]"));
            return list;
        }

        public List<List<double>> Matrix(JsonElement obj, string name, string field, int columns)
        {
            var a = Property(obj, name, JsonValueKind.Array, field);
            if (a.GetArrayLength() == 0) throw Error(field, "has no rows");
            var rows = new List<List<double>>();
            int i = 0;
            foreach (var row in a.EnumerateArray())
            {
                string at = $"{field}[{i}]";
                Expect(row, JsonValueKind.Array, at);
                if (row.GetArrayLength() != columns)
                    throw Error(at, $"expected {columns} values (the width of the layer's input), found {row.GetArrayLength()}");
                var list = new List<double>(columns);
                int j = 0;
                foreach (var e in row.EnumerateArray()) list.Add(Number(e, $"{at}[{j++}]"));
                rows.Add(list);
                i++;
            }
            return rows;
        }

        public OptimizerState State(JsonElement e, string field, ParameterLayout layout)
        {
            Expect(e, JsonValueKind.Object, field);
            long count = Long(e, "count", $"{field}.count");
            var buffers = ImmutableSortedDictionary.CreateBuilder<string, Parameters>(StringComparer.Ordinal);
            foreach (var b in Property(e, "buffers", JsonValueKind.Object, $"{field}.buffers").EnumerateObject())
            {
                var values = Vector(e.GetProperty("buffers"), b.Name, $"{field}.buffers.{b.Name}", layout.Count);
                buffers.Add(b.Name, Parameters.FromArray(layout, values.ToArray()));
            }
            var inner = ImmutableArray.CreateBuilder<OptimizerState>();
            int i = 0;
            foreach (var s in Property(e, "inner", JsonValueKind.Array, $"{field}.inner").EnumerateArray())
                inner.Add(State(s, $"{field}.inner[{i++}]", layout));
            return new OptimizerState(count, buffers.ToImmutable(), inner.ToImmutable());
        }

        private static string Kind(JsonValueKind k) => k switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
    }
}
