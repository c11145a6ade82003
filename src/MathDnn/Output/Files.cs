namespace MathDnn.Cli.Output;

/// <summary>Output files of the command line: checked before any work starts, written atomically.</summary>
internal static class Files
{
    /// <summary>
    /// Checks, before a long computation, that <paramref name="path"/> (the value of <paramref name="option"/>) can be
    /// written: its folder exists and it is not itself a folder.
    /// </summary>
    public static void CheckWritable(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new BadInputException($"{option}: empty file name.");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new BadInputException($"{option} {path}: not a valid file name ({e.Message.TrimEnd('.')}).");
        }
        if (Directory.Exists(full)) throw new BadInputException($"{option} {path}: is a folder; expected a file name.");
        var dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir)) throw new BadInputException($"{option} {path}: the folder {dir} does not exist.");
    }

    /// <summary>
    /// <see cref="CheckWritable"/>, and that a file can be created in its folder: a probe file (a hidden temporary name,
    /// deleted at once) is created there, so that a folder without write permission is named before any work starts.
    /// </summary>
    public static void CheckCanWrite(string path, string option)
    {
        CheckWritable(path, option);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var probe = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.probe");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{option} {path}: the folder {dir} cannot be written{(e is UnauthorizedAccessException ? " (permission denied)" : "")}; no file can be created there.");
        }
        finally
        {
            if (File.Exists(probe)) File.Delete(probe);
        }
    }

    /// <summary>
    /// Checks that the output <paramref name="path"/> (the value of <paramref name="option"/>) is none of the files a
    /// command reads or writes otherwise, so that an output never replaces an input or another output.
    /// </summary>
    public static void CheckDistinct(string path, string option, params (string? Path, string Option)[] others)
    {
        var full = Path.GetFullPath(path);
        foreach (var (other, otherOption) in others)
            if (other is not null && string.Equals(full, Path.GetFullPath(other), PathComparison))
                throw new BadInputException($"{option} {path}: is also the {otherOption} file; choose another name.");
    }

    private static StringComparison PathComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// Writes a file atomically: a temporary file in the same folder, then a rename over the target, so a failure never
    /// leaves a damaged or half-written file behind and never touches an existing one.
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new BadInputException($"{path}: the folder {dir} does not exist.");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = File.Create(temp)) write(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteAtomically(string path, string text) =>
        WriteAtomically(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false));
            w.Write(text);
        });
}
