using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MathDnn.IO;

/// <summary>
/// Files written together, all or none: <see cref="Stage"/> writes each file's content into a hidden temporary file
/// next to it, <c>.{name}.{pid}.{guid}.tmp</c>, and flushes it to disk; <see cref="Commit"/> then renames every
/// temporary over its target. Until the commit no existing file is touched: when writing a temporary fails, or the
/// set is disposed without a commit, every temporary is deleted and every old file stays as it was. A rename within a
/// folder replaces the target at once, so a reader (or a crash) sees the old file or the new one, never a part.
/// <para>
/// Staging a target first deletes its stale temporaries: those of earlier saves of the same target whose process
/// (the pid in the name) no longer runs, as after a <c>kill -9</c> during a save. Temporaries of running processes,
/// this one included, are kept (they may be saves in flight).
/// </para>
/// <para>
/// The renames of <see cref="Commit"/> happen one after the other: the set replaces each target atomically, not all
/// of them in one step; once every temporary is written (the step that needs space and can fail), renaming within
/// the same folder does not fail in practice.
/// </para>
/// </summary>
public sealed class OutputSet : IDisposable
{
    private readonly List<(string Target, string Temporary)> staged = [];
    private bool disposed;

    /// <summary>
    /// Writes the content of <paramref name="path"/> (given by <paramref name="write"/>) into a temporary file of the
    /// same folder and flushes it to disk; <paramref name="path"/> itself is replaced only by <see cref="Commit"/>.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="write">Writes the content to the stream it is given (the stream is closed afterwards).</param>
    /// <exception cref="IOException">When the target cannot be written (the message names <paramref name="path"/> and
    /// the reason, never the temporary); the temporary is deleted then.</exception>
    /// <exception cref="ArgumentException">When <paramref name="path"/> is staged already.</exception>
    public void Stage(string path, Action<Stream> write)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        if (FileCheck.CheckWrite(path, probe: false) is { } problem) throw new IOException($"{path}: {problem}.");
        var full = Path.GetFullPath(path);
        if (staged.Any(s => s.Target == full)) throw new ArgumentException($"{path}: staged twice in one output set.", nameof(path));
        DeleteStaleTemporaries(full);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, TemporaryName(full, "tmp"));
        staged.Add((full, temporary)); // before the file exists: Dispose deletes whatever part of it was written
        try
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(stream);
            stream.Flush(flushToDisk: true); // the data reaches the disk before the rename makes it the file
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Delete(temporary);
            staged.RemoveAt(staged.Count - 1);
            throw new IOException($"{path}: cannot be written ({FileCheck.Reason(e)}).", e);
        }
        catch
        {
            Delete(temporary);
            staged.RemoveAt(staged.Count - 1);
            throw;
        }
    }

    /// <summary>Renames every staged temporary over its target, in the order staged; the set is empty afterwards.</summary>
    /// <exception cref="IOException">When a rename fails (the message names the target); the temporaries not yet
    /// renamed are deleted when the set is disposed.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        while (staged.Count > 0)
        {
            var (target, temporary) = staged[0];
            try { File.Move(temporary, target, overwrite: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"{target}: cannot be replaced ({FileCheck.Reason(e)}).", e);
            }
            staged.RemoveAt(0);
        }
    }

    /// <summary>Deletes the temporaries of every target not committed; their targets stay as they were.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var (_, temporary) in staged) Delete(temporary);
        staged.Clear();
    }

    /// <summary>Writes one file atomically: <see cref="Stage"/> and <see cref="Commit"/> of a set of one.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <exception cref="IOException">When the file cannot be written; an existing file is left as it was.</exception>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        using var set = new OutputSet();
        set.Stage(path, write);
        set.Commit();
    }

    /// <summary>
    /// Deletes the stale temporaries of <paramref name="path"/>: the files <c>.{name}.{pid}.{guid}.tmp</c> (and the
    /// probe files <c>.{name}.{pid}.{guid}.probe</c> of <see cref="FileCheck.WriteProblem"/>) in its folder whose process
    /// no longer runs; returns their number. A file that cannot be deleted is left.
    /// </summary>
    /// <param name="path">The target whose temporaries are cleaned.</param>
    public static int DeleteStaleTemporaries(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        // The guid is absent in the names of older versions (.{name}.{pid}.tmp).
        var pattern = new Regex($"^\\.{Regex.Escape(name)}\\.(\\d{{1,10}})\\.(?:[0-9a-f]{{32}}\\.)?(?:tmp|probe)$", RegexOptions.CultureInvariant);
        int deleted = 0;
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(dir, $".{name}.*", SearchOption.TopDirectoryOnly).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
        foreach (var file in candidates)
        {
            var m = pattern.Match(Path.GetFileName(file));
            if (!m.Success || !int.TryParse(m.Groups[1].Value, out int pid) || Running(pid)) continue;
            if (Delete(file)) deleted++;
        }
        return deleted;
    }

    /// <summary><c>.{name}.{pid}.{guid}.{suffix}</c>: hidden, of this process, unique.</summary>
    internal static string TemporaryName(string full, string suffix) =>
        $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.{suffix}";

    private static bool Running(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }      // no such process
        catch (InvalidOperationException) { return false; }
        catch (Exception) { return true; }                 // cannot tell: keep the file
    }

    private static bool Delete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
