namespace MathDnn.Optimizers;

/// <summary>
/// The verdict of a learning-rate schedule t ↦ η_t on the two conditions of 004 (learning-rate conditions, after
/// Algorithm 8.1; Robbins &amp; Monro 1951) under which stochastic gradient descent converges:
/// Σ_t η_t = ∞ (<see cref="SumDiverges"/>: the steps can carry θ any distance) and Σ_t η_t² &lt; ∞
/// (<see cref="SumOfSquaresConverges"/>: the gradient noise they inject stays summable), with a one-line
/// <see cref="Reason"/>. The sums run over every step t = 0, 1, 2, … the schedule is asked about.
/// </summary>
/// <param name="SumDiverges">Whether Σ_t η_t = ∞.</param>
/// <param name="SumOfSquaresConverges">Whether Σ_t η_t² &lt; ∞.</param>
/// <param name="Reason">One line saying why.</param>
public sealed record RobbinsMonro(bool SumDiverges, bool SumOfSquaresConverges, string Reason)
{
    /// <summary>Both conditions of 004 hold.</summary>
    public bool Satisfied => SumDiverges && SumOfSquaresConverges;

    /// <summary>The verdict for η_t ≡ η (shared by every family that reduces to a constant).</summary>
    internal static RobbinsMonro Constant(double eta, string why) => eta > 0
        ? new(true, false, $"{why}η_t = {eta} > 0 for all t: Σ η_t = ∞, but Σ η_t² = ∞ too.")
        : new(false, true, $"{why}η_t = 0 for all t: both sums are 0 (the steps never move θ).");
}
