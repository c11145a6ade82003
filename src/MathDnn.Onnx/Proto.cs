using Google.Protobuf;

namespace MathDnn.Onnx;

// The few messages of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) that a dense network needs, written and read
// by hand with Google.Protobuf's CodedOutputStream/CodedInputStream. The field numbers below are onnx.proto's; every
// other field is skipped on reading. No generated code: the subset is small and its field numbers are frozen.

internal static class DataType
{
    public const int Float = 1;
    public const int Int64 = 7;
    public const int Double = 11;
}

internal static class AttributeType
{
    public const int Float = 1;
    public const int Int = 2;
    public const int String = 3;
    public const int Tensor = 4;
    public const int Floats = 6;
    public const int Ints = 7;
}

/// <summary>TensorProto: dims 1, data_type 2, float_data 4, int64_data 7, name 8, raw_data 9, double_data 10.</summary>
internal sealed class TensorP
{
    public string Name = "";
    public List<long> Dims = [];
    public int DataType;
    public double[] Values = [];   // float and double data, widened exactly
    public long[] Int64s = [];

    public byte[] Encode()
    {
        return Proto.Message(o =>
        {
            foreach (var d in Dims) { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(d); }
            o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32(DataType);
            o.WriteTag(8, WireFormat.WireType.LengthDelimited); o.WriteString(Name);
            byte[] raw;
            if (DataType == Onnx.DataType.Float)
            {
                raw = new byte[Values.Length * 4];
                for (int i = 0; i < Values.Length; i++) BitConverter.TryWriteBytes(raw.AsSpan(4 * i), (float)Values[i]);
            }
            else if (DataType == Onnx.DataType.Double)
            {
                raw = new byte[Values.Length * 8];
                for (int i = 0; i < Values.Length; i++) BitConverter.TryWriteBytes(raw.AsSpan(8 * i), Values[i]);
            }
            else
            {
                raw = new byte[Int64s.Length * 8];
                for (int i = 0; i < Int64s.Length; i++) BitConverter.TryWriteBytes(raw.AsSpan(8 * i), Int64s[i]);
            }
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export: raw tensor data is little-endian; this machine is not.");
            o.WriteTag(9, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(raw));
        });
    }

