using System.Collections.Immutable;
using System.Numerics.Tensors;
using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Networks;

/// <summary>One parameter block of a network: layer <see cref="Layer"/>'s "W" or "b", a Rows×Columns matrix stored row-major at <see cref="Offset"/> in θ.</summary>
public sealed record ParameterBlock(int Layer, string Name, int Rows, int Columns, int Offset)
{
    public int Length => Rows * Columns;
    public override string ToString() => $"layer {Layer} {Name} ({Rows}×{Columns})";
}

/// <summary>Where each block of θ lives in its flat vector: the blocks of every layer that has parameters, in layer order.</summary>
public sealed class ParameterLayout : IEquatable<ParameterLayout>
{
    public ParameterLayout(IEnumerable<ParameterBlock> blocks)
    {
        Blocks = [.. blocks];
        int offset = 0;
        foreach (var b in Blocks)
        {
            if (b.Offset != offset) throw new ArgumentException($"Parameter layout: {b} starts at {b.Offset}, expected {offset}.");
            offset += b.Length;
        }
        Count = offset;
    }

    public ImmutableArray<ParameterBlock> Blocks { get; }

    /// <summary>|θ|, the total number of parameters.</summary>
    public int Count { get; }

    /// <summary>The block named <paramref name="name"/> of layer <paramref name="layer"/>.</summary>
    public ParameterBlock Block(int layer, string name) =>
        Blocks.FirstOrDefault(b => b.Layer == layer && b.Name == name)
        ?? throw new ArgumentException($"Parameters: layer {layer} has no block \"{name}\"; blocks are {string.Join(", ", Blocks)}.");

    /// <summary>The block containing flat index <paramref name="index"/> and the (row, column) inside it.</summary>
    public (ParameterBlock Block, int Row, int Column) Locate(int index)
    {
        foreach (var b in Blocks)
            if (index >= b.Offset && index < b.Offset + b.Length)
                return (b, (index - b.Offset) / b.Columns, (index - b.Offset) % b.Columns);
        throw new ArgumentOutOfRangeException(nameof(index), index, $"θ has {Count} entries.");
    }

    public bool Equals(ParameterLayout? other) => other is not null && Blocks.SequenceEqual(other.Blocks);
    public override bool Equals(object? obj) => Equals(obj as ParameterLayout);
    public override int GetHashCode() => Blocks.Aggregate(Count, (h, b) => HashCode.Combine(h, b));
    public override string ToString() => string.Join(", ", Blocks);
}

/// <summary>
/// θ, the parameters of a network, as an immutable vector with the operations optimizers need (add, scale, dot,
/// norm, map) and a view of each block as a matrix. Every operation returns a new value; none mutates its operands.
/// Entries are stored in one flat array laid out by <see cref="Layout"/> (W row-major, then b, layer after layer).
/// </summary>
public sealed class Parameters : IEquatable<Parameters>
{
    private readonly double[] values;

    private Parameters(ParameterLayout layout, double[] values)
    {
        Layout = layout;
        this.values = values;
    }

    /// <summary>Takes ownership of <paramref name="values"/> (no copy): only for arrays nobody else holds.</summary>
    internal static Parameters Own(ParameterLayout layout, double[] values)
    {
        if (values.Length != layout.Count)
            throw new ArgumentException($"Parameters: the layout has {layout.Count} entries but {values.Length} values were given.");
        return new Parameters(layout, values);
    }

    /// <summary>The array itself, for the engine, which only reads it.</summary>
    internal double[] Values => values;

    public ParameterLayout Layout { get; }
    public int Count => values.Length;
    public double this[int index] => values[index];
    public ReadOnlySpan<double> AsSpan() => values;

    public static Parameters Zeros(ParameterLayout layout) => new(layout, new double[layout.Count]);

    public static Parameters FromVector(ParameterLayout layout, Vector<double> theta)
    {
        if (theta.Count != layout.Count)
            throw new ArgumentException($"Parameters: θ must be 1×{layout.Count} for this layout, got 1×{theta.Count}.");
        return new Parameters(layout, theta.ToArray());
    }

    public static Parameters FromArray(ParameterLayout layout, ReadOnlySpan<double> theta)
    {
        if (theta.Length != layout.Count)
            throw new ArgumentException($"Parameters: θ must have {layout.Count} entries for this layout, got {theta.Length}.");
        return new Parameters(layout, theta.ToArray());
    }

    /// <summary>θ flattened to one row vector (the order of <see cref="Layout"/>).</summary>
    public Vector<double> ToVector() => Vector<double>.Build.DenseOfArray((double[])values.Clone());

    public double[] ToArray() => (double[])values.Clone();

    /// <summary>A copy of one block as a matrix (W is m×n; b is 1×m).</summary>
    public Matrix<double> Block(ParameterBlock block) => Mat.ToMatrix(values.AsSpan(block.Offset, block.Length).ToArray(), block.Rows, block.Columns);

