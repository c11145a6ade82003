using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>Argument checks shared by the optimizers: every message names the optimizer and the offending value or layouts.</summary>
internal static class OptimizerCheck
{
    /// <summary>g, v and θ are present, g and θ share one layout, g is finite, and the count is ≥ 0.</summary>
    public static void Inputs(string operation, Parameters gradient, OptimizerState state, Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!gradient.Layout.Equals(parameters.Layout))
            throw new ArgumentException($"{operation}: the gradient has layout [{gradient.Layout}] but the parameters have layout [{parameters.Layout}]; they must be the same.");
        if (gradient.FirstNonFinite() is { } bad)
            throw new ArgumentException($"{operation}: the gradient contains {bad.Value} in {bad.Block} at row {bad.Row}, column {bad.Column}; gradients must be finite.");
        if (state.Count < 0)
            throw new ArgumentException($"{operation}: the state's count is {state.Count}; it must be ≥ 0 (0 before the first update).");
    }

    /// <summary>The buffer <paramref name="name"/> of the state, checked against the gradient's layout.</summary>
    public static Parameters Buffer(string operation, OptimizerState state, string name, ParameterLayout layout)
    {
        if (!state.Buffers.TryGetValue(name, out var buffer))
            throw new ArgumentException($"{operation}: the state has no buffer \"{name}\" (it has [{string.Join(", ", state.Buffers.Keys)}]); make it with {operation}.Init(θ).");
        if (!buffer.Layout.Equals(layout))
            throw new ArgumentException($"{operation}: the state's buffer \"{name}\" has layout [{buffer.Layout}] but the gradient has layout [{layout}]; they must be the same.");
        return buffer;
    }

    /// <summary>A coefficient in [0, 1) (momentum μ, decay rates β).</summary>
    public static double UnitInterval(string operation, string symbol, double value) =>
        value >= 0 && value < 1 ? value
            : throw new ArgumentException($"{operation}: {symbol} must be in [0, 1), got {value}.");

    /// <summary>A finite value &gt; 0 (ε, clipping norms).</summary>
    public static double Positive(string operation, string symbol, double value) =>
        double.IsFinite(value) && value > 0 ? value
            : throw new ArgumentException($"{operation}: {symbol} must be finite and > 0, got {value}.");

    /// <summary>A finite value ≥ 0 (weight decay λ, initial accumulators).</summary>
    public static double NonNegative(string operation, string symbol, double value) =>
        double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentException($"{operation}: {symbol} must be finite and ≥ 0, got {value}.");

    /// <summary>A mask of 0s and 1s (or null for "every entry").</summary>
    public static Parameters? Mask(string operation, Parameters? mask)
    {
        if (mask is null) return null;
        var m = mask.AsSpan();
        for (int i = 0; i < m.Length; i++)
            if (m[i] != 0 && m[i] != 1)
            {
                var (block, row, column) = mask.Layout.Locate(i);
                throw new ArgumentException($"{operation}: a mask holds 0s and 1s, but {block} has {m[i]} at row {row}, column {column}.", nameof(mask));
            }
        return mask;
    }

    /// <summary>The mask's layout is θ's.</summary>
    public static void MaskLayout(string operation, Parameters mask, ParameterLayout layout)
    {
        if (!mask.Layout.Equals(layout))
            throw new ArgumentException($"{operation}: the mask has layout [{mask.Layout}] but the parameters have layout [{layout}]; they must be the same.");
    }

    /// <summary>The state after one more update, with the given buffers replaced.</summary>
    public static OptimizerState Next(OptimizerState state, params (string Name, Parameters Value)[] buffers)
    {
        var b = state.Buffers;
        foreach (var (name, value) in buffers) b = b.SetItem(name, value);
        return state with { Count = state.Count + 1, Buffers = b };
    }

    /// <summary>v₀: count 0 and each named buffer filled with <paramref name="value"/> in θ's layout.</summary>
    public static OptimizerState Initial(Parameters parameters, double value, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var fill = value == 0 ? Parameters.Zeros(parameters.Layout) : Parameters.FromBlocks(parameters.Layout, _ => value);
        return OptimizerState.Of([.. names.Select(n => (n, fill))]);
    }
}
