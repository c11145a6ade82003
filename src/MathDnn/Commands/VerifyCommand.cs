using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using MathDnn.Cli.Output;
using MathDnn.Theory;
using static MathDnn.Cli.Commands.Common;

namespace MathDnn.Cli.Commands;

/// <summary>
/// <c>mathdnn verify</c>: runs every statement of <see cref="SpecChecks"/> and every check of the theory toolkit
/// (<see cref="TheoryRows"/>) on fresh random instances and prints the table (statement, what, instances, largest
/// error, tolerance, pass/fail). Exit code 1 when any check fails.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(Shell shell)
    {
        var seed = Option<int?>("--seed", "Seed of the random instances (default: a fresh seed, printed so that a run can be repeated).", helpName: "n");
        var instances = Option<int?>("--instances", "Instances per check of the spec table (default: each check's own count; the theory checks keep theirs).", helpName: "n");
        var json = Json();
        var command = new Command("verify", "Check every implemented statement of the spec on fresh random instances.") { seed, instances, json };
        command.SetAction(parse => Cli.Guard(shell, () => Run(shell, parse.GetValue(seed), parse.GetValue(instances), parse.GetValue(json))));
        return command;
    }

    private static int Run(Shell shell, int? seedOption, int? instances, bool json)
    {
        if (instances is < 1) throw new BadInputException($"--instances {instances}: must be ≥ 1.");
        int seed = seedOption ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var clock = Stopwatch.StartNew();
        var results = SpecChecks.Verify(seed, instances).ToList();
        double seconds = clock.Elapsed.TotalSeconds;
        int failed = results.Count(r => !r.Passed);
        if (json)
        {
            shell.Out.WriteLine(JsonOut.Document(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("seed", seed);
                w.WriteBoolean("passed", failed == 0);
                w.WriteNumber("checks", results.Count);
                w.WriteNumber("failed", failed);
                w.WriteNumber("seconds", Math.Round(seconds, 3));
                w.WriteStartArray("results");
                foreach (var r in results)
                {
                    w.WriteStartObject();
                    w.WriteString("statement", r.Statement);
                    w.WriteString("what", r.What);
                    w.WriteNumber("instances", r.Instances);
                    if (double.IsFinite(r.LargestError)) w.WriteNumber("largest_error", r.LargestError);
                    else w.WriteString("largest_error", "infinity");
                    w.WriteNumber("tolerance", r.Tolerance);
                    w.WriteBoolean("passed", r.Passed);
                    w.StringOrNull("failure", r.Failure);
                    if (r.Detail is not null) w.WriteString("detail", r.Detail);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
        }
        else
        {
            shell.Out.WriteLine($"seed {seed} (repeat with: mathdnn verify --seed {seed})");
            var table = new TextTable("statement", "what is checked", "instances", "largest error", "tolerance", "result").AlignLeft(1, 5);
            foreach (var r in results)
                table.AddRow(r.Statement, r.What, r.Instances.ToString(Inv), r.LargestError.ToString("0.0E+00", Inv), r.Tolerance.ToString("0.0E+00", Inv),
                    r.Passed ? "pass" : "FAIL");
            table.Write(shell.Out, shell.OutIsTerminal);
            foreach (var r in results.Where(r => r.Failure is not null)) shell.Out.WriteLine($"{r.Statement} ({r.What}): {r.Failure}");
            if (results.Any(r => r.Passed && r.LargestError > r.Tolerance))
                shell.Out.WriteLine("A row that says NOT passes when a counterexample is found: its largest error is the counterexample's violation, above the tolerance.");
            shell.Out.WriteLine(failed == 0
                ? $"all {results.Count} checks passed ({results.Sum(r => r.Instances)} instances, {seconds.ToString("F1", Inv)} s)"
                : $"{failed} of {results.Count} checks FAILED (seed {seed})");
        }
        if (failed > 0)
        {
            Cli.Fail(shell, $"verify: {failed} of {results.Count} checks failed (seed {seed}): " +
                string.Join("; ", results.Where(r => !r.Passed).Select(r => $"{r.Statement} {r.What.Split(':')[0]}")));
            return Cli.CheckFailed;
        }
        return Cli.Ok;
    }
}
