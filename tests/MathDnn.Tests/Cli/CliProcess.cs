using System.Diagnostics;

namespace MathDnn.Tests.Cli;

/// <summary>
/// Runs the built <c>mathdnn</c> (the mathdnn.dll next to the tests) as a child process, with its own environment: for the
/// cases that must not run inside the test host, e.g. under a small <c>DOTNET_GCHeapHardLimit</c>, so that a regression that
/// allocates without bound fails with an out-of-memory error instead of exhausting the machine.
/// </summary>
internal static class CliProcess
{
    /// <summary>The dotnet host the tests run under (the SDK sets DOTNET_HOST_PATH), else the one on the PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>512 MiB, the GC heap limit of the memory tests (hexadecimal, as the runtime reads it).</summary>
    public const string SmallHeap = "0x20000000";

    /// <summary>Runs <c>mathdnn <paramref name="args"/></c> with <c>DOTNET_GCHeapHardLimit</c> = <paramref name="heapLimit"/>, killed after 2 minutes.</summary>
    public static CliResult Run(string heapLimit, params string[] args) =>
        RunWith(new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = heapLimit }, args);

    /// <summary>Runs <c>mathdnn <paramref name="args"/></c> with these environment variables added, killed after 2 minutes.</summary>
    public static CliResult RunWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Dotnet);
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mathdnn.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var r = ChildProcess.Run(info, TimeSpan.FromMinutes(2));
        if (r.TimedOut)
        {
            string heap = environment.TryGetValue("DOTNET_GCHeapHardLimit", out var limit) ? $" under a {limit}-byte heap" : "";
            throw new TimeoutException($"mathdnn {string.Join(' ', args)} did not finish in 2 minutes{heap}.");
        }
        return new CliResult(r.ExitCode, r.Out, r.Err);
    }
}
