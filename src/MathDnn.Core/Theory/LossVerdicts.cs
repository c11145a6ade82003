using System.Collections.Immutable;
using MathDnn.Losses;

namespace MathDnn.Theory;

/// <summary>
/// What the mathematics says about one loss o ↦ ξ(o, y*) for a fixed target: whether it is convex in the output o
/// (003 Def 6.1), whether it satisfies the loss-function axiom of 000 Def 3.1 (read along rays, <see cref="LossAxiom"/>),
/// and why. <see cref="TakesProbabilities"/>: the output domain is ]0,1[ᵐ (the unfused cross-entropies), else ℝᵐ.
/// </summary>
/// <param name="Loss">The loss.</param>
/// <param name="TakesProbabilities">Whether its output domain is ]0,1[ᵐ (else ℝᵐ).</param>
/// <param name="Convex">Whether o ↦ ξ(o, y*) is convex (003 Def 6.1).</param>
/// <param name="ConvexityReason">Why (or a counterexample).</param>
/// <param name="SatisfiesAxiom">Whether it satisfies the loss-function axiom of 000 Def 3.1.</param>
/// <param name="AxiomReason">Why (or how it fails).</param>
public sealed record LossVerdict(Loss Loss, bool TakesProbabilities, bool Convex, string ConvexityReason, bool SatisfiesAxiom, string AxiomReason);

/// <summary>
/// The verdicts for every loss of <see cref="LossCatalogue"/> (the 004 loss table first). The σ-losses take logits o
/// and apply the softmax σ themselves; convexity and the axiom are about o. Checked by <see cref="TheoryChecks"/> (a
/// counterexample is searched for each "no", none must be found for each "yes") and by the properties suite.
/// </summary>
public static class LossVerdicts
{
    private const string AxiomOnLogits =
        "on logits the target is not a minimiser: along ε = e_k (true class k) σ_k grows and the loss falls";

    /// <summary>The verdict for every loss of <see cref="LossCatalogue.All"/>, in its order.</summary>
    public static ImmutableArray<LossVerdict> All { get; } = [.. LossCatalogue.All.Select(Of)];

    /// <summary>The verdict for one loss of the catalogue.</summary>
    public static LossVerdict Of(Loss loss) => loss switch
    {
        L1Loss => new(loss, false, true, "‖y − o‖₁ is a norm of an affine map of o", true, "‖tε‖₁ = t‖ε‖₁ grows with t"),
        L2Loss => new(loss, false, true, "‖y − o‖₂² has Hessian 2I ≽ 0", true, "‖tε‖₂² = t²‖ε‖₂² grows with t"),
        ExpectationLoss => new(loss, false, false, "for one-hot y it is 2(1 − σ_k(o)), a saturating sigmoid-like function: m = 2, y = (1, 0), o = (0, 0), (0, 4): the midpoint (0, 2) gives 2σ(2) = 1.762 > (2σ(0) + 2σ(4))/2 = 1.482", false, AxiomOnLogits),
        RegularisedExpectationLoss => new(loss, false, false, "‖y − σ(o)‖₂² lies in [0, 2] and is not constant; a convex function on ℝᵐ that is bounded above is constant", false, AxiomOnLogits),
        ChebyshevLoss => new(loss, false, false, "max_j |σ_j − y_j| lies in [0, 1] and is not constant; a convex function on ℝᵐ that is bounded above is constant", false, AxiomOnLogits),
        HingeLoss => new(loss, false, true, "Σ_j max(0, ½ − ŷ_j o_j), a sum of maxima of affine functions", true, "with o = ŷ + tε each term max(0, −½ − tŷ_jε_j) is non-decreasing in t"),
        SquaredHingeLoss => new(loss, false, true, "u ↦ max(0, u)² is convex and non-decreasing, composed with the affine ½ − ŷ_j o_j", true, "each term max(0, −½ − tŷ_jε_j)² is non-decreasing in t"),
        CubedHingeLoss => new(loss, false, true, "u ↦ max(0, u)³ is convex and non-decreasing, composed with the affine ½ − ŷ_j o_j", true, "each term max(0, −½ − tŷ_jε_j)³ is non-decreasing in t"),
        LogLoss => new(loss, false, true, "logsumexp(o) − o_k: Hessian diag(σ) − σᵀσ ≽ 0 (003 Prop 2.2)", false, AxiomOnLogits),
        SquaredLogLoss => new(loss, false, true, "(logsumexp(o) − o_k)²: the square of a non-negative convex function is convex", false, AxiomOnLogits),
        TanimotoLoss => new(loss, false, false, "lies in [−1, 0] and is not constant; a convex function on ℝᵐ that is bounded above is constant", false, AxiomOnLogits),
        CauchySchwarzDivergence => new(loss, false, true, "for one-hot y, −log σ_k + ½ log‖σ‖² = ½ logsumexp(2o) − o_k: convex", false, AxiomOnLogits),
        CategoricalCrossEntropy => new(loss, true, true, "−log y_k on ]0,1[ᵐ", true, "along y* + tε (ε_k < 0) the loss −log(1 + tε_k) grows with t"),
        SoftmaxCrossEntropy => new(loss, false, true, "logsumexp(z) − z_k: Hessian diag(p) − pᵀp ≽ 0 (003 Prop 2.2)", false, AxiomOnLogits),
        BinaryCrossEntropy => new(loss, true, true, "−y log p − (1 − y) log(1 − p) is convex in p on ]0,1[", true, "convex in p with its minimum at p = y, so non-decreasing along every ray from y"),
        SigmoidBinaryCrossEntropy => new(loss, false, true, "softplus(z) − yz: second derivative σ'(z) > 0", false, "on logits the minimiser is logit(y), not y: for y = 1 along ε = 1 the loss log(1 + e^{−(1+t)}) falls"),
        SquaredError => new(loss, false, true, "Σ (y_j − ŷ_j)² has Hessian 2I", true, "t²‖ε‖₂² grows with t"),
        MeanSquaredError => new(loss, false, true, "(1/m)Σ (y_j − ŷ_j)² has Hessian (2/m)I", true, "(t²/m)‖ε‖₂² grows with t"),
        _ => throw new ArgumentException($"Loss verdicts: no verdict is recorded for the loss {loss.Name}."),
    };
}
