using System.Globalization;
using Google.Protobuf;
using MathDnn.Activations;
using MathDnn.IO;
using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Onnx;

/// <summary>The element type of an exported ONNX model: its weights, input and output.</summary>
public enum OnnxPrecision
{
    /// <summary>float32 (ONNX tensor type FLOAT): θ rounded to the nearest float once.</summary>
    Float32,

    /// <summary>float64 (ONNX tensor type DOUBLE): θ exactly.</summary>
    Float64,
}

/// <summary>A model file that is not a readable ONNX model, or one outside the supported subset; the message is one line.</summary>
public sealed class OnnxFormatException : Exception
{
    /// <summary>An exception with a one-line message.</summary>
    public OnnxFormatException(string message) : base(message) { }

    /// <summary>An exception with a one-line message and its cause.</summary>
    public OnnxFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// ONNX interchange of networks of the built-in primitives. <see cref="Export(Network, Stream, OnnxPrecision, int, double?)"/>
/// writes a graph with input "input" [batch, n] (a symbolic batch dimension) and output "output" [batch, m];
/// <see cref="Import(Stream)"/> reads the same subset back, and multilayer perceptrons made by other tools
/// (<c>torch.onnx.export</c>). The library does not need ONNX Runtime.
/// <para>
/// <b>Layers as ONNX nodes</b> (default domain, opset ≥ 13; 17 by default): Dense → Gemm (transB = 1); Maxout with k
/// pieces → k Gemm nodes and Max; Dropout → Dropout (identity at inference; ratio as an input); LayerNorm →
/// LayerNormalization (opset ≥ 17); ReLU, Sigmoid, Tanh, Identity, Softplus, LeakyRelu, Elu, Softmax (axis −1) → the op
/// of that name; GELU → x·(1 + Erf(x/√2))·½ (Div, Erf, Add, Mul, Mul, as PyTorch writes it); GELU-tanh →
/// x·Sigmoid(2√(2/π)(x + 0.044715x³)); SiLU → x·Sigmoid(x).
/// </para>
/// <para>
/// <b>Float attributes.</b> ONNX stores LeakyRelu's α, Elu's α and LayerNormalization's ε as float32, so a value that
/// is not a float32 is rounded (relative error ≤ 2⁻²⁴) even in a float64 model. Export also writes the exact double in
/// the node's doc_string (<c>mathdnn alpha=0.1</c>), which import uses when it rounds to the attribute; otherwise import
/// reads the attribute as the shortest decimal that rounds to that float (0.1f reads back as 0.1).
/// </para>
/// </summary>
public static class OnnxModel
{
    /// <summary>The opset written when none is asked for.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The lowest opset written (Softmax over the last axis, Dropout's ratio input).</summary>
    public const int MinimumOpset = 13;

    /// <summary>The operators <see cref="Import(Stream)"/> understands, for error messages and the README.</summary>
    public const string SupportedImport =
        "Gemm (alpha = beta = 1, transA = 0), MatMul (+ Add), Relu, Sigmoid, Tanh, Softplus, LeakyRelu, PRelu (one slope), Elu, " +
        "Softmax (last axis), Identity, Dropout, LayerNormalization (last axis), Gelu, Erf-based GELU, x·Sigmoid(x) (SiLU), " +
        "Gemm…Gemm → Max (maxout), Constant";

    // ---- export ----

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="stream">Where to write; it stays open.</param>
    /// <param name="precision">float32 or float64 tensors.</param>
    /// <param name="opset">The ONNX opset (≥ 13; layer norm needs 17).</param>
    /// <param name="inputScale">A factor the input is multiplied by first (a model file's <c>input.scale</c>), written as a Mul node; null for none.</param>
    public static void Export(Network network, Stream stream, OnnxPrecision precision = OnnxPrecision.Float32, int opset = DefaultOpset, double? inputScale = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = ToBytes(network, precision, opset, inputScale);
        stream.Write(bytes);
        stream.Flush();
    }

    /// <summary>
    /// Writes <paramref name="network"/> as an ONNX model to the file <paramref name="path"/>, replaced atomically
    /// (<see cref="OutputSet.WriteAtomically"/>: a temporary file flushed to disk, then a rename; stale temporaries of
    /// earlier interrupted saves are deleted).
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="precision">float32 or float64 tensors.</param>
    /// <param name="opset">The ONNX opset (≥ 13; layer norm needs 17).</param>
    /// <param name="inputScale">A factor the input is multiplied by first, written as a Mul node; null for none.</param>
    public static void Export(Network network, string path, OnnxPrecision precision = OnnxPrecision.Float32, int opset = DefaultOpset, double? inputScale = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = ToBytes(network, precision, opset, inputScale);
        OutputSet.WriteAtomically(path, s => s.Write(bytes));
    }

