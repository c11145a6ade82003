using System.Collections.Immutable;
using MathDnn.Training;

namespace MathDnn.Theory;

/// <summary>
/// The theory experiments by command name (<c>mathdnn theory &lt;name&gt;</c>), each at its default size with the given
/// seed: descent, robbins-monro, hardt (needs the digits data), universal (deterministic: the seed is unused),
/// telgarsky, montufar.
/// </summary>
public static class TheoryExperiments
{
    /// <summary>The command names, in the order the shell lists them.</summary>
    public static ImmutableArray<string> Names { get; } = ["descent", "robbins-monro", "hardt", "universal", "telgarsky", "montufar"];

    /// <summary>Runs the experiment <paramref name="name"/>; <paramref name="digits"/> is required by "hardt" only.</summary>
    public static ITheoryResult Run(string name, int seed = 0, Dataset? digits = null) => name switch
    {
        "descent" => DescentExperiment.Run(new DescentOptions(Seed: seed)),
        "robbins-monro" => RobbinsMonroExperiment.Run(new RobbinsMonroOptions(Seed: seed)),
        "hardt" => HardtExperiment.Run(digits ?? throw new ArgumentException("Theory experiment hardt: the digits data set is required."), new HardtOptions(Seed: seed)),
        "universal" => UniversalApproximationExperiment.Run(),
        "telgarsky" => TelgarskyExperiment.Run(new TelgarskyOptions(Seed: seed)),
        "montufar" => MontufarExperiment.Run(new MontufarOptions(Seed: seed)),
        _ => throw new ArgumentException($"Theory experiment: unknown name \"{name}\"; the experiments are {string.Join(", ", Names)}.", nameof(name)),
    };
}
