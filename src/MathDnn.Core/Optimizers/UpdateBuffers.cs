using System.Collections.Immutable;
using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// The named buffers one kernel update reads and writes, generic over the element type. <see cref="Previous"/> is a
/// buffer as it was before the update, <see cref="Next"/> where its new value goes. They may be the same memory or two
/// arrays, so a kernel reads entry i of Previous before it writes entry i of Next and reads nothing else of either.
/// <see cref="Count"/> is t, the number of updates already applied (the state's count).
/// </summary>
internal abstract class UpdateBuffers<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public abstract long Count { get; }
    public abstract ReadOnlySpan<T> Previous(string name);
    public abstract Span<T> Next(string name);
    public abstract UpdateBuffers<T> Inner(int index);

    /// <summary>A scratch vector of |θ| entries (index 0 or 1), for the intermediate directions of a chain.</summary>
    public abstract Span<T> Scratch(int index);
}

/// <summary>
/// Two arrays per named buffer (before / after), swapped by <see cref="Commit"/> once an update is accepted, so a rejected
/// update (a non-finite result) leaves the previous state intact. Built once from an <see cref="OptimizerState"/>; the
/// training engine updates it in place step after step without allocating, and <see cref="ToState"/> turns it back into
/// an immutable state.
/// </summary>
internal sealed class WorkingBuffers<T> : UpdateBuffers<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    private readonly Dictionary<string, Pair> buffers = new(StringComparer.Ordinal);
    private readonly WorkingBuffers<T>[] inner;
    private readonly T[]?[] scratch = new T[]?[2]; // allocated on first use: only chains need them, each chain its own
    private readonly int length;
    private readonly string owner;
    private long count;

    /// <param name="state">The state to start from (copied).</param>
    /// <param name="owner">The optimizer's name, for messages.</param>
    /// <param name="layout">θ's layout: every buffer must have it.</param>
    public WorkingBuffers(OptimizerState state, ParameterLayout layout, string owner)
    {
        count = state.Count;
        length = layout.Count;
        this.owner = owner;
        foreach (var (name, p) in state.Buffers)
        {
            if (!p.Layout.Equals(layout))
                throw new ArgumentException($"{owner}: the state's buffer \"{name}\" has layout [{p.Layout}] but the gradient has layout [{layout}]; they must be the same.");
            var before = new T[length];
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(p.AsSpan(), before.AsSpan());
            buffers[name] = new Pair { Before = before, After = new T[length] };
        }
        inner = [.. state.Inner.Select(s => new WorkingBuffers<T>(s, layout, owner))];
    }

    public override long Count => count;

    /// <summary>
    /// Loads another state of the same shape (the same buffer names, recursively) into these arrays, without allocating;
    /// false (and nothing changed) when the shapes differ.
    /// </summary>
    public bool TryLoad(OptimizerState state)
    {
        if (!SameShape(state)) return false;
        Load(state);
        return true;
    }

    private bool SameShape(OptimizerState state) =>
        state.Buffers.Count == buffers.Count && state.Buffers.All(b => buffers.ContainsKey(b.Key) && b.Value.Count == length) &&
        state.Inner.Length == inner.Length && inner.Zip(state.Inner).All(p => p.First.SameShape(p.Second));

    private void Load(OptimizerState state)
    {
        count = state.Count;
        foreach (var (name, p) in state.Buffers)
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(p.AsSpan(), buffers[name].Before.AsSpan());
        for (int i = 0; i < inner.Length; i++) inner[i].Load(state.Inner[i]);
    }
    public override ReadOnlySpan<T> Previous(string name) => Get(name).Before;
    public override Span<T> Next(string name) => Get(name).After;
    public override UpdateBuffers<T> Inner(int index) => inner[index];
    public override Span<T> Scratch(int index) => scratch[index] ??= new T[length];

    /// <summary>Accepts the update: the "after" arrays become the current state and the count increases by one, recursively.</summary>
    public void Commit()
    {
        foreach (var pair in buffers.Values) (pair.Before, pair.After) = (pair.After, pair.Before);
        count++;
        foreach (var w in inner) w.Commit();
    }

    /// <summary>The current state as an immutable <see cref="OptimizerState"/> (buffers copied, converted to double).</summary>
    public OptimizerState ToState(ParameterLayout layout)
    {
        var b = ImmutableSortedDictionary.CreateBuilder<string, Parameters>(StringComparer.Ordinal);
        foreach (var (name, pair) in buffers)
        {
            var values = new double[pair.Before.Length];
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<T, double>(pair.Before, values);
            b.Add(name, Parameters.Own(layout, values));
        }
        return new OptimizerState(count, b.ToImmutable(), [.. inner.Select(w => w.ToState(layout))]);
    }

    /// <summary>The two arrays of one buffer, swapped in place on commit.</summary>
    private sealed class Pair
    {
        public required T[] Before;
        public required T[] After;
    }

    private Pair Get(string name) =>
        buffers.TryGetValue(name, out var pair) ? pair
            : throw new ArgumentException($"{owner}: the state has no buffer \"{name}\" (it has [{string.Join(", ", buffers.Keys)}]); make it with {owner}.Init(θ).");
}
