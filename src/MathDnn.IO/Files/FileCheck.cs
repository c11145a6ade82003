namespace MathDnn.IO;

/// <summary>
/// What may be read and written as a file, checked without opening it (a FIFO blocks when opened, a device never ends):
/// only regular files are read, and an output goes to a regular file (or a new name) in a folder that exists and
/// can be written. Symbolic links are followed. The messages are fragments for one line, e.g.
/// <c>$"{path}: {FileCheck.ReadProblem(path)}."</c>.
/// </summary>
public static class FileCheck
{
    /// <summary>The virtual file systems of Linux: their files report as regular files but are views of the kernel.</summary>
    private static readonly string[] VirtualRoots = ["/proc", "/sys"];

    /// <summary>What <paramref name="path"/> names, following symbolic links.</summary>
    /// <param name="path">The path.</param>
    public static FileKind KindOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (status, missing) = Native.Stat(path);
        if (status is { } s)
            return s.Type switch
            {
                Native.Regular => FileKind.Regular,
                Native.Folder => FileKind.Folder,
                Native.Fifo => FileKind.Fifo,
                Native.CharacterDevice => FileKind.CharacterDevice,
                Native.BlockDevice => FileKind.BlockDevice,
                Native.Socket => FileKind.Socket,
                _ => FileKind.Other,
            };
        if (missing) return FileKind.Missing;
        // Without statx (not Linux): what System.IO tells.
        return Directory.Exists(path) ? FileKind.Folder : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>
    /// The virtual file system (<c>/proc</c> or <c>/sys</c>) that <paramref name="path"/> lies in once every symbolic
    /// link is resolved (e.g. <c>/dev/stdin</c> → <c>/proc/self/fd/0</c>), or null. Its files report as regular files
    /// but are no data on disk: <c>/proc/self/mem</c> fails to read, others change while read.
    /// </summary>
    /// <param name="path">An existing path (a file or a folder).</param>
    public static string? VirtualRoot(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        foreach (var candidate in new[] { Native.RealPath(full), full })
            if (candidate is not null)
                foreach (var root in VirtualRoots)
                    if (candidate == root || candidate.StartsWith(root + "/", StringComparison.Ordinal)) return root;
        return null;
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be read as a data or model file, or null when it is a regular file:
    /// "no such file", "is a folder, not a file", "is a named pipe (FIFO), not a regular file", "is in /proc, …".
    /// </summary>
    /// <param name="path">The path.</param>
    public static string? ReadProblem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var kind = KindOf(path);
        return kind switch
        {
            FileKind.Missing => "no such file",
            FileKind.Folder => "is a folder, not a file",
            FileKind.Regular => VirtualRoot(path) is { } root ? InVirtual(root) : null,
            _ => NotRegular(kind),
        };
    }

    /// <summary>
    /// Why no file can be written at <paramref name="path"/>, or null when it can: the name is empty or invalid, names a
    /// folder or an existing file that is not a regular one (a FIFO, a device), its folder does not exist or is a
    /// file, lies in <c>/proc</c> or <c>/sys</c>, or cannot be written. The last is tested by creating a probe file
    /// (a hidden name, deleted at once) in the folder, so that a missing permission or a read-only file system is found
    /// before any work starts; nothing else is created or changed.
    /// </summary>
    /// <param name="path">The file to be written.</param>
    public static string? WriteProblem(string path) => CheckWrite(path, probe: true);

    internal static string? CheckWrite(string path, bool probe)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path)) return "an empty file name";
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"not a valid file name ({e.Message.TrimEnd('.')})";
        }
        if (full.EndsWith(Path.DirectorySeparatorChar) || Path.GetFileName(full).Length == 0) return "is a folder; expected a file name";
        var kind = KindOf(full);
        if (kind == FileKind.Folder) return "is a folder; expected a file name";
        if (kind is not (FileKind.Missing or FileKind.Regular)) return NotRegular(kind) + "; outputs are written to regular files only";
        var dir = Path.GetDirectoryName(full)!;
        switch (KindOf(dir))
        {
            case FileKind.Missing: return $"the folder {dir} does not exist";
            case FileKind.Folder: break;
            default: return $"the folder {dir} is a file, not a folder";
        }
        if (VirtualRoot(dir) is { } root) return $"the folder {dir} cannot be written (it is in {root}, a virtual file system of the kernel); outputs are written to regular files only";
        if (!probe) return null;
        var probeFile = Path.Combine(dir, OutputSet.TemporaryName(full, "probe"));
        try
        {
            using (new FileStream(probeFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the folder {dir} cannot be written ({Reason(e)}); no file can be created there";
        }
        finally
        {
            try { File.Delete(probeFile); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Whether <paramref name="a"/> and <paramref name="b"/> name the same file: the same full path once symbolic links
    /// are resolved, or (on Linux, when both exist) the same device and inode, so that a hard link is recognised too.
    /// </summary>
    /// <param name="a">A path.</param>
    /// <param name="b">Another path.</param>
    public static bool SameFile(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        string fa = Path.GetFullPath(a), fb = Path.GetFullPath(b);
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (string.Equals(fa, fb, comparison)) return true;
        var (sa, _) = Native.Stat(fa);
        var (sb, _) = Native.Stat(fb);
        if (sa is { } x && sb is { } y) return x.Inode == y.Inode && x.DeviceMajor == y.DeviceMajor && x.DeviceMinor == y.DeviceMinor;
        return string.Equals(Resolved(fa), Resolved(fb), comparison);
    }

    /// <summary>The full path with a symbolic link at its end resolved (what System.IO can tell without statx).</summary>
    private static string Resolved(string full)
    {
        try { return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full; }
        catch (IOException) { return full; }
    }

    private static string NotRegular(FileKind kind) => kind switch
    {
        FileKind.Fifo => "is a named pipe (FIFO), not a regular file",
        FileKind.CharacterDevice => "is a character device, not a regular file",
        FileKind.BlockDevice => "is a block device, not a regular file",
        FileKind.Socket => "is a socket, not a regular file",
        _ => "is not a regular file",
    };

    private static string InVirtual(string root) => $"is in {root}, a virtual file system of the kernel, not a regular file";

    /// <summary>The operating system's reason without the path .NET appends ("Read-only file system : '/x/.y.tmp'").</summary>
    internal static string Reason(Exception e)
    {
        if (e is UnauthorizedAccessException) return "permission denied";
        var m = e.Message;
        int at = m.IndexOf(" : '", StringComparison.Ordinal);
        if (at < 0) at = m.IndexOf(" '", StringComparison.Ordinal);
        return (at > 0 ? m[..at] : m).Trim().TrimEnd('.');
    }
}
