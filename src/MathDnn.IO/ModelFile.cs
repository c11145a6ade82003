using System.Text;
using System.Text.Json;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.IO;

/// <summary>
/// The MathDnn model format, version 1: one JSON document that other languages can read and write.
/// <code>
/// {
///   "format": "mathdnn-model", "version": 1,
///   "input": { "size": 64, "scale": 0.0625 },                // "scale" optional: inputs are multiplied by it first
///   "layers": [
///     { "type": "dense", "W": [[…n values…], …m rows…], "b": […m values…] },   // y·Wᵀ + b, W ∈ M_{m,n} (003 Def 4.1)
///     { "type": "activation", "name": "relu" },               // relu, leaky-relu ("slope"), elu ("alpha"), sigmoid, tanh,
///                                                             // identity, softmax, gelu, gelu-tanh, silu, softplus
///     { "type": "maxout", "pieces": k, "W": [[…n…], …k·m rows, piece-major…], "b": […k·m…] },   // 004
///     { "type": "dropout", "rate": 0.2 },
///     { "type": "layer-norm", "epsilon": 1e-5, "gain": […n…], "bias": […n…] },
///     …
///   ],
///   "loss": "categorical-cross-entropy",
///   "training": { … the options of the run, free-form … },   // optional
///   "optimizer_state": { "count": t, "buffers": { "name": […|θ| values…] }, "inner": [ … ] }   // optional, to resume
/// }
/// </code>
/// <para>
/// <b>Layers.</b> Every layer is written the same way, from its public description: <c>{"type": Name, &lt;each of its
/// <see cref="Layer.Settings"/>&gt;: value, &lt;each parameter block of <see cref="Layer.ParameterShapes"/>&gt;: values}</c>, a
/// matrix block as an array of rows, a vector block (<see cref="ParameterShape.IsVector"/>) as a flat array. An activation
/// (any <see cref="Activation"/>) is written <c>{"type": "activation", "name": Name, &lt;settings&gt;}</c>. Reading looks the
/// name up in a <see cref="LayerRegistry"/> (by default <see cref="LayerRegistry.Default"/>), whose reader builds the layer
/// from the entry; then the values of each of the layer's parameter blocks are read and checked (shape, finiteness) in
/// storage order. A layer of one's own is saved like a built-in once its name is registered, and a name that is not
/// registered fails to save (so every saved file can be read back) and to load, with the call that registers it.
/// </para>
/// <para>
/// <b>Reading.</b> <c>"input"</c> may be absent: the input width is then the <see cref="Layer.InputSize"/> of the first layer
/// that has one (for a first dense or maxout layer, the length of its W rows); it is always written. Loading checks the
/// format, the version, every shape and that every number is finite, and names the first problem by its JSON path
/// (e.g. <c>m.json: layers[2].W[3]: expected 64 values (the width of the layer's input), found 63.</c>).
/// </para>
/// <para>
/// Doubles are written in their shortest round-trip form, so a save → load gives bit-identical parameters. Files are
/// written atomically (a temporary file in the same folder, flushed to disk, then a rename; <see cref="OutputSet"/>), so a
/// failed save never damages an existing file, and a save deletes the stale temporaries an interrupted earlier save left.
/// Only regular files are read (a FIFO or a device is refused before it is opened), and a key that appears twice in
/// one object is refused. Every problem is a <see cref="ModelFileException"/>.
/// </para>
/// </summary>
public static class ModelFile
{
    /// <summary>The value of the document's <c>"format"</c>.</summary>
    public const string Format = "mathdnn-model";

    /// <summary>The format version this build reads and writes.</summary>
    public const int Version = 1;

    // ---- writing ----