    /// <summary>The ONNX model of <paramref name="network"/> as bytes (a serialised ModelProto).</summary>
    /// <param name="network">The network.</param>
    /// <param name="precision">float32 or float64 tensors.</param>
    /// <param name="opset">The ONNX opset (≥ 13; layer norm needs 17).</param>
    /// <param name="inputScale">A factor the input is multiplied by first, written as a Mul node; null for none.</param>
    public static byte[] ToBytes(Network network, OnnxPrecision precision = OnnxPrecision.Float32, int opset = DefaultOpset, double? inputScale = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (opset < MinimumOpset) throw new ArgumentException($"ONNX export: opset {opset} is below the lowest supported, {MinimumOpset}.", nameof(opset));
        if (precision is not (OnnxPrecision.Float32 or OnnxPrecision.Float64)) throw new ArgumentException($"ONNX export: unknown precision {precision}.", nameof(precision));
        if (inputScale is double sc && !double.IsFinite(sc)) throw new ArgumentException($"ONNX export: the input scale must be finite, got {sc}.", nameof(inputScale));
        var e = new Exporter(network, precision == OnnxPrecision.Float32 ? DataType.Float : DataType.Double, opset, inputScale);
        return e.Build().Encode();
    }

    private sealed class Exporter(Network network, int elem, int opset, double? inputScale)
    {
        private readonly ModelP model = new();

        private string Const(string name, double[] values, params long[] dims)
        {
            model.Initializers.Add(new TensorP { Name = name, DataType = elem, Dims = [.. dims], Values = values });
            return name;
        }

        private string Node(string op, string output, IEnumerable<string> inputs, params AttributeP[] attributes)
        {
            model.Nodes.Add(new NodeP { OpType = op, Name = $"{op}_{model.Nodes.Count}", Inputs = [.. inputs], Outputs = [output], Attributes = [.. attributes] });
            return output;
        }

        // A node with one float attribute, its exact double kept in the doc_string.
        private string Node(string op, string output, string input, string attribute, double value, params AttributeP[] more)
        {
            Node(op, output, [input], [AttributeP.Float(attribute, (float)value), .. more]);
            model.Nodes[^1].DocString = $"mathdnn {attribute}={value.ToString("R", CultureInfo.InvariantCulture)}";
            return output;
        }

        private double[] Block(int layer, string name, int start = 0, int length = -1)
        {
            var b = network.Parameters.Layout.Block(layer, name);
            return network.Parameters.AsSpan().Slice(b.Offset + start, length < 0 ? b.Length : length).ToArray();
        }

        public ModelP Build()
        {
            model.IrVersion = opset >= 19 ? 9 : 8;
            model.ProducerName = "MathDnn";
            model.ProducerVersion = typeof(OnnxModel).Assembly.GetName().Version?.ToString() ?? "";
            model.Opsets.Add(("", opset));
            model.GraphName = "mathdnn";
            model.Inputs.Add(new ValueInfoP { Name = "input", ElemType = elem, Shape = [(0, "batch"), (network.InputSize, null)] });
            model.Outputs.Add(new ValueInfoP { Name = "output", ElemType = elem, Shape = [(0, "batch"), (network.OutputSize, null)] });

            string x = "input";
            if (inputScale is double scale) x = Node("Mul", "input.scaled", [x, Const("input.scale", [scale])]);
            var layers = network.Layers;
            for (int k = 0; k < layers.Length; k++)
            {
                string y = k == layers.Length - 1 ? "output" : $"h{k}";
                x = Layer(k, layers[k], x, y);
            }
            if (layers.Length == 0 || x != "output") throw new InvalidOperationException("ONNX export: the graph does not end at 'output'.");
            return model;
        }