    /// <summary>W of layer <paramref name="layer"/> (m×n).</summary>
    public Matrix<double> Weights(int layer) => Block(Layout.Block(layer, "W"));

    /// <summary>b of layer <paramref name="layer"/> (a 1×m row).</summary>
    public Vector<double> Bias(int layer)
    {
        var b = Layout.Block(layer, "b");
        return Mat.ToVector(values.AsSpan(b.Offset, b.Length));
    }

    /// <summary>A copy with one block replaced (shapes checked).</summary>
    public Parameters With(int layer, string name, Matrix<double> value)
    {
        var b = Layout.Block(layer, name);
        if (value.RowCount != b.Rows || value.ColumnCount != b.Columns)
            throw new ArgumentException($"Parameters: {b} cannot take a {Guard.Shape(value)} matrix.");
        var copy = (double[])values.Clone();
        value.ToRowMajorArray().CopyTo(copy, b.Offset);
        return new Parameters(Layout, copy);
    }

    public Parameters With(int layer, string name, Vector<double> value) =>
        With(layer, name, Matrix<double>.Build.DenseOfRowArrays([value.ToArray()]));

    // ---- vector space ----

    public Parameters Add(Parameters other) => Zip(other, static (x, y, d) => TensorPrimitives.Add(x, y, d));
    public Parameters Subtract(Parameters other) => Zip(other, static (x, y, d) => TensorPrimitives.Subtract(x, y, d));

    /// <summary>The Hadamard (entry-wise) product.</summary>
    public Parameters Multiply(Parameters other) => Zip(other, static (x, y, d) => TensorPrimitives.Multiply(x, y, d));

    public Parameters Scale(double a)
    {
        var r = new double[values.Length];
        TensorPrimitives.Multiply(values, a, r);
        return new Parameters(Layout, r);
    }

    /// <summary>θ + a·d in one pass.</summary>
    public Parameters AddScaled(double a, Parameters d)
    {
        CheckLayout(d, "AddScaled");
        var r = new double[values.Length];
        TensorPrimitives.MultiplyAdd(d.values, a, values, r);
        return new Parameters(Layout, r);
    }

    public double Dot(Parameters other)
    {
        CheckLayout(other, "Dot");
        return TensorPrimitives.Dot(values, other.values);
    }

    /// <summary>The Euclidean norm ‖θ‖₂ (003 Notation 5).</summary>
    public double Norm() => TensorPrimitives.Norm(values);

    /// <summary>max_i |θ_i|.</summary>
    public double MaxAbs() => values.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(values));

    public Parameters Map(Func<double, double> f)
    {
        var r = new double[values.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(values[i]);
        return new Parameters(Layout, r);
    }

    public Parameters Map(Func<double, double, double> f, Parameters other)
    {
        CheckLayout(other, "Map");
        var r = new double[values.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(values[i], other.values[i]);
        return new Parameters(Layout, r);
    }

    /// <summary>The same layout with every entry set to the block-wise function of (block, index in block) — e.g. a mask that excludes biases.</summary>
    public static Parameters FromBlocks(ParameterLayout layout, Func<ParameterBlock, double> valueOfBlock)
    {
        var r = new double[layout.Count];
        foreach (var b in layout.Blocks) r.AsSpan(b.Offset, b.Length).Fill(valueOfBlock(b));
        return new Parameters(layout, r);
    }

    public static Parameters operator +(Parameters a, Parameters b) => a.Add(b);
    public static Parameters operator -(Parameters a, Parameters b) => a.Subtract(b);
    public static Parameters operator *(double a, Parameters b) => b.Scale(a);
    public static Parameters operator *(Parameters b, double a) => b.Scale(a);
    public static Parameters operator -(Parameters a) => a.Scale(-1);

    /// <summary>The first non-finite entry (its block, row, column and value), or null when all are finite.</summary>
    public (ParameterBlock Block, int Row, int Column, double Value)? FirstNonFinite()
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
            {
                var (b, r, c) = Layout.Locate(i);
                return (b, r, c, values[i]);
            }
        return null;
    }

    /// <summary>Bit-for-bit equality of layout and every entry.</summary>
    public bool Equals(Parameters? other) =>
        other is not null && Layout.Equals(other.Layout) &&
        System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(values.AsSpan())
            .SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(other.values.AsSpan()));

    public override bool Equals(object? obj) => Equals(obj as Parameters);
    public override int GetHashCode() => HashCode.Combine(Layout, values.Length, values.Length > 0 ? values[0] : 0);
    public override string ToString() => $"θ ∈ ℝ^{Count} ({Layout})";

    private delegate void SpanOp(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d);

    private Parameters Zip(Parameters other, SpanOp op)
    {
        CheckLayout(other, "Parameters");
        var r = new double[values.Length];
        op(values, other.values, r);
        return new Parameters(Layout, r);
    }

    private void CheckLayout(Parameters other, string operation)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Layout.Equals(other.Layout))
            throw new ArgumentException($"{operation}: the operands have different layouts: [{Layout}] and [{other.Layout}].");
    }
}