    public static TensorP Decode(ByteString bytes)
    {
        var t = new TensorP();
        var floats = new List<double>();
        var int64s = new List<long>();
        ByteString? raw = null;
        var i = bytes.CreateCodedInput();
        uint tag;
        while ((tag = i.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            var wire = WireFormat.GetTagWireType(tag);
            switch (field)
            {
                case 1: Proto.Int64s(i, wire, t.Dims); break;
                case 2: t.DataType = i.ReadInt32(); break;
                case 4:
                    if (wire == WireFormat.WireType.LengthDelimited)
                    {
                        var p = i.ReadBytes().CreateCodedInput();
                        while (!p.IsAtEnd) floats.Add(p.ReadFloat());
                    }
                    else floats.Add(i.ReadFloat());
                    break;
                case 7: Proto.Int64s(i, wire, int64s); break;
                case 8: t.Name = i.ReadString(); break;
                case 9: raw = i.ReadBytes(); break;
                case 10:
                    if (wire == WireFormat.WireType.LengthDelimited)
                    {
                        var p = i.ReadBytes().CreateCodedInput();
                        while (!p.IsAtEnd) floats.Add(p.ReadDouble());
                    }
                    else floats.Add(i.ReadDouble());
                    break;
                case 13: throw new OnnxFormatException($"ONNX import: tensor '{t.Name}' keeps its data in an external file, which is not supported (save the model with its weights inside).");
                default: i.SkipLastField(); break;
            }
        }
        long count = t.Dims.Aggregate(1L, (a, d) => a * d);
        if (raw is not null)
        {
            var span = raw.Span;
            int size = t.DataType switch { Onnx.DataType.Float => 4, Onnx.DataType.Double or Onnx.DataType.Int64 => 8, _ => 0 };
            if (size == 0) return t; // unsupported element type: the caller names it
            if (span.Length != count * size)
                throw new OnnxFormatException($"ONNX import: tensor '{t.Name}' has shape [{string.Join(", ", t.Dims)}] but {span.Length} bytes of raw data (expected {count * size}).");
            if (t.DataType == Onnx.DataType.Int64)
            {
                t.Int64s = new long[count];
                for (int k = 0; k < count; k++) t.Int64s[k] = BitConverter.ToInt64(span.Slice(8 * k, 8));
            }
            else
            {
                t.Values = new double[count];
                for (int k = 0; k < count; k++)
                    t.Values[k] = size == 4 ? BitConverter.ToSingle(span.Slice(4 * k, 4)) : BitConverter.ToDouble(span.Slice(8 * k, 8));
            }
        }
        else
        {
            t.Values = [.. floats];
            t.Int64s = [.. int64s];
            int have = t.DataType == Onnx.DataType.Int64 ? t.Int64s.Length : t.Values.Length;
            if ((t.DataType is Onnx.DataType.Float or Onnx.DataType.Double or Onnx.DataType.Int64) && have != count)
                throw new OnnxFormatException($"ONNX import: tensor '{t.Name}' has shape [{string.Join(", ", t.Dims)}] but {have} values (expected {count}).");
        }
        return t;
    }
}

/// <summary>AttributeProto: name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, type 20.</summary>
internal sealed class AttributeP
{
    public string Name = "";
    public int Type;
    public float F;
    public long I;
    public string S = "";
    public TensorP? T;
    public List<long> Ints = [];

    public static AttributeP Float(string name, float f) => new() { Name = name, Type = AttributeType.Float, F = f };
    public static AttributeP Int(string name, long i) => new() { Name = name, Type = AttributeType.Int, I = i };
    public static AttributeP String(string name, string s) => new() { Name = name, Type = AttributeType.String, S = s };

    public byte[] Encode() => Proto.Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(Name);
        switch (Type)
        {
            case AttributeType.Float: o.WriteTag(2, WireFormat.WireType.Fixed32); o.WriteFloat(F); break;
            case AttributeType.Int: o.WriteTag(3, WireFormat.WireType.Varint); o.WriteInt64(I); break;
            case AttributeType.String: o.WriteTag(4, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFromUtf8(S)); break;
            default: throw new InvalidOperationException($"ONNX export: attribute type {Type} is not written.");
        }
        o.WriteTag(20, WireFormat.WireType.Varint); o.WriteInt32(Type);
    });

    public static AttributeP Decode(ByteString bytes)
    {
        var a = new AttributeP();
        var i = bytes.CreateCodedInput();
        uint tag;
        while ((tag = i.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: a.Name = i.ReadString(); break;
                case 2: a.F = i.ReadFloat(); break;
                case 3: a.I = i.ReadInt64(); break;
                case 4: a.S = i.ReadBytes().ToStringUtf8(); break;
                case 5: a.T = TensorP.Decode(i.ReadBytes()); break;
                case 8: Proto.Int64s(i, WireFormat.GetTagWireType(tag), a.Ints); break;
                case 20: a.Type = i.ReadInt32(); break;
                default: i.SkipLastField(); break;
            }
        }
        return a;
    }
}

/// <summary>NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, doc_string 6, domain 7.</summary>
internal sealed class NodeP
{
    public List<string> Inputs = [];
    public List<string> Outputs = [];
    public string Name = "";
    public string OpType = "";
    public string Domain = "";
    public string DocString = "";
    public List<AttributeP> Attributes = [];

