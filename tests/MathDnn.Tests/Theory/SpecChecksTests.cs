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
}
