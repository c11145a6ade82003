namespace MathDnn.Optimizers;

/// <summary>Where RMSprop adds ε to the root of the mean square v.</summary>
public enum EpsilonPlacement
{
    /// <summary>u = −η·g/√(v + ε), as 002 eq. 9 writes it (also TensorFlow 1's RMSPropOptimizer and Optax's rmsprop default, eps_in_sqrt=True).</summary>
    InsideRoot,

    /// <summary>u = −η·g/(√v + ε), as PyTorch's and Keras's RMSprop (and Optax's with eps_in_sqrt=False) compute it; Adam's placement.</summary>
    OutsideRoot,
}
