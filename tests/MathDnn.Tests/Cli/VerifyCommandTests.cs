using System.Text.RegularExpressions;
using MathDnn.Cli.Verify;

namespace MathDnn.Tests.Cli;

public class VerifyCommandTests
{
    [Fact]
    public void Verify_runs_every_check_of_the_table_and_all_pass()
    {
        var r = CliHarness.Run("verify", "--seed", "7").AssertOk();
        Assert.StartsWith("seed 7 (repeat with: mathdnn verify --seed 7)", r.Out);
        Assert.Matches(@"(?m)^statement\s+what is checked\s+instances\s+largest error\s+tolerance\s+result$", r.Out);
        Assert.Equal(SpecChecks.All.Count, Regex.Matches(r.Out, @"(?m)\spass$").Count);
        Assert.Contains($"all {SpecChecks.All.Count} checks passed", r.Out);
        // The statements the issue names: the softmax Jacobian, Props 5.1–5.3, backpropagation, the parameter count.
        foreach (var statement in new[] { "003 Prop 1.2", "003 Thm 1.3", "003 Prop 2.1", "003 Prop 2.2", "003 Prop 3.1", "003 Prop 4.1", "003 Prop 4.2",
                     "003 Prop 4.3", "003 Prop 5.1", "003 Prop 5.2", "003 Prop 5.3", "003 Def 5.1", "003 Def 5.2", "004 loss table", "002 eq. 9", "004 Telgarsky slide" })
            Assert.Contains(statement, r.Out);
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
        Assert.Equal(SpecChecks.All.Count, results.Count);
        foreach (var c in results)
        {
            Assert.False(string.IsNullOrEmpty(c.GetProperty("statement").GetString()));
            Assert.False(string.IsNullOrEmpty(c.GetProperty("what").GetString()));
            Assert.Equal(3, c.GetProperty("instances").GetInt32());
            Assert.True(c.GetProperty("largest_error").GetDouble() <= c.GetProperty("tolerance").GetDouble());
            Assert.True(c.GetProperty("passed").GetBoolean());
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
    public void Instances_must_be_positive()
    {
        CliHarness.Run("verify", "--instances", "0").AssertBadInput("--instances 0");
    }
}
