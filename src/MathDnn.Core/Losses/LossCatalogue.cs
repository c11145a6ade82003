namespace MathDnn.Losses;

/// <summary>
/// Every loss of the library, looked up by its kebab-case <see cref="Loss.Name"/>: the twelve losses of the
/// 004 loss table (Janocha &amp; Czarnecki 2017) and the cross-entropies (003 Def 3.1, 003 Prop 5.3, 002 eq. 1) and
/// squared errors (002 eqs. 3 and 15).
/// </summary>
public static class LossCatalogue
{
    /// <summary>One instance of every loss, the 004 loss table first in the table's order.</summary>
    public static IReadOnlyList<Loss> All { get; } =
    [
        new L1Loss(),
        new L2Loss(),
        new ExpectationLoss(),
        new RegularisedExpectationLoss(),
        new ChebyshevLoss(),
        new HingeLoss(),
        new SquaredHingeLoss(),
        new CubedHingeLoss(),
        new LogLoss(),
        new SquaredLogLoss(),
        new TanimotoLoss(),
        new CauchySchwarzDivergence(),
        new CategoricalCrossEntropy(),
        new SoftmaxCrossEntropy(),
        new BinaryCrossEntropy(),
        new SigmoidBinaryCrossEntropy(),
        new SquaredError(),
        new MeanSquaredError(),
    ];

    /// <summary>The names of <see cref="All"/>, in the same order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(l => l.Name)];

    /// <summary>The loss whose <see cref="Loss.Name"/> is <paramref name="name"/> (exact, kebab-case).</summary>
    /// <exception cref="ArgumentException">No loss has that name; the message lists the known names.</exception>
    public static Loss Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var loss in All)
            if (loss.Name == name) return loss;
        throw new ArgumentException(
            $"Loss catalogue: unknown loss \"{name}\"; the known losses are {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Whether <paramref name="loss"/> has kinks on its domain (L1, and the hinge family at ŷ·o = ½), where central differences must keep away.</summary>
    public static bool HasKinks(Loss loss) => loss is L1Loss or HingeLoss or SquaredHingeLoss or CubedHingeLoss;

    /// <summary>
    /// The distance from o to the nearest kink of the loss (+∞ when it has none on its domain): o_j = y_j for L1,
    /// ŷ_j·o_j = ½ for the hinge family. The expectation and Chebyshev losses have no kink for one-hot targets
    /// (σ ∈ ]0,1[ᵐ never equals y, and the Chebyshev maximum is at the true class; see their docs).
    /// </summary>
    public static double KinkDistance(Loss loss, ReadOnlySpan<double> o, ReadOnlySpan<double> y)
    {
        double d = double.PositiveInfinity;
        for (int j = 0; j < o.Length; j++)
            d = Math.Min(d, loss switch
            {
                L1Loss => Math.Abs(o[j] - y[j]),
                HingeLoss or SquaredHingeLoss or CubedHingeLoss => Math.Abs(HingeLoss.Margin - y[j] * o[j]),
                _ => double.PositiveInfinity,
            });
        return d;
    }
}
