using System.Collections.Immutable;
using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// The state v of an optimizer: its step count t (the number of updates already applied, so the first update sees
/// <see cref="Count"/> = 0 and produces Count = 1), its named buffers (momentum b, moments m and v, …) laid out like θ,
/// and the states of the inner transformations of a chain. Immutable: an update returns a new state. One uniform
/// shape for every optimizer, so a state can be saved and resumed exactly (the step count included).
/// </summary>
/// <param name="Count">t, the number of updates already applied (0 before the first).</param>
/// <param name="Buffers">The named buffers, each laid out like θ.</param>
/// <param name="Inner">The states of a chain's transformations, in order (empty otherwise).</param>
public sealed record OptimizerState(long Count, ImmutableSortedDictionary<string, Parameters> Buffers, ImmutableArray<OptimizerState> Inner)
{
    /// <summary>Count 0, no buffer, no inner state.</summary>
    public static OptimizerState Empty { get; } = new(0, ImmutableSortedDictionary<string, Parameters>.Empty, []);

    /// <summary>A state with buffers, no inner states, and count 0.</summary>
    public static OptimizerState Of(params (string Name, Parameters Value)[] buffers) =>
        new(0, buffers.ToImmutableSortedDictionary(b => b.Name, b => b.Value, StringComparer.Ordinal), []);

    /// <summary>The buffer named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The state has no such buffer.</exception>
    public Parameters this[string name] => Buffers.TryGetValue(name, out var p) ? p
        : throw new KeyNotFoundException($"Optimizer state: no buffer \"{name}\"; buffers are {string.Join(", ", Buffers.Keys)}.");

    /// <summary>A copy with one buffer replaced or added.</summary>
    public OptimizerState With(string name, Parameters value) => this with { Buffers = Buffers.SetItem(name, value) };

    /// <summary>Bit-for-bit equality of count, buffers and inner states.</summary>
    public bool Equals(OptimizerState? other) =>
        other is not null && Count == other.Count &&
        Buffers.Count == other.Buffers.Count &&
        Buffers.All(kv => other.Buffers.TryGetValue(kv.Key, out var o) && kv.Value.Equals(o)) &&
        Inner.SequenceEqual(other.Inner);

    /// <summary>A hash of the count and the numbers of buffers and inner states, consistent with <see cref="Equals(OptimizerState?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Count, Buffers.Count, Inner.Length);
}

/// <summary>
/// An optimizer, or any gradient transformation, as a pair of pure functions in the style of Optax:
/// <see cref="Init"/> θ ↦ v₀ and <see cref="Update"/> (g, v, θ) ↦ (u, v′), where u is the update to add to θ.
/// <see cref="Step"/> applies it: (θ, g, v) ↦ (θ + u, v′). Transformations compose with <see cref="Chain"/>
/// (e.g. clipping, then weight decay, then a learning-rate schedule in front of a momentum method).
/// Nothing here mutates an argument.
/// </summary>
public abstract record Optimizer
{
    /// <summary>A short name used in messages and model files (e.g. "sgd", "adam").</summary>
    public abstract string Name { get; }

    /// <summary>v₀ for parameters θ (buffers at zero, count 0).</summary>
    public abstract OptimizerState Init(Parameters parameters);

    /// <summary>(g, v, θ) ↦ (u, v′): the update u to add to θ, and the next state (its count increased by one).</summary>
    public abstract (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters);

    /// <summary>(θ, g, v) ↦ (θ′, v′) with θ′ = θ + u.</summary>
    public (Parameters Parameters, OptimizerState State) Step(Parameters parameters, Parameters gradient, OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(state);
        var (u, next) = Update(gradient, state, parameters);
        return (parameters + u, next);
    }

    /// <summary>
    /// True when the optimizer has an allocation-free kernel (<see cref="Transform{T}"/>): every optimizer of the library.
    /// The training engine then updates private working buffers in place; others (user-written) go through <see cref="Update"/>.
    /// </summary>
    internal virtual bool HasKernel => false;

