using System.Collections.Immutable;
using System.Numerics.Tensors;
using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Networks;

/// <summary>One parameter block of a network: layer <see cref="Layer"/>'s "W" or "b", a Rows×Columns matrix stored row-major at <see cref="Offset"/> in θ.</summary>
/// <param name="Layer">The index of the layer the block belongs to.</param>
/// <param name="Name">The block's name in the layer (e.g. "W", "b").</param>
/// <param name="Rows">Its rows (1 for a vector).</param>
/// <param name="Columns">Its columns.</param>
/// <param name="Offset">Where it starts in the flat θ.</param>
public sealed record ParameterBlock(int Layer, string Name, int Rows, int Columns, int Offset)
{
    /// <summary>Rows·Columns.</summary>
    public int Length => Rows * Columns;
    /// <summary>"layer k name (rows×columns)".</summary>
    public override string ToString() => $"layer {Layer} {Name} ({Rows}×{Columns})";
}

/// <summary>Where each block of θ lives in its flat vector: the blocks of every layer that has parameters, in layer order.</summary>
public sealed class ParameterLayout : IEquatable<ParameterLayout>
{
    /// <summary>A layout of <paramref name="blocks"/>, which must be contiguous: each block's offset is the sum of the lengths before it.</summary>
    /// <exception cref="ArgumentException">A block does not start where the previous one ends.</exception>
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

    /// <summary>The blocks, in storage order.</summary>
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

    /// <summary>True when both layouts have the same blocks in the same order.</summary>
    public bool Equals(ParameterLayout? other) => other is not null && Blocks.SequenceEqual(other.Blocks);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ParameterLayout);
    /// <summary>A hash of the blocks, consistent with <see cref="Equals(ParameterLayout?)"/>.</summary>
    public override int GetHashCode() => Blocks.Aggregate(Count, (h, b) => HashCode.Combine(h, b));
    /// <summary>The blocks, comma-separated.</summary>
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

    /// <summary>Where each block lives in the flat vector.</summary>
    public ParameterLayout Layout { get; }
    /// <summary>|θ|.</summary>
    public int Count => values.Length;
    /// <summary>θ_i, the entry at flat index <paramref name="index"/>.</summary>
    public double this[int index] => values[index];
    /// <summary>The entries as a read-only span (no copy), in layout order.</summary>
    public ReadOnlySpan<double> AsSpan() => values;

    /// <summary>θ = 0 in <paramref name="layout"/>.</summary>
    public static Parameters Zeros(ParameterLayout layout) => new(layout, new double[layout.Count]);

    /// <summary>θ from a row vector of |θ| entries in layout order (copied).</summary>
    /// <exception cref="ArgumentException">The length is not the layout's count.</exception>
    public static Parameters FromVector(ParameterLayout layout, Vector<double> theta)
    {
        if (theta.Count != layout.Count)
            throw new ArgumentException($"Parameters: θ must be 1×{layout.Count} for this layout, got 1×{theta.Count}.");
        return new Parameters(layout, theta.ToArray());
    }

    /// <summary>θ from |θ| entries in layout order (copied).</summary>
    /// <exception cref="ArgumentException">The length is not the layout's count.</exception>
    public static Parameters FromArray(ParameterLayout layout, ReadOnlySpan<double> theta)
    {
        if (theta.Length != layout.Count)
            throw new ArgumentException($"Parameters: θ must have {layout.Count} entries for this layout, got {theta.Length}.");
        return new Parameters(layout, theta.ToArray());
    }

    /// <summary>θ flattened to one row vector (the order of <see cref="Layout"/>).</summary>
    public Vector<double> ToVector() => Vector<double>.Build.DenseOfArray((double[])values.Clone());

    /// <summary>A copy of the entries, in layout order.</summary>
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

    /// <summary>A copy with a vector block (e.g. b, 1×m) replaced.</summary>
    /// <exception cref="ArgumentException">No such block, or the length does not fit it.</exception>
    public Parameters With(int layer, string name, Vector<double> value) =>
        With(layer, name, Matrix<double>.Build.DenseOfRowArrays([value.ToArray()]));

    // ---- vector space ----

    /// <summary>θ + other.</summary>
    /// <exception cref="ArgumentException">The layouts differ.</exception>
    public Parameters Add(Parameters other) => Zip(other, static (x, y, d) => TensorPrimitives.Add(x, y, d));
    /// <summary>θ − other.</summary>
    /// <exception cref="ArgumentException">The layouts differ.</exception>
    public Parameters Subtract(Parameters other) => Zip(other, static (x, y, d) => TensorPrimitives.Subtract(x, y, d));

    /// <summary>The Hadamard (entry-wise) product.</summary>
    public Parameters Multiply(Parameters other) => Zip(other, static (x, y, d) => TensorPrimitives.Multiply(x, y, d));

    /// <summary>a·θ.</summary>
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

    /// <summary>⟨θ, other⟩ = Σ_i θ_i·other_i.</summary>
    /// <exception cref="ArgumentException">The layouts differ.</exception>
    public double Dot(Parameters other)
    {
        CheckLayout(other, "Dot");
        return TensorPrimitives.Dot(values, other.values);
    }

    /// <summary>The Euclidean norm ‖θ‖₂ (003 Notation 5).</summary>
    public double Norm() => TensorPrimitives.Norm(values);

    /// <summary>max_i |θ_i|.</summary>
    public double MaxAbs() => values.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(values));

    /// <summary>f applied to every entry.</summary>
    public Parameters Map(Func<double, double> f)
    {
        var r = new double[values.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(values[i]);
        return new Parameters(Layout, r);
    }

    /// <summary>f(θ_i, other_i) for every entry.</summary>
    /// <exception cref="ArgumentException">The layouts differ.</exception>
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

    /// <summary>a + b (<see cref="Add"/>).</summary>
    public static Parameters operator +(Parameters a, Parameters b) => a.Add(b);
    /// <summary>a − b (<see cref="Subtract"/>).</summary>
    public static Parameters operator -(Parameters a, Parameters b) => a.Subtract(b);
    /// <summary>a·b (<see cref="Scale"/>).</summary>
    public static Parameters operator *(double a, Parameters b) => b.Scale(a);
    /// <summary>a·b (<see cref="Scale"/>).</summary>
    public static Parameters operator *(Parameters b, double a) => b.Scale(a);
    /// <summary>−a.</summary>
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

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Parameters);
    /// <summary>A hash consistent with <see cref="Equals(Parameters?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Layout, values.Length, values.Length > 0 ? values[0] : 0);
    /// <summary>"θ ∈ ℝ^|θ| (blocks)".</summary>
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
