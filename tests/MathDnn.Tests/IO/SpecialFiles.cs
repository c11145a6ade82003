using System.Diagnostics;

namespace MathDnn.Tests.IO;

/// <summary>Files that are not regular files, and process ids that run no process, for the file-safety tests.</summary>
internal static class SpecialFiles
{
    /// <summary>Makes a FIFO at <paramref name="path"/> with the <c>mkfifo</c> program (System.IO has no mkfifo).</summary>
    public static string Fifo(string path)
    {
        Run("mkfifo", path);
        return path;
    }

    /// <summary>Makes <paramref name="link"/> a hard link of <paramref name="target"/> with <c>ln</c> (System.IO makes symbolic links only).</summary>
    public static string HardLink(string target, string link)
    {
        Run("ln", target, link);
        return link;
    }

    /// <summary>The pid of a process that has exited (a <c>true</c> that ran to its end), so no longer a running process.</summary>
    public static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    /// <summary>
    /// Runs <paramref name="body"/> (which may open <paramref name="fifo"/>) on another thread, and fails if it has not
    /// returned within a minute: then the FIFO is opened for writing and closed, which releases a reader blocked on it,
    /// so that a regression fails the test instead of hanging the suite.
    /// </summary>
    public static T WithoutBlocking<T>(string fifo, Func<T> body)
    {
        var task = Task.Run(body);
        if (task.Wait(TimeSpan.FromMinutes(1))) return task.Result;
        using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
        task.Wait(TimeSpan.FromSeconds(10));
        Assert.Fail($"reading {fifo} blocked: a FIFO was opened instead of refused");
        return default!;
    }

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program);
        foreach (var a in args) info.ArgumentList.Add(a);
        var r = ChildProcess.Run(info, TimeSpan.FromMinutes(1));
        Assert.True(r.ExitCode == 0, $"{program} {string.Join(' ', args)}: {r.Err}");
    }
}
