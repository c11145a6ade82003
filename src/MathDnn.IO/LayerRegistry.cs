using System.Collections.Immutable;
using MathDnn.Activations;
using MathDnn.Layers;

namespace MathDnn.IO;

/// <summary>
/// The layer types a model file can hold, by name: for each <see cref="Layer.Name"/>, the reader that builds the layer from
/// its entry (<see cref="LayerEntry"/>: settings, parameter shapes, input width). Writing needs no registration code — a
/// layer is written from its <see cref="Layer.Name"/>, <see cref="Layer.Settings"/> and parameter blocks
/// (<see cref="Layer.ParameterShapes"/>) — but <see cref="ModelFile"/> saves only layers whose name is registered, so that
/// every saved file can be read back.
/// <para>
/// <see cref="Default"/> is the process-wide registry the readers and writers use unless given another; a
/// <c>new LayerRegistry()</c> starts as a copy of the built-ins, for isolation (a test, a plug-in). Both are thread-safe:
/// registering takes a lock, reading a snapshot. Built in: dense (003 Def 4.1), maxout (004), the activations relu,
/// leaky-relu, elu, sigmoid, tanh, identity, softmax (003 Section 2, 004), gelu, gelu-tanh, silu, softplus, and the layers
/// dropout and layer-norm.
/// </para>
/// <code>
/// LayerRegistry.Default.Register&lt;Swish&gt;();                                   // a parameter-free layer: new Swish()
/// LayerRegistry.Default.Register("scale", e =&gt; new Scale(e.InputWidth, e.Setting("limit", 1.0)));
/// </code>
/// </summary>
public sealed class LayerRegistry
{
    /// <summary>The name of the entry type that holds an activation (<c>{"type": "activation", "name": …}</c>): not a layer name.</summary>
    public const string ActivationType = "activation";

    /// <summary>One registration: the reader, and the layer type it builds when known (built-ins and <see cref="Register{TLayer}"/>).</summary>
    internal sealed record Registration(string Name, Func<LayerEntry, Layer> Read, Type? LayerType, bool ByConstructor = false)
    {
        public bool MayBeActivation => LayerType is null || typeof(Activation).IsAssignableFrom(LayerType);
        public bool MayBeOtherLayer => LayerType is null || !typeof(Activation).IsAssignableFrom(LayerType);
    }

    // The built-ins, first: Default (below) is built from them when the type is initialised.

    private static readonly Registration[] BuiltIns =
    [
        new("dense", ReadDense, typeof(Dense)),
        new("maxout", ReadMaxout, typeof(Maxout)),
        new("relu", static _ => new Relu(), typeof(Relu), ByConstructor: true),
        new("leaky-relu", static e => new LeakyRelu(e.Setting("slope", 0.1)), typeof(LeakyRelu)),
        new("elu", static e => new Elu(e.Setting("alpha", 1.0)), typeof(Elu)),
        new("sigmoid", static _ => new Sigmoid(), typeof(Sigmoid), ByConstructor: true),
        new("tanh", static _ => new Tanh(), typeof(Tanh), ByConstructor: true),
        new("identity", static _ => new Identity(), typeof(Identity), ByConstructor: true),
        new("softmax", static _ => new Softmax(), typeof(Softmax), ByConstructor: true),
        new("gelu", static _ => new Gelu(), typeof(Gelu), ByConstructor: true),
        new("gelu-tanh", static _ => new GeluTanh(), typeof(GeluTanh), ByConstructor: true),
        new("silu", static _ => new Silu(), typeof(Silu), ByConstructor: true),
        new("softplus", static _ => new Softplus(), typeof(Softplus), ByConstructor: true),
        new("dropout", static e => new Dropout(e.Setting("rate")), typeof(Dropout)),
        new("layer-norm", static e => new LayerNorm(e.HasInputWidth ? e.InputWidth : e.Length("gain"), e.Setting("epsilon", 1e-5)), typeof(LayerNorm)),
    ];

    private readonly object gate = new();
    private volatile Snapshot current;

    private sealed record Snapshot(ImmutableDictionary<string, Registration> ByName, ImmutableList<string> Order);

    /// <summary>A registry holding the built-in layers only, independent of <see cref="Default"/> and of every other registry.</summary>
    public LayerRegistry()
    {
        var byName = ImmutableDictionary.CreateBuilder<string, Registration>(StringComparer.Ordinal);
        var order = ImmutableList.CreateBuilder<string>();
        foreach (var r in BuiltIns)
        {
            byName.Add(r.Name, r);
            order.Add(r.Name);
        }
        current = new Snapshot(byName.ToImmutable(), order.ToImmutable());
    }

