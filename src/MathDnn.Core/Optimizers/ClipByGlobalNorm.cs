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

    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters)
    {
        OptimizerCheck.Inputs(Name, gradient, state, parameters);
        double norm = gradient.Norm();
        var u = norm <= MaxNorm ? gradient : gradient.Scale(MaxNorm / norm);
        return (u, OptimizerCheck.Next(state));
    }
}
