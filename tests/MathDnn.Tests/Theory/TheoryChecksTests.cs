using MathDnn.Losses;
using MathDnn.Theory;

namespace MathDnn.Tests.Theory;

/// <summary>The rows of the verify table (TheoryChecks.All): every check passes, and the table covers every statement and loss.</summary>
public class TheoryChecksTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_theory_check_passes(int seed)
    {
        foreach (var check in TheoryChecks.All)
        {
            var outcome = check.Run(seed);
            Assert.True(outcome.Passed, $"{check.Statement} {check.Description}: {outcome.Detail}");
            Assert.True(outcome.Instances >= 1);
        }
    }

    [Fact]
    public void The_table_covers_003_Section_6_the_loss_axiom_and_every_loss_of_the_catalogue()
    {
        var statements = TheoryChecks.All.Select(c => c.Statement).ToHashSet();
        foreach (var s in new[] { "003 Def 6.1", "003 Prop 6.1", "003 Def 6.2", "003 Prop 6.2", "003 Prop 6.3", "000 Def 3.1", "004 loss table" })
            Assert.Contains(s, statements);
        foreach (var loss in LossCatalogue.All)
        {
            Assert.Single(TheoryChecks.All, c => c.Statement == "004 loss table" && c.Description.StartsWith(loss.Name + " is"));
            Assert.Single(TheoryChecks.All, c => c.Statement == "000 Def 3.1" && c.Description.StartsWith(loss.Name + " "));
        }
    }

    [Fact]
    public void Same_seed_same_outcome()
    {
        foreach (var check in TheoryChecks.All.Take(12))
            Assert.Equal(check.Run(5), check.Run(5));
    }

    [Fact]
    public void The_one_hidden_layer_counterexample_is_a_violated_chord()
    {
        var outcome = TheoryChecks.All.Single(c => c.Description.StartsWith("a one-hidden-layer")).Run(1);
        Assert.True(outcome.LargestError > outcome.Tolerance);
        Assert.Contains("counterexample: 003 Def 6.1 (15)", outcome.Detail);
        Assert.Contains("VIOLATED", outcome.Detail);
    }

    [Fact]
    public void Loss_verdicts_match_the_mathematics_of_the_004_table()
    {
        // Convex in the output: the norms, the hinges, log, log², Cauchy–Schwarz; not: expectation, regularised expectation, Chebyshev, Tanimoto.
        var convex = LossVerdicts.All.Where(v => v.Convex).Select(v => v.Loss.Name).ToHashSet();
        foreach (var name in new[] { "expectation", "regularised-expectation", "chebyshev", "tanimoto" }) Assert.DoesNotContain(name, convex);
        foreach (var name in new[] { "l1", "l2", "hinge", "squared-hinge", "cubed-hinge", "log", "squared-log", "cauchy-schwarz-divergence" }) Assert.Contains(name, convex);
        // Hand check of the expectation loss counterexample: m = 2, y = (1, 0): loss 2σ(o₂ − o₁). Midpoint of (0, 0) and (0, 4):
        // 2σ(2) = 1.761594 > (2σ(0) + 2σ(4))/2 = (1 + 1.964028)/2 = 1.482014.
        var f = RealFunction.From(new ExpectationLoss().AsFunction(Approx.V(1, 0)));
        var c = Convexity.Chord(f, Approx.V(0, 0), Approx.V(0, 4), 0.5);
        Assert.False(c.Holds);
        Assert.Equal(1.761594, c.Left, 6);
        Assert.Equal(1.482014, c.Right, 6);
    }
}