        private string Layer(int k, Layer layer, string x, string y)
        {
            string p = $"layer{k}";
            switch (layer)
            {
                case Dense d:
                    return Node("Gemm", y, [x, Const($"{p}.W", Block(k, "W"), d.Outputs, d.Inputs), Const($"{p}.b", Block(k, "b"), d.Outputs)],
                        AttributeP.Int("transB", 1));
                case Maxout mo:
                    {
                        int m = mo.Outputs, n = mo.Inputs, km = mo.Pieces * m;
                        var pieces = new List<string>();
                        for (int i = 0; i < mo.Pieces; i++)
                        {
                            string w = Const($"{p}.W{i}", Block(k, "W", i * m * n, m * n), m, n);
                            string b = Const($"{p}.b{i}", Block(k, "b", i * m, m), m);
                            pieces.Add(Node("Gemm", mo.Pieces == 1 ? y : $"{p}.piece{i}", [x, w, b], AttributeP.Int("transB", 1)));
                        }
                        return mo.Pieces == 1 ? y : Node("Max", y, pieces);
                    }
                case Dropout dr:
                    return Node("Dropout", y, [x, Const($"{p}.ratio", [dr.Rate])]);
                case LayerNorm ln:
                    if (opset < 17) throw new ArgumentException($"ONNX export: layer {k} (layer-norm) needs LayerNormalization, opset 17 or later; opset {opset} was asked for.");
                    Node("LayerNormalization", y, x, "epsilon", ln.Epsilon, AttributeP.Int("axis", -1));
                    model.Nodes[^1].Inputs.AddRange([Const($"{p}.gain", Block(k, "gain"), ln.Features), Const($"{p}.bias", Block(k, "bias"), ln.Features)]);
                    return y;
                case Relu: return Node("Relu", y, [x]);
                case Sigmoid: return Node("Sigmoid", y, [x]);
                case Tanh: return Node("Tanh", y, [x]);
                case Identity: return Node("Identity", y, [x]);
                case Softplus: return Node("Softplus", y, [x]);
                case Softmax: return Node("Softmax", y, [x], AttributeP.Int("axis", -1));
                case LeakyRelu lr: return Node("LeakyRelu", y, x, "alpha", lr.Slope);
                case Elu el: return Node("Elu", y, x, "alpha", el.Alpha);
                case Silu:
                    {
                        string s = Node("Sigmoid", $"{p}.sigmoid", [x]);
                        return Node("Mul", y, [x, s]);
                    }
                case Gelu:
                    {
                        string a = Node("Div", $"{p}.scaled", [x, Const($"{p}.sqrt2", [Math.Sqrt(2)])]);
                        string b = Node("Erf", $"{p}.erf", [a]);
                        string c = Node("Add", $"{p}.onePlusErf", [b, Const($"{p}.one", [1.0])]);
                        string d = Node("Mul", $"{p}.product", [x, c]);
                        return Node("Mul", y, [d, Const($"{p}.half", [0.5])]);
                    }
                case GeluTanh:
                    {
                        // x·σ(2u), u = √(2/π)(x + 0.044715x³), as GeluTanh evaluates it (no cancellation in 1 + tanh u).
                        string sq = Node("Mul", $"{p}.square", [x, x]);
                        string cube = Node("Mul", $"{p}.cube", [sq, x]);
                        string cc = Node("Mul", $"{p}.cubic", [cube, Const($"{p}.c", [0.044715])]);
                        string inner = Node("Add", $"{p}.inner", [x, cc]);
                        string u2 = Node("Mul", $"{p}.twoU", [inner, Const($"{p}.twoSqrt2OverPi", [2 * 0.79788456080286535588])]);
                        string s = Node("Sigmoid", $"{p}.sigmoid", [u2]);
                        return Node("Mul", y, [x, s]);
                    }
                default:
                    throw new ArgumentException($"ONNX export: layer {k} ({layer.Name}, {layer.GetType().Name}) is not a built-in primitive with an ONNX form; " +
                        "exported are dense, maxout, dropout, layer-norm and the built-in activations.");
            }
        }
    }

    // ---- import ----

    /// <summary>Reads an ONNX model (the subset in <see cref="SupportedImport"/>) as a network; the weights are widened to double exactly.</summary>
    /// <exception cref="OnnxFormatException">The bytes are not an ONNX model, or a node is outside the subset (the message names it).</exception>
    public static Network Import(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Import(ms.ToArray());
    }

