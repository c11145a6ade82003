using System.Text.RegularExpressions;
using MathDnn.Theory;

namespace MathDnn.Tests.Cli;

public class VerifyCommandTests
{
    [Fact]
    public void Verify_runs_every_check_of_the_table_and_all_pass()
    {
        var r = CliHarness.Run("verify", "--seed", "7").AssertOk();
        Assert.StartsWith("seed 7 (repeat with: mathdnn verify --seed 7)", r.Out);
        Assert.Matches(@"(?m)^statement\s+what is checked\s+instances\s+largest error\s+tolerance\s+result$", r.Out);
        int total = SpecChecks.All.Count + TheoryChecks.All.Length;
        Assert.Equal(total, Regex.Matches(r.Out, @"(?m)\spass$").Count);
        Assert.Contains($"all {total} checks passed", r.Out);
        // The statements the issue names: the softmax Jacobian, Props 5.1–5.3, backpropagation, the parameter count.
        foreach (var statement in new[] { "003 Prop 1.2", "003 Thm 1.3", "003 Prop 2.1", "003 Prop 2.2", "003 Prop 3.1", "003 Prop 4.1", "003 Prop 4.2",
                     "003 Prop 4.3", "003 Prop 5.1", "003 Prop 5.2", "003 Prop 5.3", "003 Def 5.1", "003 Def 5.2", "004 loss table", "002 eq. 9", "004 Telgarsky slide" })
            Assert.Contains(statement, r.Out);
        // The theory toolkit's rows: 003 Section 6 and the loss-axiom verdicts of 000 Def 3.1.
        Assert.Matches(@"(?m)^003 Prop 6\.3\s+softmax cross-entropy in the logits .*: co-coercive\s+300\s.*\spass$", r.Out);
        Assert.Matches(@"(?m)^003 Def 6\.1\s+a one-hidden-layer network's objective in θ is NOT convex.*\spass$", r.Out);
        Assert.Matches(@"(?m)^000 Def 3\.1\s+l1 satisfies the loss-function axiom.*\spass$", r.Out);
    }

    [Fact]
    public void Json_lists_each_check_with_its_fields_and_the_same_seed_gives_the_same_errors()
    {
        var a = CliHarness.Run("verify", "--seed", "11", "--json", "--instances", "3").AssertOk().Json();
        var b = CliHarness.Run("verify", "--seed", "11", "--json", "--instances", "3").AssertOk().Json();
        Assert.Equal(11, a.GetProperty("seed").GetInt32());
        Assert.True(a.GetProperty("passed").GetBoolean());
        Assert.Equal(0, a.GetProperty("failed").GetInt32());
        var results = a.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(SpecChecks.All.Count + TheoryChecks.All.Length, results.Count);
        foreach (var c in results.Take(SpecChecks.All.Count))
        {
            Assert.False(string.IsNullOrEmpty(c.GetProperty("statement").GetString()));
            Assert.False(string.IsNullOrEmpty(c.GetProperty("what").GetString()));
            Assert.Equal(3, c.GetProperty("instances").GetInt32());
            Assert.True(c.GetProperty("largest_error").GetDouble() <= c.GetProperty("tolerance").GetDouble());
            Assert.True(c.GetProperty("passed").GetBoolean());
        }
        // The theory checks keep their own instance counts (--instances applies to the spec table) and describe their worst instance.
        foreach (var (c, check) in results.Skip(SpecChecks.All.Count).Zip(TheoryChecks.All))
        {
            Assert.Equal(check.Statement, c.GetProperty("statement").GetString());
            Assert.Equal(check.Description, c.GetProperty("what").GetString());
            Assert.True(c.GetProperty("instances").GetInt32() >= 1);
            Assert.True(c.GetProperty("passed").GetBoolean());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("detail").GetString()));
        }
        Assert.Equal(
            results.Select(c => c.GetProperty("largest_error").GetDouble()),
            b.GetProperty("results").EnumerateArray().Select(c => c.GetProperty("largest_error").GetDouble()));
    }

    [Fact]
    public void Without_a_seed_a_fresh_one_is_drawn_and_printed()
    {
        var r = CliHarness.Run("verify", "--instances", "1").AssertOk();
        Assert.Matches(@"^seed \d+ \(repeat with: mathdnn verify --seed \d+\)", r.Out);
    }

    [Fact]
    public void A_check_whose_error_exceeds_its_tolerance_fails_and_an_exception_is_reported()
    {
        var exceeds = new SpecCheck("test", "an error of 2 against a tolerance of 1", 3, 1.0, _ => 2.0);
        var r = CheckResult.Of(exceeds, seed: 1, index: 0, instances: 3);
        Assert.False(r.Passed);
        Assert.Equal(2.0, r.LargestError);

        var nan = CheckResult.Of(new SpecCheck("test", "NaN", 1, 1.0, _ => double.NaN), 1, 0, 1);
        Assert.False(nan.Passed); // a NaN error never passes

        var throws = CheckResult.Of(new SpecCheck("test", "throws", 5, 1.0, d => d.Int(0, 1) >= 0 ? throw new InvalidOperationException("boom") : 0), 1, 0, 5);
        Assert.False(throws.Passed);
        Assert.Contains("boom", throws.Failure);

        var within = CheckResult.Of(new SpecCheck("test", "0.5 ≤ 1", 4, 1.0, _ => 0.5), 1, 0, 4);
        Assert.True(within.Passed);
        Assert.Equal((4, 0.5), (within.Instances, within.LargestError));
    }

    [Fact]
    public void A_theory_check_that_fails_or_throws_becomes_a_failed_row()
    {
        var failed = TheoryRows.Of(new TheoryCheck("003 Def 6.1", "fails", _ => new TheoryCheckOutcome(4, 0.5, 1e-12, false, "x = 1")), seed: 1);
        Assert.Equal(("003 Def 6.1", 4, 0.5, false, "x = 1"), (failed.Statement, failed.Instances, failed.LargestError, failed.Passed, failed.Failure));
        var nan = TheoryRows.Of(new TheoryCheck("s", "NaN", _ => new TheoryCheckOutcome(1, double.NaN, 1, true, "")), seed: 1);
        Assert.False(nan.Passed); // a NaN error never passes
        var throws = TheoryRows.Of(new TheoryCheck("s", "throws", _ => throw new InvalidOperationException("boom")), seed: 1);
        Assert.False(throws.Passed);
        Assert.Contains("boom", throws.Failure);
        // The seed reaches the check unchanged by the wrapper.
        int seen = 0;
        TheoryRows.Of(new TheoryCheck("s", "seed", s => { seen = s; return new TheoryCheckOutcome(1, 0, 1, true, ""); }), seed: 1234);
        Assert.Equal(1234, seen);
    }

    [Fact]
    public void Instances_must_be_positive()
    {
        CliHarness.Run("verify", "--instances", "0").AssertBadInput("--instances 0");
    }
}
