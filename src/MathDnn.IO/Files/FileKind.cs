namespace MathDnn.IO;

/// <summary>What a path names, following symbolic links (<see cref="FileCheck.KindOf"/>).</summary>
public enum FileKind
{
    /// <summary>Nothing: the path does not exist (or a folder on its way is a file).</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A folder.</summary>
    Folder,
    /// <summary>A named pipe (FIFO): opening it for reading blocks until a writer comes.</summary>
    Fifo,
    /// <summary>A character device (e.g. <c>/dev/zero</c>, a terminal).</summary>
    CharacterDevice,
    /// <summary>A block device (a disk).</summary>
    BlockDevice,
    /// <summary>A Unix domain socket.</summary>
    Socket,
    /// <summary>Something else the operating system reports.</summary>
    Other,
}