    /// <summary>Reads the ONNX model in the file <paramref name="path"/> as a network (see <see cref="Import(Stream)"/>).</summary>
    public static Network Import(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Checked before opening: a FIFO would block, a device never end (a missing file is File.ReadAllBytes's FileNotFoundException).
        if (FileCheck.KindOf(path) != FileKind.Missing && FileCheck.ReadProblem(path) is { } problem) throw new OnnxFormatException($"{path}: {problem}.");
        try
        {
            return Import(File.ReadAllBytes(path));
        }
        catch (OnnxFormatException e)
        {
            throw new OnnxFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a serialised ONNX ModelProto as a network (see <see cref="Import(Stream)"/>).</summary>
    public static Network Import(byte[] bytes)
    {
        var network = Import(bytes, out double? scale);
        if (scale is double s)
            throw new OnnxFormatException($"ONNX import: the model multiplies its input by {s.ToString("R", CultureInfo.InvariantCulture)} first, which a network does not hold; read it with Import(bytes, out inputScale).");
        return network;
    }

    /// <summary>
    /// Reads a serialised ONNX ModelProto as a network and the factor its input is multiplied by first (a leading Mul of
    /// the input by one number, as <see cref="ToBytes"/> writes a model file's <c>input.scale</c>), or null.
    /// </summary>
    public static Network Import(byte[] bytes, out double? inputScale)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) throw new OnnxFormatException("ONNX import: the file is empty.");
        ModelP model;
        try
        {
            model = ModelP.Decode(ByteString.CopyFrom(bytes));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"ONNX import: not a readable ONNX model (protobuf: {e.Message.TrimEnd('.')}); is the file truncated?", e);
        }
        return new Importer(model).Run(out inputScale);
    }

    private sealed class Importer(ModelP model)
    {
        private readonly Dictionary<string, TensorP> constants = new(StringComparer.Ordinal);
        private readonly List<Layer> layers = [];
        private readonly List<double> theta = [];
        private int width;

