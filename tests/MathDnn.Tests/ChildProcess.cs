using System.Diagnostics;
using System.Text;

namespace MathDnn.Tests;

/// <summary>
/// Runs a program to its end with its output captured: stdout and stderr are read as they come (so neither pipe fills
/// and blocks the child), each on its own and both interleaved; after <c>timeout</c> the child and its children are
/// killed and the result says so.
/// </summary>
internal static class ChildProcess
{
    /// <summary>The exit code (−1 after a timeout), stdout, stderr, both in the order they arrived, whether it timed out, and how long it ran.</summary>
    public sealed record Result(int ExitCode, string Out, string Err, string Both, bool TimedOut, TimeSpan Elapsed);

    /// <summary>Starts <paramref name="info"/> (its output redirected here) and waits for it, at most <paramref name="timeout"/>.</summary>
    public static Result Run(ProcessStartInfo info, TimeSpan timeout)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var (stdout, stderr, both) = (new StringBuilder(), new StringBuilder(), new StringBuilder());
        void Append(StringBuilder one, string? line)
        {
            if (line is null) return;
            lock (both)
            {
                one.Append(line).Append('\n');
                both.Append(line).Append('\n');
            }
        }
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool exited = process.WaitForExit(timeout);
        if (!exited) process.Kill(entireProcessTree: true);
        process.WaitForExit(); // the output handlers have run
        lock (both) return new Result(exited ? process.ExitCode : -1, stdout.ToString(), stderr.ToString(), both.ToString(), !exited, clock.Elapsed);
    }
}
