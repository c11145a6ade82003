using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// Clipping by global norm (Pascanu et al. 2013; Optax's clip_by_global_norm), a transformation to chain in front of
/// an optimizer: u = g when ‖g‖₂ ≤ c, and u = (c/‖g‖₂)·g otherwise, so ‖u‖₂ ≤ c (up to rounding) and u keeps g's
/// direction. ‖·‖₂ is the Euclidean norm of the whole θ-shaped vector (003 Notation 5). Stateless: the state holds
/// only the count (t = 0 at the first update), which each update increases by one. No default for c.
/// </summary>
public sealed record ClipByGlobalNorm : Optimizer
{
    /// <summary>Clipping to the global norm c = <paramref name="maxNorm"/>.</summary>
    /// <exception cref="ArgumentException">c is not positive and finite.</exception>
    public ClipByGlobalNorm(double maxNorm) => MaxNorm = OptimizerCheck.Positive("Clip by global norm", "the maximal norm c", maxNorm);

    /// <summary>c &gt; 0.</summary>
    public double MaxNorm { get; }

    /// <inheritdoc/>
    public override string Name => "clip-by-global-norm";

    /// <summary>Count 0, no buffer.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0);

    /// <summary>u = g when ‖g‖₂ ≤ c, else (c/‖g‖₂)·g.</summary>
    /// <exception cref="ArgumentException">The gradient's layout differs from θ's, the gradient has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers)
    {
        T norm = System.Numerics.Tensors.TensorPrimitives.Norm(gradient), max = T.CreateTruncating(MaxNorm);
        if (norm <= max) gradient.CopyTo(update);
        else System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, max / norm, update); // u = g·c/‖g‖₂
    }
}
