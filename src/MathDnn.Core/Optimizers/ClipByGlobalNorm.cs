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
    public ClipByGlobalNorm(double maxNorm) => MaxNorm = OptimizerCheck.Positive("Clip by global norm", "the maximal norm c", maxNorm);

    /// <summary>c &gt; 0.</summary>
    public double MaxNorm { get; }

    public override string Name => "clip-by-global-norm";

    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0);

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