    /// <summary>The process-wide registry, pre-filled with the built-ins; <see cref="ModelFile"/> uses it unless given another.</summary>
    public static LayerRegistry Default { get; } = new();

    /// <summary>Every registered name, built-ins first (in the order of the class summary), then in the order registered.</summary>
    public IReadOnlyList<string> Names => current.Order;

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool IsRegistered(string name) => name is not null && current.ByName.ContainsKey(name);

    /// <summary>
    /// Registers the reader of the layers named <paramref name="name"/> (their <see cref="Layer.Name"/>): given the entry, it
    /// returns the layer, e.g. <c>entry =&gt; new Dropout(entry.Setting("rate"))</c>. Registering a name again with the same
    /// reader does nothing; with a different reader it throws.
    /// </summary>
    /// <exception cref="ArgumentException">When the name is empty, is "activation", or is registered to a different reader.</exception>
    public void Register(string name, Func<LayerEntry, Layer> read)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(read);
        Add(new Registration(name, read, null), sameReader: existing => existing.Read.Equals(read));
    }

    /// <summary>
    /// Registers a layer type built by its parameterless constructor (a parameter-free layer, or one whose settings are
    /// fixed): the name is <c>new TLayer().Name</c> and the reader calls <c>new TLayer()</c>. Registering the same type again
    /// does nothing; a name registered to a different reader throws.
    /// </summary>
    /// <exception cref="ArgumentException">When the name is empty, is "activation", or is registered to a different reader.</exception>
    public void Register<TLayer>() where TLayer : Layer, new()
    {
        var name = new TLayer().Name;
        Add(new Registration(name, static _ => new TLayer(), typeof(TLayer), ByConstructor: true),
            sameReader: existing => existing.ByConstructor && existing.LayerType == typeof(TLayer));
    }

    /// <summary>The registration of <paramref name="name"/>, if any.</summary>
    internal bool TryGet(string name, out Registration registration) => current.ByName.TryGetValue(name, out registration!);

    /// <summary>The registered names that may hold an activation (<paramref name="activations"/>) or another layer.</summary>
    internal IEnumerable<string> NamesOf(bool activations)
    {
        var snapshot = current;
        return snapshot.Order.Where(n => activations ? snapshot.ByName[n].MayBeActivation : snapshot.ByName[n].MayBeOtherLayer);
    }

    private void Add(Registration registration, Func<Registration, bool> sameReader)
    {
        var name = registration.Name;
        if (string.IsNullOrWhiteSpace(name) || name.Trim() != name)
            throw new ArgumentException($"LayerRegistry: a layer name must be non-empty without surrounding spaces, got \"{name}\".");
        if (name == ActivationType)
            throw new ArgumentException($"LayerRegistry: \"{ActivationType}\" is the entry type of every activation ({{\"type\": \"activation\", \"name\": …}}), not a layer name; give the layer another Name.");
        lock (gate)
        {
            var snapshot = current;
            if (snapshot.ByName.TryGetValue(name, out var existing))
            {
                if (sameReader(existing)) return;
                throw new ArgumentException(
                    $"LayerRegistry: \"{name}\" is already registered{(existing.LayerType is { } t ? $" (to {t.Name})" : "")} with a different reader; " +
                    "give the layer another Name, or register it in a registry of its own (new LayerRegistry()).");
            }
            current = new Snapshot(snapshot.ByName.Add(name, registration), snapshot.Order.Add(name));
        }
    }

    /// <summary>y·Wᵀ + b, W ∈ M_{m,n} (003 Def 4.1): m = the rows of W, n = the input width (or, unknown, the length of W's rows).</summary>
    private static Layer ReadDense(LayerEntry e) => new Dense(e.HasInputWidth ? e.InputWidth : e.Columns("W"), e.Rows("W"));

    /// <summary>Maxout (004) with k = <c>"pieces"</c>: W holds k·m rows, piece-major.</summary>
    private static Layer ReadMaxout(LayerEntry e)
    {
        int pieces = e.IntSetting("pieces");
        if (pieces < 1) throw e.Error("pieces", $"must be positive, found {pieces}");
        int rows = e.Rows("W");
        if (rows % pieces != 0) throw e.Error("W", $"has {rows} rows, not a multiple of pieces = {pieces}");
        return new Maxout(e.HasInputWidth ? e.InputWidth : e.Columns("W"), rows / pieces, pieces);
    }
}
