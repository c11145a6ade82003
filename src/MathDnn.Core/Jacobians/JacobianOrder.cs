namespace MathDnn.Jacobians;

/// <summary>
/// The association order in which a chain J = F_1·F_2 ⋯ F_q (003 Thm 1.3, F_1 the Jacobian of the last layer) is
/// multiplied out into a matrix.
/// </summary>
public enum JacobianOrder
{
    /// <summary>The cheapest order, found by dynamic programming over the factors' real costs (the matrix-chain problem).</summary>
    Auto,
    /// <summary>From the output side, ((F_1·F_2)·F_3)⋯: reverse mode, cheapest when the output is narrow.</summary>
    FromOutput,
    /// <summary>From the input side, F_1·(F_2·(⋯F_q)): forward mode, cheapest when the input is narrow.</summary>
    FromInput,
}
