using MathDnn.Networks;
using MathDnn.Theory;

namespace MathDnn.Theory;

/// <summary>
/// The checks of the theory toolkit (<see cref="TheoryChecks.All"/>: 003 Section 6 on softmax cross-entropy and on least
/// squares, the non-convexity of a network's objective, the smoothness and Lipschitz estimators, and the convexity and
/// loss-axiom verdict of every catalogued loss) as rows of the <c>mathdnn verify</c> table, after the rows of
/// <see cref="SpecChecks"/>. Each check keeps its own instance count and tolerance; row i of this list runs on a seed
/// drawn from <c>Rng.Derive(seed, SpecChecks.All.Count + i)</c>, so no two rows share their random instances.
/// </summary>
public static class TheoryRows
{
    /// <summary>Runs every theory check, row i on the seed <see cref="SeedOf"/>(seed, SpecChecks.All.Count + i).</summary>
    public static IReadOnlyList<CheckResult> Run(int seed) =>
        TheoryChecks.All.Select((c, i) => Of(c, SeedOf(seed, SpecChecks.All.Count + i))).ToList();

    /// <summary>The int seed a theory check receives for row <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static int SeedOf(int seed, int index)
    {
        var rng = Rng.Derive(seed, index);
        return (int)(rng.NextUInt64() >> 33);
    }

    /// <summary>One theory check on one seed as a row: its outcome, or a failure naming the exception it threw.</summary>
    public static CheckResult Of(TheoryCheck check, int seed)
    {
        try
        {
            var o = check.Run(seed);
            double error = double.IsNaN(o.LargestError) ? double.PositiveInfinity : o.LargestError;
            return new CheckResult(check.Statement, check.Description, o.Instances, error, o.Tolerance, o.Passed && !double.IsNaN(o.LargestError),
                o.Passed ? null : o.Detail, o.Detail);
        }
        catch (Exception ex)
        {
            return new CheckResult(check.Statement, check.Description, 0, double.PositiveInfinity, 0, false, $"threw {ex.GetType().Name}: {ex.Message}");
        }
    }
}