    /// <summary>
    /// The update as a kernel: writes u into <paramref name="update"/> from g, θ and the buffers, without allocating.
    /// <paramref name="gradient"/> and <paramref name="update"/> never overlap. The caller commits the buffers (count + 1).
    /// </summary>
    internal virtual void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"{Name} has no kernel; use Update.");

    /// <summary>
    /// θ′ = θ + u in one go, for the training engine (u itself is not needed afterwards; <paramref name="scratch"/> may hold it);
    /// returns whether every entry of θ′ is finite. The default runs <see cref="Transform{T}"/>, adds and checks; optimizers
    /// with a cheaper fused form override it (one pass, split over the cores by <see cref="Kernels.ParallelMap"/>), with the
    /// same roundings, so the result is bit-identical to θ + u.
    /// </summary>
    internal virtual bool Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Transform(gradient, parameters, scratch, buffers);
        System.Numerics.Tensors.TensorPrimitives.Add(parameters, scratch, next);
        return System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<T>(next);
    }

    /// <summary>θ′ (and b′ when the rule has a buffer) by the fused kernel of <typeparamref name="TRule"/>, on the worker threads when long enough.</summary>
    private protected static unsafe bool ApplyRule<T, TRule>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, ReadOnlySpan<T> buffer,
        Span<T> bufferNext, Span<T> next, T s0, T s1, T s2 = default)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TRule : Kernels.IUpdateRule<T>
    {
        fixed (T* g = gradient, theta = parameters, b = buffer, bNext = bufferNext, thetaNext = next)
        {
            var operands = new Kernels.MapOperands<T>(next.Length, g, theta, b, bNext, thetaNext, s0, s1, s2);
            return Kernels.ParallelMap.Run(new Kernels.RuleKernel<T, TRule>(operands));
        }
    }

    /// <summary>
    /// <see cref="Update"/> through the kernel: the buffers are read from <paramref name="state"/> and written to fresh
    /// arrays, so nothing is mutated. Every kernel optimizer implements its <see cref="Update"/> with this.
    /// </summary>
    internal (Parameters Updates, OptimizerState State) UpdateByKernel(Parameters gradient, OptimizerState state, Parameters parameters)
    {
        OptimizerCheck.Inputs(Name, gradient, state, parameters);
        var work = new WorkingBuffers<double>(state, parameters.Layout, Name);
        var u = new double[parameters.Count];
        Transform<double>(gradient.AsSpan(), parameters.AsSpan(), u, work);
        work.Commit();
        return (Parameters.Own(parameters.Layout, u), work.ToState(parameters.Layout));
    }

    /// <summary>The composition of transformations, applied left to right to the gradient (Optax's chain).</summary>
    public static Optimizer Chain(params Optimizer[] transformations) => new Chained([.. transformations]);

    /// <summary>This transformation followed by <paramref name="next"/>.</summary>
    public Optimizer Then(Optimizer next) => Chain(this, next);
}

/// <summary>Transformations applied in order: each receives the previous one's output as its "gradient".</summary>
/// <param name="Transformations">The transformations, applied first to last.</param>
public sealed record Chained(ImmutableArray<Optimizer> Transformations) : Optimizer
{
    /// <summary>The transformations' names joined by " → ".</summary>
    public override string Name => string.Join(" → ", Transformations.Select(t => t.Name));

    /// <summary>Count 0 and one inner state per transformation, each from its own <see cref="Optimizer.Init"/>.</summary>
    public override OptimizerState Init(Parameters parameters) =>
        OptimizerState.Empty with { Inner = [.. Transformations.Select(t => t.Init(parameters))] };

    internal override bool HasKernel => Transformations.All(t => t.HasKernel);

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers)
    {
        // Each transformation reads the previous one's output; intermediates alternate between the two scratch vectors.
        ReadOnlySpan<T> input = gradient;
        for (int i = 0; i < Transformations.Length; i++)
        {
            var output = i == Transformations.Length - 1 ? update : buffers.Scratch(i % 2);
            Transformations[i].Transform(input, parameters, output, buffers.Inner(i));
            input = output;
        }
        if (Transformations.Length == 0) gradient.CopyTo(update);
    }

    /// <summary>u = T_q(… T_1(g)): each transformation updates its own inner state; the chain's count increases by one.</summary>
    /// <exception cref="ArgumentException">The state does not hold one inner state per transformation, or a transformation rejects its inputs.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters)
    {
        if (state.Inner.Length != Transformations.Length)
            throw new ArgumentException($"Chain: the state holds {state.Inner.Length} inner states for {Transformations.Length} transformations.");
        if (HasKernel) return UpdateByKernel(gradient, state, parameters);
        var u = gradient;
        var inner = ImmutableArray.CreateBuilder<OptimizerState>(Transformations.Length);
        for (int i = 0; i < Transformations.Length; i++)
        {
            var (next, s) = Transformations[i].Update(u, state.Inner[i], parameters);
            u = next;
            inner.Add(s);
        }
        return (u, state with { Count = state.Count + 1, Inner = inner.MoveToImmutable() });
    }

    /// <summary>True when both chains hold equal transformations in the same order.</summary>
    public bool Equals(Chained? other) => other is not null && Transformations.SequenceEqual(other.Transformations);
    /// <summary>The number of transformations (consistent with <see cref="Equals(Chained?)"/>).</summary>
    public override int GetHashCode() => Transformations.Length;
}
