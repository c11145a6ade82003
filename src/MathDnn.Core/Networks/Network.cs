using System.Collections.Immutable;
using MathDnn.Activations;
using MathDnn.Calculus;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Networks;

/// <summary>
/// A network: an immutable composition of layers ℓ_p ∘ … ∘ ℓ_1 (003 Notation 7) together with its parameters θ.
/// Applying it is a pure call; training returns a new network (<see cref="WithParameters"/>). The multi-class network
/// 𝒩_{c+} = 𝓢 ∘ 𝕃⁽ᵖ⁾ ∘ (𝓡 ∘ 𝕃)⁽ᵖ⁻¹⁾ of 003 Def 5.1 is <see cref="MultiClass"/>; any mix of layers is <see cref="Create(int, IEnumerable{Layer}, Initialization, int)"/>.
/// Inputs are batches with one sample per row (003 Convention 2).
/// </summary>
public sealed partial class Network
{
    private readonly int[] offsets; // start of each layer's slice of θ
    private readonly int[] counts;  // length of each layer's slice of θ

    private Network(ImmutableArray<Layer> layers, ImmutableArray<int> widths, Parameters parameters, int[] offsets)
    {
        Layers = layers;
        Widths = widths;
        Parameters = parameters;
        this.offsets = offsets;
        counts = [.. layers.Select(l => l.ParameterCount)];
        firstParameterLayer = Array.FindIndex(counts, c => c > 0);
        forwardFusion = LayerFusion.Plan(layers, layers.Length);
        writesWholeParameterJacobian = layers.All(l => l.ParameterCount == 0 || l.WritesWholeParameterJacobian);
    }

    private readonly int firstParameterLayer;          // the first layer with parameters, −1 when none has any
    private readonly bool[] forwardFusion;              // forwardFusion[k]: layer k's forward pass also writes layer k + 1's (LayerFusion)
    private readonly bool writesWholeParameterJacobian; // every layer with parameters writes all of its parameter-Jacobian block

    /// <summary>The layers, applied in order (first to the input).</summary>
    public ImmutableArray<Layer> Layers { get; }

    /// <summary>Widths[0] is the input width, Widths[k] the width after layer k − 1 (so Widths has Layers.Length + 1 entries).</summary>
    public ImmutableArray<int> Widths { get; }

    /// <summary>θ, every layer's parameters in one flat vector laid out layer after layer.</summary>
    public Parameters Parameters { get; }

    /// <summary>n, the input width (<c>Widths[0]</c>).</summary>
    public int InputSize => Widths[0];
    /// <summary>The output width (<c>Widths[^1]</c>).</summary>
    public int OutputSize => Widths[^1];

    /// <summary>|θ| = Σ_k m_k(m_{k−1} + 1) for dense layers (Corollary of 003 Def 5.1).</summary>
    public int ParameterCount => Parameters.Count;

    /// <summary>
    /// The parameter layout of <paramref name="layers"/> on inputs of width <paramref name="inputSize"/>; checks every width,
    /// and that θ fits in one array: |θ| = Σ_k Σ_blocks rows·columns, counted in 64 bits, at most <see cref="Array.MaxLength"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A width does not match, or |θ| (or one block) exceeds <see cref="Array.MaxLength"/> entries.</exception>
    public static (ParameterLayout Layout, ImmutableArray<int> Widths) LayoutOf(int inputSize, IReadOnlyList<Layer> layers)
    {
        var (_, widths) = Training.MemoryEstimate.Shape(inputSize, layers); // every width checked, |θ| counted in 64 bits
        var blocks = new List<ParameterBlock>();
        int offset = 0; // ≤ Array.MaxLength: checked above
        for (int k = 0; k < layers.Count; k++)
            foreach (var s in layers[k].ParameterShapes)
            {
                blocks.Add(new ParameterBlock(k, s.Name, s.Rows, s.Columns, offset));
                offset += s.Length;
            }
        return (new ParameterLayout(blocks), [.. widths]);
    }

    /// <summary>A network with the given parameters (their layout must be this architecture's).</summary>
    public static Network Create(int inputSize, IEnumerable<Layer> layers, Parameters parameters)
    {
        var list = layers.ToImmutableArray();
        var (layout, widths) = LayoutOf(inputSize, list);
        if (!layout.Equals(parameters.Layout))
            throw new ArgumentException($"Network: the parameters have layout [{parameters.Layout}] but the layers need [{layout}].");
        var offsets = new int[list.Length];
        for (int k = 0, o = 0; k < list.Length; k++) { offsets[k] = o; o += list[k].ParameterCount; }
        return new Network(list, widths, parameters, offsets);
    }

    /// <summary>A freshly initialised network (seeded: the same seed gives bit-identical parameters).</summary>
    public static Network Create(int inputSize, IEnumerable<Layer> layers, Initialization initialization = Initialization.Auto, int seed = 0)
    {
        var list = layers.ToImmutableArray();
        var (layout, _) = LayoutOf(inputSize, list);
        return Create(inputSize, list, Initializer.Initialize(list, layout, initialization, seed));
    }