    /// <summary>
    /// Writes <paramref name="model"/> to the file <paramref name="path"/> atomically (<see cref="OutputSet"/>): into a
    /// hidden temporary file of the same folder, <c>.{name}.{pid}.{guid}.tmp</c>, flushed to disk and then renamed over
    /// <paramref name="path"/>, so that a failed or interrupted save leaves an existing file untouched. Each save first
    /// deletes the stale temporaries of the same target, those whose process (the pid in the name) no longer runs, as
    /// a <c>kill -9</c> during an earlier save leaves them (<see cref="OutputSet.DeleteStaleTemporaries"/>).
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="model">The model.</param>
    /// <param name="registry">Where every layer's name must be registered (default: <see cref="LayerRegistry.Default"/>).</param>
    /// <exception cref="ModelFileException">When the file cannot be written at that path (its folder does not exist, it is
    /// a folder or not a regular file; <see cref="FileCheck.WriteProblem"/>), a layer's name is not registered, or a number
    /// is not finite; nothing is written then.</exception>
    /// <exception cref="IOException">When writing the temporary fails (e.g. the disk is full); the message names
    /// <paramref name="path"/>, and an existing file is left as it was.</exception>
    public static void Save(string path, SavedModel model, LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        if (FileCheck.CheckWrite(path, probe: false) is { } problem) throw new ModelFileException($"{path}: {problem}.");
        var reg = registry ?? LayerRegistry.Default;
        Check(model, reg, new Fields(path)); // before any file is created
        OutputSet.WriteAtomically(path, stream => WriteTo(stream, model, reg, path));
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> as one UTF-8 JSON document (indented); the stream stays open.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="model">The model.</param>
    /// <param name="registry">Where every layer's name must be registered (default: <see cref="LayerRegistry.Default"/>).</param>
    /// <exception cref="ModelFileException">When a layer's name is not registered or a number is not finite; nothing is written then.</exception>
    public static void Write(Stream stream, SavedModel model, LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(model);
        WriteTo(stream, model, registry ?? LayerRegistry.Default, "model");
    }

    /// <summary>The document <see cref="Write"/> writes, as a string.</summary>
    /// <param name="model">The model.</param>
    /// <param name="registry">Where every layer's name must be registered (default: <see cref="LayerRegistry.Default"/>).</param>
    /// <exception cref="ModelFileException">When a layer's name is not registered or a number is not finite.</exception>
    public static string ToJson(SavedModel model, LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var buffer = new MemoryStream();
        WriteTo(buffer, model, registry ?? LayerRegistry.Default, "model");
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteTo(Stream stream, SavedModel model, LayerRegistry registry, string source)
    {
        Check(model, registry, new Fields(source)); // before the first byte: a failed write writes nothing
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
        for (int k = 0; k < net.Layers.Length; k++) WriteLayer(w, net, k);
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

    /// <summary><c>{"type": Name, settings…, blocks…}</c>, or <c>{"type": "activation", "name": Name, settings…, blocks…}</c>.</summary>
    private static void WriteLayer(Utf8JsonWriter w, Network net, int k)
    {
        var layer = net.Layers[k];
        w.WriteStartObject();
        if (layer is Activation)
        {
            w.WriteString("type", LayerRegistry.ActivationType);
            w.WriteString("name", layer.Name);
        }
        else w.WriteString("type", layer.Name);
        foreach (var (key, value) in layer.Settings) w.WriteNumber(key, value);
        var theta = net.Parameters.AsSpan();
        foreach (var shape in layer.ParameterShapes)
        {
            var block = net.Parameters.Layout.Block(k, shape.Name);
            var values = theta.Slice(block.Offset, block.Length);
            w.WriteStartArray(shape.Name);
            if (shape.IsVector)
                foreach (var v in values) w.WriteNumberValue(v);
            else
                for (int r = 0; r < block.Rows; r++)
                {
                    w.WriteStartArray();
                    foreach (var v in values.Slice(r * block.Columns, block.Columns)) w.WriteNumberValue(v);
                    w.WriteEndArray();
                }
            w.WriteEndArray();
        }
        w.WriteEndObject();
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

    /// <summary>
    /// What a save checks before writing: every layer's name registered (to a reader of the layer's own type when the
    /// registry knows it), no setting or block name clashing with another field of the entry, every number finite.
    /// </summary>
    private static void Check(SavedModel model, LayerRegistry registry, Fields f)
    {
        ArgumentNullException.ThrowIfNull(model.Network, nameof(model));
        if (model.Loss is null) throw f.Error("loss", "missing (SavedModel.Loss is null)");
        if (model.InputScale is double s && !double.IsFinite(s)) throw f.Error("input.scale", $"{Fields.Show(s)} is not finite; a model file holds finite numbers only");
        var net = model.Network;
        for (int k = 0; k < net.Layers.Length; k++)
        {
            var layer = net.Layers[k];
            string at = $"layers[{k}]", name = layer.Name, typeName = layer.GetType().Name;
            if (!registry.TryGet(name, out var registration))
                throw f.Error(at, $"the layer type \"{name}\" ({typeName}) is not registered, so the file could not be read back; " +
                    $"register it before saving: {RegisterHint(registry, name, typeName)}");
            if (registration.LayerType is { } t && t != layer.GetType())
                throw f.Error(at, $"is a {typeName} named \"{name}\", but \"{name}\" is registered to read a {t.Name}; give the layer a Name of its own");
            var used = new HashSet<string>(StringComparer.Ordinal) { "type" };
            if (layer is Activation) used.Add("name");
            foreach (var (key, value) in layer.Settings)
            {
                if (!used.Add(key)) throw f.Error(at, $"the setting \"{key}\" of {typeName} clashes with another field of the entry");
                if (!double.IsFinite(value)) throw f.Error($"{at}.{key}", $"{Fields.Show(value)} is not finite; a model file holds finite numbers only");
            }
            foreach (var shape in layer.ParameterShapes)
            {
                if (!used.Add(shape.Name)) throw f.Error(at, $"the parameter block \"{shape.Name}\" of {typeName} clashes with another field of the entry");
                var values = net.Parameters.AsSpan().Slice(net.Parameters.Layout.Block(k, shape.Name).Offset, shape.Length);
                int bad = IndexOfNonFinite(values);
                if (bad >= 0)
                {
                    string index = shape.IsVector ? $"[{bad}]" : $"[{bad / shape.Columns}][{bad % shape.Columns}]";
                    throw f.Error($"{at}.{shape.Name}{index}", $"{Fields.Show(values[bad])} is not finite; a model file holds finite numbers only");
                }
            }
        }
        if (model.OptimizerState is { } state) CheckState(state, "optimizer_state", f);
    }

    private static void CheckState(OptimizerState state, string field, Fields f)
    {
        foreach (var (name, p) in state.Buffers)
        {
            int bad = IndexOfNonFinite(p.AsSpan());
            if (bad >= 0) throw f.Error($"{field}.buffers.{name}[{bad}]", $"{Fields.Show(p[bad])} is not finite; a model file holds finite numbers only");
        }
        for (int i = 0; i < state.Inner.Length; i++) CheckState(state.Inner[i], $"{field}.inner[{i}]", f);
    }

    private static int IndexOfNonFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i])) return i;
        return -1;
    }