    public AttributeP? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    public byte[] Encode() => Proto.Message(o =>
    {
        foreach (var s in Inputs) { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(s); }
        foreach (var s in Outputs) { o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString(s); }
        o.WriteTag(3, WireFormat.WireType.LengthDelimited); o.WriteString(Name);
        o.WriteTag(4, WireFormat.WireType.LengthDelimited); o.WriteString(OpType);
        foreach (var a in Attributes) Proto.Sub(o, 5, a.Encode());
        if (DocString.Length > 0) { o.WriteTag(6, WireFormat.WireType.LengthDelimited); o.WriteString(DocString); }
    });

    public static NodeP Decode(ByteString bytes)
    {
        var n = new NodeP();
        var i = bytes.CreateCodedInput();
        uint tag;
        while ((tag = i.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: n.Inputs.Add(i.ReadString()); break;
                case 2: n.Outputs.Add(i.ReadString()); break;
                case 3: n.Name = i.ReadString(); break;
                case 4: n.OpType = i.ReadString(); break;
                case 5: n.Attributes.Add(AttributeP.Decode(i.ReadBytes())); break;
                case 6: n.DocString = i.ReadString(); break;
                case 7: n.Domain = i.ReadString(); break;
                default: i.SkipLastField(); break;
            }
        }
        return n;
    }

    public override string ToString() => Name.Length > 0 ? $"'{Name}' ({OpType})" : $"{OpType} (output '{Outputs.FirstOrDefault()}')";
}

/// <summary>
/// ValueInfoProto (name 1, type 2) of a tensor: TypeProto.tensor_type 1 → TypeProto.Tensor (elem_type 1, shape 2) →
/// TensorShapeProto.dim 1 → Dimension (dim_value 1, dim_param 2). A dimension is a number or a symbol.
/// </summary>
internal sealed class ValueInfoP
{
    public string Name = "";
    public int ElemType;
    public List<(long Value, string? Param)> Shape = [];

    public byte[] Encode()
    {
        var shape = Proto.Message(o =>
        {
            foreach (var (value, param) in Shape)
                Proto.Sub(o, 1, Proto.Message(d =>
                {
                    if (param is null) { d.WriteTag(1, WireFormat.WireType.Varint); d.WriteInt64(value); }
                    else { d.WriteTag(2, WireFormat.WireType.LengthDelimited); d.WriteString(param); }
                }));
        });
        var tensor = Proto.Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt32(ElemType);
            Proto.Sub(o, 2, shape);
        });
        var type = Proto.Message(o => Proto.Sub(o, 1, tensor));
        return Proto.Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(Name);
            Proto.Sub(o, 2, type);
        });
    }

    public static ValueInfoP Decode(ByteString bytes)
    {
        var v = new ValueInfoP();
        Proto.Fields(bytes, (field, i) =>
        {
            if (field == 1) v.Name = i.ReadString();
            else if (field == 2)
                Proto.Fields(i.ReadBytes(), (f2, t) =>
                {
                    if (f2 != 1) { t.SkipLastField(); return; }
                    Proto.Fields(t.ReadBytes(), (f3, tt) =>
                    {
                        if (f3 == 1) v.ElemType = tt.ReadInt32();
                        else if (f3 == 2)
                            Proto.Fields(tt.ReadBytes(), (f4, s) =>
                            {
                                if (f4 != 1) { s.SkipLastField(); return; }
                                long value = -1; string? param = null;
                                Proto.Fields(s.ReadBytes(), (f5, d) =>
                                {
                                    if (f5 == 1) value = d.ReadInt64();
                                    else if (f5 == 2) param = d.ReadString();
                                    else d.SkipLastField();
                                });
                                v.Shape.Add((value, param ?? (value < 0 ? "?" : null)));
                            });
                        else tt.SkipLastField();
                    });
                });
            else i.SkipLastField();
        });
        return v;
    }
}

