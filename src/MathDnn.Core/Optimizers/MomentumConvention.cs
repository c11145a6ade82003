namespace MathDnn.Optimizers;

/// <summary>
/// The two ways libraries write SGD with momentum. They give the same iterates when η is constant (v = −η·b at every
/// step) and differ once η_t changes: PyTorch multiplies the whole accumulated buffer by the current η_t, while
/// Keras/Sutskever keeps each past gradient scaled by the η it was taken with.
/// </summary>
public enum MomentumConvention
{
    /// <summary>PyTorch's SGD: b ← μ·b + g, θ ← θ − η_t·b (buffer "b"; Nesterov: θ ← θ − η_t·(g + μ·b)).</summary>
    PyTorch,

    /// <summary>Keras's SGD and Sutskever et al. (2013): v ← μ·v − η_t·g, θ ← θ + v (buffer "v"; Nesterov: θ ← θ + μ·v − η_t·g).</summary>
    Sutskever,
}