    // ---- reading ----

    /// <summary>Reads the model file <paramref name="path"/> (its path names it in every message).</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="registry">Where the layers' readers are looked up (default: <see cref="LayerRegistry.Default"/>).</param>
    /// <exception cref="ModelFileException">When the file does not exist, is a folder or not a regular file (a FIFO, a
    /// device, a file of <c>/proc</c>; checked without opening it), or is not a valid model file (the message names the
    /// first problem).</exception>
    public static SavedModel Load(string path, LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        // The file type is checked before opening: opening a FIFO blocks until a writer comes.
        switch (FileCheck.KindOf(path))
        {
            case FileKind.Missing: throw new ModelFileException($"{path}: no such model file.");
            case FileKind.Folder: throw new ModelFileException($"{path}: is a folder, not a model file.");
        }
        if (FileCheck.ReadProblem(path) is { } problem) throw new ModelFileException($"{path}: {problem}.");
        using var stream = File.OpenRead(path);
        return Read(stream, path, registry);
    }

    /// <summary>Reads one model document from <paramref name="stream"/> (UTF-8 JSON).</summary>
    /// <param name="stream">The stream, read to its end.</param>
    /// <param name="source">The name that messages give the document (e.g. its file or URL).</param>
    /// <param name="registry">Where the layers' readers are looked up (default: <see cref="LayerRegistry.Default"/>).</param>
    /// <exception cref="ModelFileException">When the document is not a valid model file (the message names the first problem).</exception>
    public static SavedModel Read(Stream stream, string source, LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        return Parse(() => JsonDocument.Parse(stream, DocumentOptions), source, registry ?? LayerRegistry.Default);
    }

