using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// Adds decayed weights to the incoming direction (Optax's add_decayed_weights): u = g + λ·M⊙θ, where M is the
/// optional 0/1 <see cref="Mask"/> (null: every entry). Chained in front of an optimizer it adds the gradient of the
/// L2 penalty (λ/2)·‖M⊙θ‖² (002 Section 10's ridge term λ‖β‖², the factor 2 folded into λ), as PyTorch's
/// weight_decay argument does: in front of <see cref="GradientDescent"/> it gives θ ← (1 − η_t·λ)·θ − η_t·g on the
/// masked entries. In front of an adaptive method the penalty passes through the adaptive scaling; for decoupled
/// decay use <see cref="AdamW"/>. <see cref="WeightsOnly"/> builds the usual mask that spares the biases.
/// Stateless: the state holds only the count (t = 0 at the first update). No default for λ (Optax's is 0).
/// </summary>
public sealed record AddDecayedWeights : Optimizer
{
    /// <summary>u = g + λ·M⊙θ with λ = <paramref name="weightDecay"/> and the optional 0/1 <paramref name="mask"/> M (null: every entry).</summary>
    /// <exception cref="ArgumentException">λ is negative or not finite, or the mask has an entry other than 0 and 1.</exception>
    public AddDecayedWeights(double weightDecay, Parameters? mask = null)
    {
        WeightDecay = OptimizerCheck.NonNegative("Add decayed weights", "the weight decay λ", weightDecay);
        Mask = OptimizerCheck.Mask("Add decayed weights", mask);
    }

    /// <summary>λ ≥ 0.</summary>
    public double WeightDecay { get; }

    /// <summary>The 0/1 mask M of the decayed entries, or null for all of them.</summary>
    public Parameters? Mask { get; }

    /// <inheritdoc/>
    public override string Name => "add-decayed-weights";

    /// <summary>The mask with 1 on every weight block (blocks named "W") and 0 on every bias block ("b") of <paramref name="layout"/>.</summary>
    public static Parameters WeightsOnly(ParameterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Parameters.FromBlocks(layout, b => b.Name == "W" ? 1 : 0);
    }

    /// <summary>Count 0, no buffer.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0);

    /// <summary>u = g + λ·M⊙θ.</summary>
    /// <exception cref="ArgumentException">The gradient's layout differs from θ's, the gradient has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count, or the mask's layout differs from θ's.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (Mask is not null) OptimizerCheck.MaskLayout(Name, Mask, parameters.Layout);
        return UpdateByKernel(gradient, state, parameters);
    }

    internal override bool HasKernel => true;

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers)
    {
        T lambda = T.CreateTruncating(WeightDecay);
        var mask = Mask is null ? default : Mask.AsSpan();
        if (Mask is not null && mask.Length != parameters.Length)
            throw new ArgumentException($"{Name}: the mask has {mask.Length} entries but θ has {parameters.Length}.");
        for (int i = 0; i < update.Length; i++)
            update[i] = gradient[i] + lambda * (Mask is null ? parameters[i] : T.CreateTruncating(mask[i]) * parameters[i]); // u = g + λ·M⊙θ
    }
}
