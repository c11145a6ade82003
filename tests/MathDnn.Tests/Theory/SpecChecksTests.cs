using MathDnn.Theory;

namespace MathDnn.Tests.Theory;

/// <summary><see cref="SpecChecks.Verify"/>: the verification table of <c>mathdnn verify</c> as a library call.</summary>
public class SpecChecksTests
{
    [Fact]
    public void Verify_returns_every_spec_row_then_every_theory_row_all_passing_and_repeatable_under_a_seed()
    {
        var rows = SpecChecks.Verify(5, instances: 2);
        Assert.Equal(SpecChecks.All.Count + TheoryChecks.All.Length, rows.Count);
        // The spec rows first, in table order, each on the 2 instances asked for; then the theory checks in theirs.
        Assert.Equal(SpecChecks.All.Select(c => c.Statement), rows.Take(SpecChecks.All.Count).Select(r => r.Statement));
        Assert.All(rows.Take(SpecChecks.All.Count), r => Assert.Equal(2, r.Instances));
        Assert.Equal(TheoryChecks.All.Select(c => c.Statement), rows.Skip(SpecChecks.All.Count).Select(r => r.Statement));
        Assert.All(rows, r => Assert.True(r.Passed, $"{r.Statement} {r.What}: {r.LargestError} vs {r.Tolerance} ({r.Failure})"));
        // A spec row passes within its tolerance; a theory row that says NOT passes on a counterexample, above it.
        Assert.All(rows.Take(SpecChecks.All.Count), r => Assert.True(r.LargestError <= r.Tolerance, $"{r.Statement}: {r.LargestError}"));
        Assert.Contains(rows.Skip(SpecChecks.All.Count), r => r.What.Contains("NOT") && r.LargestError > r.Tolerance);
        // The same seed gives the same measured errors, bit for bit; the spec rows are those of SpecChecks.Run.
        Assert.Equal(rows.Select(r => r.LargestError), SpecChecks.Verify(5, instances: 2).Select(r => r.LargestError));
        Assert.Equal(SpecChecks.Run(5, 2).Select(r => r.LargestError), rows.Take(SpecChecks.All.Count).Select(r => r.LargestError));
    }

    [Fact]
    public void Find_returns_the_one_row_of_a_statement_whose_description_matches_and_names_the_candidates_otherwise()
    {
        var row = SpecChecks.Find("003 Prop 2.2", "symmetric");
        Assert.Same(SpecChecks.All.Single(c => c.Statement == "003 Prop 2.2" && c.What.Contains("symmetric")), row);
        // A statement with one row needs no description.
        Assert.Equal("003 Prop 4.1", SpecChecks.Find("003 Prop 4.1").Statement);
        // Two rows match: both are listed, so the caller can pick a distinguishing phrase.
        var ambiguous = Assert.Throws<ArgumentException>(() => SpecChecks.Find("003 Prop 2.2"));
        Assert.Contains("2 rows of \"003 Prop 2.2\"", ambiguous.Message);
        Assert.Contains("softmax Jacobian is symmetric", ambiguous.Message);
        Assert.Equal("what", ambiguous.ParamName);
        var unknown = Assert.Throws<ArgumentException>(() => SpecChecks.Find("003 Prop 9.9"));
        Assert.Contains("the table has no row for it", unknown.Message);
        Assert.Equal("statement", unknown.ParamName);
    }

    [Fact]
    public void ForLoss_returns_each_catalogued_losss_gradient_row_and_refuses_a_loss_the_table_does_not_hold()
    {
        var rows = MathDnn.Losses.LossCatalogue.All.Select(SpecChecks.ForLoss).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count()); // one row per loss
        Assert.All(rows, r => Assert.Contains(r, SpecChecks.All));
        Assert.Equal("003 Prop 3.1", SpecChecks.ForLoss(new MathDnn.Losses.CategoricalCrossEntropy()).Statement);
        Assert.StartsWith("hinge: gradient ∇ₒξ vs central differences", SpecChecks.ForLoss(new MathDnn.Losses.HingeLoss()).What);
        var e = Assert.Throws<ArgumentException>(() => SpecChecks.ForLoss(new HalfSquare()));
        Assert.Contains("no gradient row for half-square", e.Message);
    }

    /// <summary>A loss outside the catalogue: ½‖o − y‖².</summary>
    private sealed record HalfSquare : MathDnn.Losses.Loss
    {
        public override string Name => "half-square";
        public override MathDnn.Losses.TargetEncoding Encoding => MathDnn.Losses.TargetEncoding.Real;

        public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
        {
            double s = 0;
            for (int j = 0; j < output.Length; j++) s += 0.5 * (output[j] - target[j]) * (output[j] - target[j]);
            return s;
        }

        public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
        {
            for (int j = 0; j < output.Length; j++) gradient[j] = output[j] - target[j];
        }
    }
}
