using MathDnn.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// The loss-function axiom of 000 Def 3.1 (and its restatement 000 Prop 3.1): for every ground truth y*, the map
/// φ(ε) = ξ(y* + ε, y*) is increasing according to ‖ε‖. Read here, as the weakest form that the texts' examples
/// meet, along every ray: for every direction ε and 0 ≤ s ≤ t with y* + sε and y* + tε in the loss's domain,
/// ξ(y* + sε, y*) ≤ ξ(y* + tε, y*) — moving the output further from the target in a fixed direction never lowers the
/// loss. (A stronger reading, φ depending on ‖ε‖ alone, already fails for the L₁ loss.) For outputs that are
/// probabilities (domain ]0,1[ᵐ) the target may lie on the boundary: then s must be &gt; 0.
/// </summary>
public static class LossAxiom
{
    /// <summary>000 Def 3.1 along the ray y* + t·ε: ξ(y* + s·ε, y*) ≤ ξ(y* + t·ε, y*) for 0 ≤ s ≤ t.</summary>
    public static InequalityCheck AlongRay(Loss loss, Vector<double> target, Vector<double> direction, double s, double t,
        double relativeTolerance = InequalityCheck.DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Guard.SameLength("000 Def 3.1", target, "the target y*", direction, "the direction ε");
        if (!(s >= 0 && s <= t) || double.IsInfinity(t))
            throw new ArgumentException($"000 Def 3.1: the ray parameters must satisfy 0 ≤ s ≤ t < ∞, got s = {s}, t = {t}.");
        var near = target + s * direction;
        var far = target + t * direction;
        double left = loss.Value(near, target), right = loss.Value(far, target);
        return InequalityCheck.Of("000 Def 3.1", $"ξ(y* + sε, y*) ≤ ξ(y* + tε, y*) for s ≤ t ({loss.Name})", left, right,
            Math.Abs(left) + Math.Abs(right), relativeTolerance,
            $"y* = {RealFunction.Format(target)}, ε = {RealFunction.Format(direction)}, s = {s:G17}, t = {t:G17}");
    }
}
