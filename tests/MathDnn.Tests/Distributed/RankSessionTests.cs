using MathDnn.Cli;
using MathDnn.Cli.Distributed;
using MathDnn.Distributed;
using CliApp = MathDnn.Cli.Cli;

namespace MathDnn.Tests.Distributed;

/// <summary>
/// How the ranks of one <c>mathdnn</c> command stop together (<see cref="RankSession"/>), on thread ranks: a failure in the
/// set-up, in training or in rank 0's finishing ends every rank with the same exit code and one message, printed by rank 0.
/// </summary>
public class RankSessionTests
{
    /// <summary>Runs <paramref name="body"/> as a command body under <c>Cli.Guard</c> on N thread ranks: (exit code, stdout, stderr) by rank.</summary>
    private static (int Code, string Out, string Err)[] Command(int n, Func<Shell, RankSession, int> body)
    {
        var results = ThreadRanks.Run(n, comm =>
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            var shell = new Shell(stdout, stderr, () => new RankSession(comm));
            int code = CliApp.Guard(shell, () => body(shell, shell.Ranks));
            return (code, stdout.ToString(), stderr.ToString());
        });
        Assert.All(results, r => Assert.Null(r.Error));
        return [.. results.Select(r => r.Result)];
    }

    [Fact]
    public void A_set_up_failure_on_one_rank_is_printed_once_by_rank_0_and_every_rank_returns_its_exit_code()
    {
        var results = Command(3, (shell, ranks) =>
        {
            shell.Out.WriteLine("set-up");
            if (ranks.Rank == 2) throw new BadInputException("--data x.csv: no such file");
            ranks.Agree();
            shell.Out.WriteLine("trained");
            return CliApp.Ok;
        });
        Assert.All(results, r => Assert.Equal(CliApp.BadInput, r.Code));
        Assert.Equal("mathdnn: rank 2: --data x.csv: no such file", results[0].Err.Trim());
        Assert.Equal("set-up", results[0].Out.Trim());       // rank 0 stopped at the agreement
        for (int r = 1; r < 3; r++) Assert.Equal(("", ""), (results[r].Out, results[r].Err)); // only rank 0 writes
    }

    [Fact]
    public void A_failure_the_trainer_raised_on_every_rank_is_printed_once_with_the_failing_ranks_exit_code()
    {
        var results = Command(2, (_, ranks) =>
        {
            ranks.Agree();
            return ranks.Train<int>(() => throw new RankFailedException(1, "at epoch 1, step 3 of 9: boom", nameof(InvalidOperationException)));
        });
        Assert.All(results, r => Assert.Equal(CliApp.CheckFailed, r.Code));
        Assert.Equal("mathdnn: rank 1: at epoch 1, step 3 of 9: boom", results[0].Err.Trim());
        Assert.Equal("", results[1].Err);
    }

    [Fact]
    public void Rank_0s_failure_while_writing_the_outputs_becomes_every_ranks_exit_code()
    {
        var results = Command(3, (_, ranks) =>
        {
            ranks.Agree();
            ranks.Train(() => 0);
            if (!ranks.IsRoot) return ranks.AwaitRoot();
            throw new IOException("--out m.json: disk full");
        });
        Assert.All(results, r => Assert.Equal(CliApp.BadInput, r.Code));
        Assert.Equal("mathdnn: --out m.json: disk full", results[0].Err.Trim());
    }

    [Fact]
    public void Success_is_rank_0s_exit_code_on_every_rank()
    {
        var results = Command(2, (shell, ranks) =>
        {
            ranks.Agree();
            ranks.Train(() => 0);
            if (!ranks.IsRoot) return ranks.AwaitRoot();
            shell.Out.WriteLine("model saved");
            return CliApp.Ok;
        });
        Assert.All(results, r => Assert.Equal(CliApp.Ok, r.Code));
        Assert.Equal(("model saved", ""), (results[0].Out.Trim(), results[0].Err));
        Assert.Equal("", results[1].Out);
    }

    [Fact]
    public void Rank_failures_of_bad_input_map_to_exit_code_2_and_others_to_1()
    {
        Assert.Equal(CliApp.BadInput, RankSession.ExitCode(new RankFailedException(1, "m", nameof(ArgumentOutOfRangeException))));
        Assert.Equal(CliApp.BadInput, RankSession.ExitCode(new RankFailedException(1, "m", "DataFormatException")));
        Assert.Equal(CliApp.CheckFailed, RankSession.ExitCode(new RankFailedException(1, "m", nameof(InvalidOperationException))));
    }
}