    /// <summary>Reads one model document from the string <paramref name="json"/>.</summary>
    /// <param name="json">The document.</param>
    /// <param name="source">The name that messages give the document.</param>
    /// <param name="registry">Where the layers' readers are looked up (default: <see cref="LayerRegistry.Default"/>).</param>
    /// <exception cref="ModelFileException">When the document is not a valid model file (the message names the first problem).</exception>
    public static SavedModel FromJson(string json, string source = "model", LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        return Parse(() => JsonDocument.Parse(json, DocumentOptions), source, registry ?? LayerRegistry.Default);
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private static SavedModel Parse(Func<JsonDocument> parse, string source, LayerRegistry registry)
    {
        JsonDocument doc;
        try
        {
            doc = parse();
        }
        catch (JsonException e)
        {
            throw new ModelFileException($"{source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON (truncated or corrupted?): {FirstSentence(e.Message)}");
        }
        using (doc)
        {
            var f = new Fields(source);
            RefuseDuplicateKeys(doc.RootElement, "", f);
            return Read(doc.RootElement, f, registry);
        }
    }

    /// <summary>
    /// A key twice in one object is refused, naming the key and the object's JSON path (JSON leaves duplicates
    /// undefined; System.Text.Json would keep the last one silently).
    /// </summary>
    private static void RefuseDuplicateKeys(JsonElement e, string path, Fields f)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var p in e.EnumerateObject())
                {
                    string at = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                    if (!(seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(p.Name))
                        throw f.Error(at, $"the key \"{p.Name}\" appears more than once in {(path.Length == 0 ? "the document" : path)}; each key may appear once");
                    RefuseDuplicateKeys(p.Value, at, f);
                }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array) RefuseDuplicateKeys(item, $"{path}[{i}]", f);
                    i++;
                }
                break;
        }
    }

    private static SavedModel Read(JsonElement root, Fields f, LayerRegistry registry)
    {
        f.Expect(root, JsonValueKind.Object, "the document");
        var format = f.String(root, "format");
        if (format != Format) throw f.Error("format", $"expected \"{Format}\", found \"{format}\"");
        var version = f.Int(root, "version");
        if (version != Version) throw f.Error("version", $"version {version} is not supported (this build reads version {Version})");
        int? inputSize = null;
        double? scale = null;
        if (root.TryGetProperty("input", out var input))
        {
            f.Expect(input, JsonValueKind.Object, "input");
            inputSize = f.Int(input, "size", "input.size");
            if (inputSize < 1) throw f.Error("input.size", $"must be positive, found {inputSize}");
            scale = input.TryGetProperty("scale", out _) ? f.Double(input, "scale", "input.scale") : null;
        }

        var layersJson = f.Property(root, "layers", JsonValueKind.Array);
        var layers = new List<Layer>();
        var values = new List<double>();
        int? width = inputSize; // the width entering layer k; unknown until a layer fixes it when "input" is absent
        int k = 0;
        foreach (var lj in layersJson.EnumerateArray())
        {
            string at = $"layers[{k}]";
            var layer = ReadLayer(lj, at, width, f, registry);
            if (layer.InputSize is int n)
            {
                if (width is null)
                {
                    // The first layer with a fixed width: the layers before it (width-agnostic) must keep the width.
                    int w = n;
                    for (int j = 0; j < k; j++) w = OutputSize(layers[j], w, $"layers[{j}]", f);
                    if (w != n)
                        throw f.Error("input.size", $"missing, and {at} takes rows of width {n} but the layers before it change the width, so the input width cannot be inferred");
                    inputSize = width = n;
                }
                else if (n != width)
                    throw f.Error(at, $"takes rows of width {n} but {(k == 0 ? "input.size is" : $"layers[{k - 1}] gives rows of width")} {width}");
            }
            foreach (var shape in layer.ParameterShapes)
            {
                string field = $"{at}.{shape.Name}";
                if (shape.IsVector) f.Vector(lj, shape.Name, field, shape.Length, values);
                else f.Matrix(lj, shape.Name, field, shape.Rows, shape.Columns, columnsAreInput: shape.Columns == width, values);
            }
            if (width is int known) width = OutputSize(layer, known, at, f);
            layers.Add(layer);
            k++;
        }
        if (layers.Count == 0) throw f.Error("layers", "the network has no layers");
        if (inputSize is not int size) throw f.Error("input.size", "missing, and no layer fixes the input width");

        Network network;
        ParameterLayout layout;
        try
        {
            (layout, _) = Network.LayoutOf(size, layers);
            network = Network.Create(size, layers, Parameters.FromArray(layout, values.ToArray()));
        }
        catch (ArgumentException e)
        {
            throw f.Error("layers", Sentence(e));
        }
        var loss = f.String(root, "loss");

        Dictionary<string, JsonElement>? training = null;
        if (root.TryGetProperty("training", out var tj))
        {
            f.Expect(tj, JsonValueKind.Object, "training");
            training = tj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        }
        OptimizerState? state = root.TryGetProperty("optimizer_state", out var sj) ? f.State(sj, "optimizer_state", layout) : null;
        return new SavedModel(network, loss, scale, training, state);
    }

    /// <summary>Finds the entry's reader by its type (or, for an activation, its name) and builds the layer.</summary>
    private static Layer ReadLayer(JsonElement lj, string at, int? width, Fields f, LayerRegistry registry)
    {
        f.Expect(lj, JsonValueKind.Object, at);
        var type = f.String(lj, "type", $"{at}.type");
        bool activation = type == LayerRegistry.ActivationType;
        string name = activation ? f.String(lj, "name", $"{at}.name") : type;
        string nameField = activation ? $"{at}.name" : $"{at}.type";
        if (!registry.TryGet(name, out var registration))
        {
            string hint = RegisterHint(registry, name, TypeNameFor(name));
            throw activation
                ? f.Error(nameField, $"unknown activation \"{name}\" (known: {string.Join(", ", registry.NamesOf(activations: true))}); " +
                    $"an activation of your own must be registered before loading: {hint}")
                : f.Error(nameField, $"unknown layer type \"{name}\" (known: {string.Join(", ", registry.NamesOf(activations: false).Prepend(LayerRegistry.ActivationType))}); " +
                    $"a layer of your own must be registered before loading: {hint}");
        }
        Layer? layer;
        try
        {
            layer = registration.Read(new LayerEntry(lj, f, at, name, width));
        }
        catch (ArgumentException e)
        {
            throw f.Error(at, Sentence(e));
        }
        if (layer is null) throw f.Error(at, $"the reader registered for \"{name}\" returned null");
        if (layer.Name != name)
            throw f.Error(at, $"the reader registered for \"{name}\" built a {layer.GetType().Name} named \"{layer.Name}\"; a reader must build a layer of the name it is registered for");
        if (activation && layer is not Activation)
            throw f.Error(nameField, $"\"{name}\" is not an activation; write the entry as {{\"type\": \"{name}\", …}}");
        if (!activation && layer is Activation)
            throw f.Error(nameField, $"\"{name}\" is an activation; write the entry as {{\"type\": \"activation\", \"name\": \"{name}\"}}");
        return layer;
    }

    private static int OutputSize(Layer layer, int width, string at, Fields f)
    {
        try
        {
            return layer.OutputSize(width);
        }
        catch (ArgumentException e)
        {
            throw f.Error(at, Sentence(e));
        }
    }

    /// <summary>How to register a layer, for the messages: <c>LayerRegistry.Default.Register("swish", entry => new Swish()) or Register&lt;Swish&gt;()</c>.</summary>
    private static string RegisterHint(LayerRegistry registry, string name, string typeName) =>
        ReferenceEquals(registry, LayerRegistry.Default)
            ? $"LayerRegistry.Default.Register(\"{name}\", entry => new {typeName}()) or Register<{typeName}>()"
            : $"registry.Register(\"{name}\", entry => new {typeName}()) or registry.Register<{typeName}>() on the LayerRegistry passed";

    /// <summary>"gelu-tanh" → "GeluTanh": the class name a layer of that name would likely have.</summary>
    private static string TypeNameFor(string name)
    {
        var sb = new StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c)) { upper = true; continue; }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.Length == 0 || char.IsAsciiDigit(sb[0]) ? "MyLayer" : sb.ToString();
    }

    /// <summary>An exception's message without .NET's "(Parameter 'x')" suffix or its final period (the caller adds one).</summary>
    private static string Sentence(ArgumentException e)
    {
        var m = e.Message;
        if (e.ParamName is { } p) m = m.Replace($" (Parameter '{p}')", "");
        return m.TrimEnd().TrimEnd('.');
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..(i + 1)] : message;
    }
}