/// <summary>GraphProto: node 1, name 2, initializer 5, input 11, output 12. ModelProto: ir_version 1, producer_name 2,
/// producer_version 3, graph 7, opset_import 8 (OperatorSetIdProto: domain 1, version 2).</summary>
internal sealed class ModelP
{
    public long IrVersion;
    public string ProducerName = "";
    public string ProducerVersion = "";
    public List<(string Domain, long Version)> Opsets = [];
    public string GraphName = "";
    public List<NodeP> Nodes = [];
    public List<TensorP> Initializers = [];
    public List<ValueInfoP> Inputs = [];
    public List<ValueInfoP> Outputs = [];

    public byte[] Encode()
    {
        var graph = Proto.Message(o =>
        {
            foreach (var n in Nodes) Proto.Sub(o, 1, n.Encode());
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString(GraphName);
            foreach (var t in Initializers) Proto.Sub(o, 5, t.Encode());
            foreach (var v in Inputs) Proto.Sub(o, 11, v.Encode());
            foreach (var v in Outputs) Proto.Sub(o, 12, v.Encode());
        });
        return Proto.Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(IrVersion);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString(ProducerName);
            o.WriteTag(3, WireFormat.WireType.LengthDelimited); o.WriteString(ProducerVersion);
            Proto.Sub(o, 7, graph);
            foreach (var (domain, version) in Opsets)
                Proto.Sub(o, 8, Proto.Message(s =>
                {
                    s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(domain);
                    s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt64(version);
                }));
        });
    }

    public static ModelP Decode(ByteString bytes)
    {
        var m = new ModelP();
        bool graph = false;
        Proto.Fields(bytes, (field, i) =>
        {
            switch (field)
            {
                case 1: m.IrVersion = i.ReadInt64(); break;
                case 2: m.ProducerName = i.ReadString(); break;
                case 3: m.ProducerVersion = i.ReadString(); break;
                case 7:
                    graph = true;
                    Proto.Fields(i.ReadBytes(), (f, g) =>
                    {
                        switch (f)
                        {
                            case 1: m.Nodes.Add(NodeP.Decode(g.ReadBytes())); break;
                            case 2: m.GraphName = g.ReadString(); break;
                            case 5: m.Initializers.Add(TensorP.Decode(g.ReadBytes())); break;
                            case 11: m.Inputs.Add(ValueInfoP.Decode(g.ReadBytes())); break;
                            case 12: m.Outputs.Add(ValueInfoP.Decode(g.ReadBytes())); break;
                            default: g.SkipLastField(); break;
                        }
                    });
                    break;
                case 8:
                    string domain = ""; long version = 0;
                    Proto.Fields(i.ReadBytes(), (f, s) =>
                    {
                        if (f == 1) domain = s.ReadString();
                        else if (f == 2) version = s.ReadInt64();
                        else s.SkipLastField();
                    });
                    m.Opsets.Add((domain, version));
                    break;
                default: i.SkipLastField(); break;
            }
        });
        if (!graph) throw new OnnxFormatException("ONNX import: the file holds no graph (ModelProto field 7): not an ONNX model, or an empty one.");
        return m;
    }
}

internal static class Proto
{
    public static byte[] Message(Action<CodedOutputStream> write)
    {
        using var ms = new MemoryStream();
        var o = new CodedOutputStream(ms);
        write(o);
        o.Flush();
        return ms.ToArray();
    }

    public static void Sub(CodedOutputStream o, int field, byte[] message)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(message));
    }

    public static void Fields(ByteString bytes, Action<int, CodedInputStream> read)
    {
        var i = bytes.CreateCodedInput();
        uint tag;
        while ((tag = i.ReadTag()) != 0) read(WireFormat.GetTagFieldNumber(tag), i);
    }

    public static void Int64s(CodedInputStream i, WireFormat.WireType wire, List<long> into)
    {
        if (wire == WireFormat.WireType.LengthDelimited)
        {
            var p = i.ReadBytes().CreateCodedInput();
            while (!p.IsAtEnd) into.Add(p.ReadInt64());
        }
        else into.Add(i.ReadInt64());
    }
}
