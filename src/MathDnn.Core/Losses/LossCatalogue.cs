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
}