    /// <summary>
    /// 𝒩_{c+} of 003 Def 5.1 for sizes (m_0, …, m_p): 𝓢 ∘ 𝕃⁽ᵖ⁾ ∘ (𝓡 ∘ 𝕃)⁽ᵖ⁻¹⁾ — dense layers W⁽ᵏ⁾ ∈ M_{m_k, m_{k−1}},
    /// ReLU after each but the last, softmax at the end. <paramref name="hidden"/> replaces ReLU when given.
    /// </summary>
    public static Network MultiClass(IReadOnlyList<int> sizes, int seed = 0, Initialization initialization = Initialization.Auto, Activation? hidden = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2) throw new ArgumentException($"Network: 𝒩_c+ needs at least an input and an output size, got {sizes.Count} size(s).");
        var layers = new List<Layer>();
        for (int k = 1; k < sizes.Count; k++)
        {
            layers.Add(new Dense(sizes[k - 1], sizes[k]));
            layers.Add(k < sizes.Count - 1 ? hidden ?? new Relu() : new Softmax());
        }
        return Create(sizes[0], layers, initialization, seed);
    }

    /// <summary>The same architecture with other parameters (the layout must match).</summary>
    public Network WithParameters(Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!Parameters.Layout.Equals(parameters.Layout))
            throw new ArgumentException($"Network: the parameters have layout [{parameters.Layout}] but this network needs [{Parameters.Layout}].");
        return new Network(Layers, Widths, parameters, offsets);
    }

    internal int ParameterOffset(int layer) => offsets[layer];

    internal ReadOnlySpan<T> LayerParameters<T>(ReadOnlySpan<T> theta, int layer) => theta.Slice(offsets[layer], counts[layer]);

    internal int LayerParameterCount(int layer) => counts[layer];

    // ---- forward ----

    internal Mat<double> CheckInput(Matrix<double> x)
    {
        CheckWidth(x);
        var m = Mat.From(x);
        CheckFinite<double>(m.Span, m.Rows, columnMajor: false, "X");
        return m;
    }

    /// <summary>Checks that X has rows of the input width; the message names both shapes.</summary>
    private void CheckWidth(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.ColumnCount != InputSize)
            throw new ArgumentException($"Network input: X is {Guard.Shape(x)} but the network takes rows of width {InputSize} (X must be k×{InputSize}).");
    }

    /// <summary>
    /// Every intermediate: [X, ℓ_1(X), ℓ_2(ℓ_1(X)), …]; <paramref name="layerCount"/> limits how many layers run. A layer pair
    /// that fuses (<see cref="LayerFusion"/>) writes both of its outputs in one pass.
    /// </summary>
    internal Mat<T>[] ForwardAll<T>(Mat<T> x, ReadOnlySpan<T> theta, int layerCount = -1) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int count = layerCount < 0 ? Layers.Length : layerCount;
        var acts = new Mat<T>[count + 1];
        acts[0] = x;
        for (int k = 0; k < count; k++)
        {
            acts[k + 1] = new Mat<T>(x.Rows, Widths[k + 1]);
            if (forwardFusion[k] && k + 1 < count)
            {
                acts[k + 2] = new Mat<T>(x.Rows, Widths[k + 2]);
                Layers[k].ForwardFusedOn(LayerParameters(theta, k), acts[k], acts[k + 1], acts[k + 2]);
                k++; // layer k + 1's output is written too
            }
            else Layers[k].ForwardOn(LayerParameters(theta, k), acts[k], acts[k + 1]);
        }
        return acts;
    }

    /// <summary>The first layer whose output is not finite on input X at θ (layer, sample, unit, value), or null.</summary>
    internal (int Layer, int Row, int Column, double Value)? FirstNonFinite<T>(Mat<T> x, ReadOnlySpan<T> theta)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var acts = ForwardAll(x, theta);
        for (int k = 1; k < acts.Length; k++)
        {
            var span = acts[k].Span;
            for (int i = 0; i < span.Length; i++)
                if (!T.IsFinite(span[i])) return (k - 1, i / acts[k].Cols, i % acts[k].Cols, double.CreateTruncating(span[i]));
        }
        return null;
    }

    /// <summary>x ↦ N(x) as a <see cref="DifferentiableFunction"/>.</summary>
    public DifferentiableFunction AsFunction() =>
        new("network", InputSize, OutputSize, Apply, InputJacobian, (x, u) => Vjp(x, u), (x, v) => Jvp(x, v), InputJacobianMap);

    /// <summary>θ ↦ N(x; θ) as a <see cref="DifferentiableFunction"/> of the flattened parameters.</summary>
    public DifferentiableFunction AsFunctionOfParameters(Vector<double> x)
    {
        var xc = x.Clone();
        return new("network(θ)", ParameterCount, OutputSize,
            theta => WithParameters(Parameters.FromVector(Parameters.Layout, theta)).Apply(xc),
            theta => WithParameters(Parameters.FromVector(Parameters.Layout, theta)).ParameterJacobian(xc));
    }

    /// <summary>The layers with their widths and |θ|, e.g. "dense(64→32) → relu → …, |θ| = 2410".</summary>
    public override string ToString() =>
        $"{string.Join(" → ", Layers.Select((l, k) => l is Activation ? l.Name : $"{l.Name}({Widths[k]}→{Widths[k + 1]})"))}, |θ| = {ParameterCount}";

}
