using System.Diagnostics;
using System.Text.Json;
using MathDnn.IO;
using MathDnn.Tests.Cli;
using Xunit.Abstractions;

namespace MathDnn.Tests.Distributed;

/// <summary>
/// <c>mpirun --oversubscribe -np N mathdnn train …</c> as a user runs it, on Open MPI (installed by .ci/run with apt-get):
/// two and three ranks give the same model on every run and the model of one process with <c>--shards N</c>, the digits
/// reach 97 % on two ranks, uneven and empty shards, a resumed run, a rank with bad input and a killed rank. Every process
/// has a timeout, so a hang fails the test. Without mpirun the tests fail, saying so: they are not skipped.
/// </summary>
public class MpiRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliHarness files = new();

    public void Dispose() => files.Dispose();

    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "mathdnn.dll");


    /// <summary>
    /// mpirun on the PATH; when it is missing, scripts/install-openmpi.sh installs Open MPI with apt-get (once per run, as
    /// .ci/run does, so the README's test command alone also works on a fresh machine), or a failure that says what is missing.
    /// </summary>
    private static string Mpirun()
    {
        lock (Installing)
        {
            if (FindMpirun() is { } found) return found;
            installLog ??= InstallOpenMpi();
            var path = FindMpirun();
            Assert.True(path is not null,
                "Open MPI is not installed (no mpirun on the PATH) and scripts/install-openmpi.sh could not install it: the " +
                "multi-process tests need it. Install openmpi-bin and libopenmpi-dev (or your distribution's Open MPI 4.x). " + installLog);
            return path!;
        }
    }

    private static readonly object Installing = new();
    private static string? installLog;

    private static string? FindMpirun() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "mpirun")).FirstOrDefault(File.Exists);

    /// <summary>Runs scripts/install-openmpi.sh (at most 10 minutes) and returns what it printed.</summary>
    private static string InstallOpenMpi()
    {
        var script = Path.Combine(ReadmeBlocks.RepositoryRoot(), "scripts", "install-openmpi.sh");
        if (!File.Exists(script)) return $"({script} is missing.)";
        var r = ChildProcess.Run(new ProcessStartInfo("bash", [script]), TimeSpan.FromMinutes(10));
        return r.TimedOut ? "(install-openmpi.sh timed out.)" : $"install-openmpi.sh exited with {r.ExitCode}: {r.Both}".Trim();
    }

    /// <summary>mathdnn on one rank: `dotnet mathdnn.dll args…` as an MPMD program of mpirun.</summary>
    private static IEnumerable<string> Mathdnn(params string[] args) => [CliProcess.Dotnet, Cli, .. args];

    /// <summary>Runs mpirun with the given application context(s) (joined by ":"); fails on a timeout.</summary>
    private (int Code, string Out, string Err) MpiRun(int timeoutSeconds, params IEnumerable<string>[] apps)
    {
        var info = new ProcessStartInfo(Mpirun()) { WorkingDirectory = files.Dir };
        info.ArgumentList.Add("--oversubscribe");
        for (int i = 0; i < apps.Length; i++)
        {
            if (i > 0) info.ArgumentList.Add(":");
            foreach (var a in apps[i]) info.ArgumentList.Add(a);
        }
        // CI runs as root; Open MPI refuses root unless both variables are set.
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        foreach (var (name, value) in SameBackend) info.Environment[name] = value;
        var r = ChildProcess.Run(info, TimeSpan.FromSeconds(timeoutSeconds));
        if (r.TimedOut) Assert.Fail($"mpirun {string.Join(' ', info.ArgumentList)} did not finish within {timeoutSeconds} s:\n{r.Out}\n{r.Err}");
        output.WriteLine($"$ mpirun {string.Join(' ', info.ArgumentList)}  (exit {r.ExitCode}, {r.Elapsed.TotalSeconds:F1} s)\n{r.Out}{r.Err}");
        return (r.ExitCode, r.Out, r.Err);
    }

    /// <summary>
    /// Bit-for-bit comparisons across processes need one matrix-product backend in all of them: auto chooses by measuring
    /// in each process, and the ranks (two on two cores, beside other tests) may measure otherwise than another process
    /// (README, "The matrix-product backend"). So every process of these tests runs the managed kernel.
    /// </summary>
    private static readonly Dictionary<string, string> SameBackend = new() { [MathDnn.Kernels.KernelSettings.BackendVariable] = "managed" };

    /// <summary>mathdnn in one process (not under mpirun), with the backend of the ranks.</summary>
    private static CliResult OneProcess(params string[] args) => CliProcess.RunWith(SameBackend, args);

    private (int Code, string Out, string Err) Train(int ranks, params string[] args) =>
        MpiRun(180, ["-np", ranks.ToString(), .. Mathdnn(["train", .. args])]);

    /// <summary>θ, the optimizer state and the history of a saved run, bit for bit (the wall-clock seconds aside).</summary>
    private static void AssertSameRun(string expected, string actual, string what)
    {
        var a = ModelFile.Load(expected);
        var b = ModelFile.Load(actual);
        Assert.True(a.Network.Parameters.Equals(b.Network.Parameters), $"{what}: θ differs");
        Assert.Equal(a.OptimizerState, b.OptimizerState);
        Assert.Equal(a.Training!["history"].GetRawText(), b.Training!["history"].GetRawText());
    }

    [Fact]
    public void Two_ranks_reach_97_percent_on_the_digits_with_the_same_model_on_every_run_and_as_one_process_with_2_shards()
    {
        var (code, stdout, stderr) = Train(2, "--json", "--out", files.P("a.json"));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout); // rank 0's one document: nothing else on stdout
        double accuracy = doc.RootElement.GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy >= 0.97, $"test accuracy {accuracy:P2} on 2 ranks");
        Assert.Equal(2, doc.RootElement.GetProperty("ranks").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("training").GetProperty("shards").GetInt32());

        Assert.Equal(0, Train(2, "--out", files.P("b.json")).Code);
        AssertSameRun(files.P("a.json"), files.P("b.json"), "a second run on 2 ranks");

        OneProcess("train", "--shards", "2", "--out", files.P("one.json")).AssertOk();
        AssertSameRun(files.P("one.json"), files.P("a.json"), "one process with --shards 2");
    }

    [Theory]
    [InlineData("5", "0.2", "2")]  // 5 rows on 3 ranks: shards of 2, 2, 1; the last batch (1438 mod 5 = 3) 1, 1, 1; dropout by the global row
    [InlineData("2", "0", "1")]    // 2 rows on 3 ranks: rank 2's shard is empty at every step
    public void Three_ranks_with_uneven_or_empty_shards_equal_one_process_with_3_shards(string batch, string dropout, string epochs)
    {
        string[] args = ["--batch", batch, "--dropout", dropout, "--epochs", epochs, "--layers", "32"];
        var (code, _, stderr) = Train(3, [.. args, "--out", files.P("three.json")]);
        Assert.True(code == 0, stderr);
        OneProcess(["train", .. args, "--shards", "3", "--out", files.P("one.json")]).AssertOk();
        AssertSameRun(files.P("one.json"), files.P("three.json"), $"batch {batch} on 3 ranks");
    }

    [Fact]
    public void A_run_resumed_on_the_same_ranks_continues_exactly_and_other_rank_counts_are_refused()
    {
        string[] args = ["--layers", "32", "--batch", "16"];
        Assert.Equal(0, Train(2, [.. args, "--epochs", "2", "--out", files.P("r.json")]).Code);
        var refused = Train(3, "--resume", files.P("r.json"), "--epochs", "1");
        Assert.Equal(2, refused.Code);
        Assert.Contains("mathdnn: rank 0: --resume", refused.Err); // every rank refuses; the lowest is named
        Assert.Contains("was trained with 2 shards per step", refused.Err);
        Assert.Equal(0, Train(2, "--resume", files.P("r.json"), "--epochs", "1").Code);
        OneProcess(["train", .. args, "--epochs", "3", "--shards", "2", "--out", files.P("whole.json")]).AssertOk();
        AssertSameRun(files.P("whole.json"), files.P("r.json"), "2 + 1 epochs on 2 ranks");
    }

    [Fact]
    public void A_rank_with_bad_input_stops_every_rank_with_one_error_naming_it_and_an_existing_out_is_left_as_it_was()
    {
        var bad = files.Write("bad.csv", "1,2,0\n3,4,1\n5,x,0\n");
        var model = files.Write("model.json", "the previous model");
        var (code, stdout, stderr) = MpiRun(120,
            ["-np", "1", .. Mathdnn("train", "--out", model)],
            ["-np", "1", .. Mathdnn("train", "--data", bad, "--out", model)]);
        Assert.Equal(2, code);
        var ours = stderr.Split('\n').Where(l => l.StartsWith("mathdnn:", StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count == 1, $"expected one error line, got:\n{stderr}");
        Assert.StartsWith($"mathdnn: rank 1: {bad}:3: column 2", ours[0]);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("epoch", stdout); // no rank trained
        Assert.Equal("the previous model", File.ReadAllText(model));
    }

    [Fact]
    public void A_killed_rank_stops_every_rank_and_an_existing_out_is_left_as_it_was()
    {
        // Rank 1 is killed (SIGKILL) 8 s in, in the middle of a run of 100,000 epochs; mpirun then ends rank 0.
        var model = files.Write("model.json", "the previous model");
        string[] run = ["train", "--epochs", "100000", "--layers", "32", "--out", model];
        var (code, stdout, _) = MpiRun(90,
            ["-np", "1", .. Mathdnn(run)],
            ["-np", "1", "timeout", "-s", "KILL", "8", .. Mathdnn(run)]);
        Assert.NotEqual(0, code);
        Assert.Contains("epoch", stdout);           // it was killed while training ...
        Assert.DoesNotContain("model saved", stdout); // ... and nothing was written
        Assert.Equal("the previous model", File.ReadAllText(model));
    }
}
