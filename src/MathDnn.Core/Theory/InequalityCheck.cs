using System.Globalization;

namespace MathDnn.Theory;

/// <summary>
/// One instance of an inequality Left ≤ Right of the spec evaluated in floating point: which statement
/// (<see cref="Statement"/>, e.g. "003 Def 6.1 (15)"), the inequality as text, both sides' values, the points, and the
/// rounding allowance <see cref="Tolerance"/>. It <see cref="Holds"/> when Left ≤ Right + Tolerance.
/// <para>
/// Tolerance: each side is a sum of terms (f-values, inner products, norms) computed with a relative error of at most
/// c·ε, ε = 2⁻⁵²; with c ≤ 4096 (a sum of up to a few thousand rounded operations) the two sides can disagree by
/// c·ε·<see cref="Scale"/> ≈ 9.1e-13·Scale where Scale is the sum of the absolute values of the terms. The default
/// relative tolerance <see cref="DefaultRelativeTolerance"/> = 1e-12 is that bound; functions whose gradient is itself
/// a central-difference estimate (relative error ≈ 1e-10·scale, see <see cref="Calculus.FiniteDifferences"/>) need 1e-6.
/// </para>
/// </summary>
/// <param name="Statement">The spec statement, e.g. "003 Def 6.1 (15)".</param>
/// <param name="Inequality">The inequality as text.</param>
/// <param name="Left">The left side's value.</param>
/// <param name="Right">The right side's value.</param>
/// <param name="Scale">The sum of the absolute values of the terms of both sides.</param>
/// <param name="Tolerance">The rounding allowance added to Right.</param>
/// <param name="Points">The points, printed to full precision.</param>
public sealed record InequalityCheck(string Statement, string Inequality, double Left, double Right, double Scale, double Tolerance, string Points)
{
    /// <summary>1e-12: c·ε with c = 4096 rounded operations per side (≈ 9.1e-13), see the type's remarks.</summary>
    public const double DefaultRelativeTolerance = 1e-12;

    /// <summary>The tolerance for a function with a central-difference gradient: its error ≈ ε^{2/3}·scale ≈ 4e-11·scale, times a 1e4 margin for |f'''|·h² terms.</summary>
    public const double NumericGradientRelativeTolerance = 1e-6;

    /// <summary>Left ≤ Right + Tolerance (false when either side is NaN).</summary>
    public bool Holds => Left <= Right + Tolerance;

    /// <summary>Left − Right: positive when the inequality is violated before the allowance.</summary>
    public double Excess => Left - Right;

    /// <summary>Builds a check with Tolerance = relativeTolerance·Scale.</summary>
    public static InequalityCheck Of(string statement, string inequality, double left, double right, double scale, double relativeTolerance, string points)
    {
        if (!(relativeTolerance >= 0) || double.IsInfinity(relativeTolerance))
            throw new ArgumentException($"{statement}: the relative tolerance must be finite and ≥ 0, got {relativeTolerance}.");
        return new(statement, inequality, left, right, scale, relativeTolerance * scale, points);
    }

    /// <summary>The statement, the inequality, whether it holds, both sides, the excess, the tolerance and the points.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string verdict = Holds ? "holds" : "VIOLATED";
        return string.Create(c, $"{Statement}: {Inequality} {verdict}: left {Left:G17} {(Holds ? "≤" : ">")} right {Right:G17} " +
            $"(left − right = {Excess:G6}, tolerance {Tolerance:G3}) at {Points}");
    }
}