        // The shortest decimal that rounds to the float f, read as a double (0.1f reads back as 0.1).
        private static double FromFloat(float f) => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        // The float attribute as a double: the exact value Export keeps in the doc_string when it rounds to the attribute.
        private static double FloatAttribute(NodeP node, string name, double fallback)
        {
            if (node.Attribute(name) is not { } a) return fallback;
            string key = $"{name}=";
            if (node.DocString.StartsWith("mathdnn ", StringComparison.Ordinal))
                foreach (var part in node.DocString.Split(' '))
                    if (part.StartsWith(key, StringComparison.Ordinal) &&
                        double.TryParse(part.AsSpan(key.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double exact) && (float)exact == a.F)
                        return exact;
            return FromFloat(a.F);
        }

        private OnnxFormatException Unsupported(NodeP node, string why) =>
            new($"ONNX import: node {node} {why}; supported: {SupportedImport}.");

        private TensorP Constant(NodeP node, int input, string role)
        {
            if (input >= node.Inputs.Count || node.Inputs[input].Length == 0)
                throw Unsupported(node, $"has no {role} input");
            if (!constants.TryGetValue(node.Inputs[input], out var t))
                throw Unsupported(node, $"takes its {role} '{node.Inputs[input]}' from the graph, not from an initializer or Constant");
            if (t.DataType is not (DataType.Float or DataType.Double))
                throw Unsupported(node, $"has {role} '{t.Name}' of ONNX element type {t.DataType}, not float or double");
            return t;
        }

        private double Scalar(NodeP node, int input, string role)
        {
            var t = Constant(node, input, role);
            if (t.Values.Length != 1) throw Unsupported(node, $"has {role} '{t.Name}' with {t.Values.Length} values, not one");
            return t.Values[0];
        }

        private void Check(NodeP node, bool condition, string why)
        {
            if (!condition) throw Unsupported(node, why);
        }

        private void AddDense(NodeP node, double[] rowMajorW, double[] b, int outputs)
        {
            Check(node, rowMajorW.Length == outputs * width, $"has a weight of {rowMajorW.Length} entries, not {outputs}×{width} for inputs of width {width}");
            layers.Add(new Dense(width, outputs));
            theta.AddRange(rowMajorW);
            theta.AddRange(b);
            width = outputs;
        }

        /// <summary>The Gemm node's y·Wᵀ + b as (W row-major m×n, b).</summary>
        private (double[] W, double[] B, int M) Gemm(NodeP node)
        {
            Check(node, node.Attribute("transA") is not { I: not 0 }, "has transA = 1");
            Check(node, node.Attribute("alpha") is not { } a || a.F == 1f, "has alpha ≠ 1");
            Check(node, node.Attribute("beta") is not { } be || be.F == 1f || node.Inputs.Count < 3, "has beta ≠ 1");
            bool transB = node.Attribute("transB") is { I: not 0 };
            var w = Constant(node, 1, "weight");
            Check(node, w.Dims.Count == 2, $"has a weight of rank {w.Dims.Count}, not 2");
            int m = (int)(transB ? w.Dims[0] : w.Dims[1]), n = (int)(transB ? w.Dims[1] : w.Dims[0]);
            Check(node, n == width, $"has a weight [{string.Join(", ", w.Dims)}] for inputs of width {n}, but its input has width {width}");
            var W = transB ? w.Values : Transpose(w.Values, n, m);
            var b = new double[m];
            if (node.Inputs.Count >= 3 && node.Inputs[2].Length > 0)
            {
                var bt = Constant(node, 2, "bias");
                if (bt.Values.Length == m) b = bt.Values;
                else if (bt.Values.Length == 1) Array.Fill(b, bt.Values[0]);
                else throw Unsupported(node, $"has a bias of {bt.Values.Length} entries, not {m}");
            }
            return (W, b, m);
        }

        private static double[] Transpose(double[] a, int rows, int cols)
        {
            var t = new double[a.Length];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
            return t;
        }

        private bool IsConstant(NodeP node, int input, double value) =>
            input < node.Inputs.Count && constants.TryGetValue(node.Inputs[input], out var t) && t.Values.Length == 1 && Math.Abs(t.Values[0] - value) <= 1e-6 * Math.Abs(value);

        /// <summary>The other input of a binary node when one of its inputs is <paramref name="name"/>.</summary>
        private static int Other(NodeP node, string name) =>
            node.Inputs.Count == 2 && node.Inputs[0] == name ? 1 : node.Inputs.Count == 2 && node.Inputs[1] == name ? 0 : -1;

        public Network Run(out double? inputScale)
        {
            inputScale = null;
            var opset = model.Opsets.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
            foreach (var t in model.Initializers) constants[t.Name] = t;
            var nodes = new List<NodeP>();
            foreach (var n in model.Nodes)
            {
                if (n.OpType == "Constant" && n.Attribute("value") is { T: { } t } && n.Outputs.Count == 1)
                {
                    t.Name = n.Outputs[0];
                    constants[t.Name] = t;
                }
                else nodes.Add(n);
            }
            foreach (var n in nodes)
                if (n.Domain is not ("" or "ai.onnx"))
                    throw Unsupported(n, $"is in domain '{n.Domain}', not the default ONNX domain");

            var inputs = model.Inputs.Where(v => !constants.ContainsKey(v.Name)).ToList();
            if (inputs.Count != 1) throw new OnnxFormatException($"ONNX import: the graph has {inputs.Count} inputs besides its weights ({string.Join(", ", inputs.Select(v => v.Name))}); one is supported.");
            if (model.Outputs.Count != 1) throw new OnnxFormatException($"ONNX import: the graph has {model.Outputs.Count} outputs; one is supported.");
            var input = inputs[0];
            if (input.ElemType is not (DataType.Float or DataType.Double))
                throw new OnnxFormatException($"ONNX import: input '{input.Name}' has ONNX element type {input.ElemType}, not float (1) or double (11).");
            if (input.Shape.Count != 2 || input.Shape[1].Param is not null || input.Shape[1].Value < 1)
                throw new OnnxFormatException($"ONNX import: input '{input.Name}' has shape [{string.Join(", ", input.Shape.Select(d => d.Param ?? d.Value.ToString(CultureInfo.InvariantCulture)))}], not [batch, n] with a fixed n.");
            width = (int)input.Shape[1].Value;
            int inputWidth = width;

            string x = input.Name;
            int start = 0;
            if (nodes.Count > 0 && nodes[0] is { OpType: "Mul" } mul && Other(mul, x) is int o and >= 0 &&
                constants.TryGetValue(mul.Inputs[o], out var st) && st.Values.Length == 1)
            {
                inputScale = st.Values[0];
                x = mul.Outputs[0];
                start = 1;
            }
            for (int i = start; i < nodes.Count;)
            {
                var node = nodes[i];
                if (!node.Inputs.Contains(x))
                    throw Unsupported(node, $"does not take '{x}', the output of the node before it: only a chain of layers is supported");
                i += Step(nodes, i, ref x, opset);
            }
            if (x != model.Outputs[0].Name)
                throw new OnnxFormatException($"ONNX import: the chain of nodes ends at '{x}' but the graph output is '{model.Outputs[0].Name}'.");
            if (layers.Count == 0) throw new OnnxFormatException("ONNX import: the graph has no layers (input and output are the same tensor).");
            var (layout, _) = Network.LayoutOf(inputWidth, layers);
            return Network.Create(inputWidth, layers, Parameters.FromArray(layout, [.. theta]));
        }

        /// <summary>Reads the layer starting at nodes[i]; returns how many nodes it took.</summary>
        private int Step(List<NodeP> nodes, int i, ref string x, long opset)
        {
            var node = nodes[i];
            NodeP? Next(int j) => i + j < nodes.Count ? nodes[i + j] : null;
            string output = node.Outputs.Count > 0 ? node.Outputs[0] : throw Unsupported(node, "has no output");
            switch (node.OpType)
            {
                case "Gemm":
                    {
                        // k Gemm nodes on the same input followed by Max of their outputs: a maxout layer.
                        int k = 1;
                        while (Next(k) is { OpType: "Gemm" } g && g.Inputs.Count > 0 && g.Inputs[0] == x) k++;
                        if (k > 1 && Next(k) is { OpType: "Max" } max && max.Inputs.Count == k &&
                            max.Inputs.ToHashSet().SetEquals(nodes.Skip(i).Take(k).Select(n => n.Outputs[0])))
                        {
                            var pieces = nodes.Skip(i).Take(k).Select(Gemm).ToList();
                            int m = pieces[0].M;
                            Check(max, pieces.All(p => p.M == m), "takes pieces of different widths");
                            layers.Add(new Maxout(width, m, k));
                            foreach (var name in max.Inputs) theta.AddRange(pieces[nodes.Skip(i).Take(k).ToList().FindIndex(n => n.Outputs[0] == name)].W);
                            foreach (var name in max.Inputs) theta.AddRange(pieces[nodes.Skip(i).Take(k).ToList().FindIndex(n => n.Outputs[0] == name)].B);
                            width = m;
                            x = max.Outputs[0];
                            return k + 1;
                        }
                        Check(node, node.Inputs[0] == x, $"takes '{x}' as its second operand");
                        var (w, b, mm) = Gemm(node);
                        AddDense(node, w, b, mm);
                        x = output;
                        return 1;
                    }
                case "MatMul":
                    {
                        Check(node, node.Inputs[0] == x, $"takes '{x}' as its second operand");
                        var w = Constant(node, 1, "weight");
                        Check(node, w.Dims.Count == 2 && w.Dims[0] == width, $"has a weight [{string.Join(", ", w.Dims)}], not [{width}, m]");
                        int m = (int)w.Dims[1];
                        var b = new double[m];
                        int taken = 1;
                        if (Next(1) is { OpType: "Add" } add && Other(add, output) is int o and >= 0 && constants.TryGetValue(add.Inputs[o], out var bt))
                        {
                            Check(add, bt.Values.Length == m, $"adds a bias of {bt.Values.Length} entries, not {m}");
                            b = bt.Values;
                            output = add.Outputs[0];
                            taken = 2;
                        }
                        AddDense(node, Transpose(w.Values, width, m), b, m);
                        x = output;
                        return taken;
                    }
                case "Relu": layers.Add(new Relu()); break;
                case "Tanh": layers.Add(new Tanh()); break;
                case "Softplus": layers.Add(new Softplus()); break;
                case "Identity": layers.Add(new Identity()); break;
                case "LeakyRelu": layers.Add(new LeakyRelu(FloatAttribute(node, "alpha", 0.01))); break;
                case "Elu": layers.Add(new Elu(FloatAttribute(node, "alpha", 1.0))); break;
                case "PRelu": layers.Add(new LeakyRelu(Scalar(node, 1, "slope"))); break;
                case "Softmax":
                    {
                        long axis = node.Attribute("axis") is { } ax ? ax.I : opset >= 13 ? -1 : 1;
                        Check(node, axis is -1 or 1, $"normalises axis {axis}, not the last (−1 or 1)");
                        layers.Add(new Softmax());
                        break;
                    }
                case "Dropout":
                    {
                        // A float ratio reads back as its shortest decimal (0.3f as 0.3), like the float attributes.
                        double rate = node.Inputs.Count >= 2 && node.Inputs[1].Length > 0
                            ? (Constant(node, 1, "ratio").DataType == DataType.Float ? FromFloat((float)Scalar(node, 1, "ratio")) : Scalar(node, 1, "ratio"))
                            : node.Attribute("ratio") is { } r ? FromFloat(r.F) : 0.5;
                        Check(node, node.Inputs.Count < 3 || node.Inputs[2].Length == 0 || (constants.TryGetValue(node.Inputs[2], out var tm) && tm.Int64s.All(v => v == 0) && tm.Values.All(v => v == 0)),
                            "has training_mode on");
                        layers.Add(new Dropout(rate));
                        break;
                    }
                case "LayerNormalization":
                    {
                        long axis = node.Attribute("axis") is { } ax ? ax.I : -1;
                        Check(node, axis is -1 or 1, $"normalises from axis {axis}, not the last (−1 or 1)");
                        var gain = Constant(node, 1, "scale");
                        Check(node, gain.Values.Length == width, $"has a scale of {gain.Values.Length} entries, not {width}");
                        var bias = node.Inputs.Count >= 3 && node.Inputs[2].Length > 0 ? Constant(node, 2, "bias").Values : new double[width];
                        Check(node, bias.Length == width, $"has a bias of {bias.Length} entries, not {width}");
                        layers.Add(new LayerNorm(width, FloatAttribute(node, "epsilon", 1e-5)));
                        theta.AddRange(gain.Values);
                        theta.AddRange(bias);
                        break;
                    }
                case "Gelu":
                    layers.Add(node.Attribute("approximate") is { S: "tanh" } ? new GeluTanh() : new Gelu());
                    break;
                case "Sigmoid":
                    // x·Sigmoid(x) is SiLU.
                    if (Next(1) is { OpType: "Mul" } mul && Other(mul, output) is int other and >= 0 && mul.Inputs[other] == x)
                    {
                        layers.Add(new Silu());
                        x = mul.Outputs[0];
                        return 2;
                    }
                    layers.Add(new Sigmoid());
                    break;
                case "Div":
                case "Mul" when Next(1)?.OpType == "Erf":
                    {
                        // GELU as PyTorch (and Export) write it: Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5).
                        bool div = node.OpType == "Div";
                        if (node.Inputs.Count == 2 && node.Inputs[0] == x && IsConstant(node, 1, div ? Math.Sqrt(2) : Math.Sqrt(0.5)) &&
                            Next(1) is { OpType: "Erf" } erf && erf.Inputs[0] == output &&
                            Next(2) is { OpType: "Add" } add && Other(add, erf.Outputs[0]) is int o1 and >= 0 && IsConstant(add, o1, 1) &&
                            Next(3) is { OpType: "Mul" } mul1 && Other(mul1, add.Outputs[0]) is int o2 and >= 0 && mul1.Inputs[o2] == x &&
                            Next(4) is { OpType: "Mul" } mul2 && Other(mul2, mul1.Outputs[0]) is int o3 and >= 0 && IsConstant(mul2, o3, 0.5))
                        {
                            layers.Add(new Gelu());
                            x = mul2.Outputs[0];
                            return 5;
                        }
                        throw Unsupported(node, "is not part of a GELU pattern x·(1 + Erf(x/√2))·½");
                    }
                case "Mul":
                    {
                        // GELU-tanh as Export writes it.
                        if (i + 6 < nodes.Count && nodes.Skip(i).Take(7).Select(n => n.OpType).SequenceEqual(["Mul", "Mul", "Mul", "Add", "Mul", "Sigmoid", "Mul"]) &&
                            node.Inputs.Count == 2 && node.Inputs[0] == x && node.Inputs[1] == x && nodes[i + 6].Inputs.Contains(x) && nodes[i + 6].Inputs.Contains(nodes[i + 5].Outputs[0]) &&
                            IsConstant(nodes[i + 2], 1, 0.044715) && IsConstant(nodes[i + 4], 1, 2 * 0.79788456080286535588))
                        {
                            layers.Add(new GeluTanh());
                            x = nodes[i + 6].Outputs[0];
                            return 7;
                        }
                        throw Unsupported(node, "is not part of a supported pattern (SiLU, GELU)");
                    }
                default:
                    throw Unsupported(node, $"has op type {node.OpType}, which is not supported");
            }
            x = output;
            return 1;
        }
    }
}
