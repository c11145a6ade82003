using System.Runtime.InteropServices;

namespace MathDnn.IO;

/// <summary>
/// The two Linux calls .NET does not expose: <c>statx</c> (the file type and identity, without opening the file, so a
/// FIFO is recognised instead of blocking) and <c>realpath</c> (every symbolic link resolved). Elsewhere, or when libc
/// lacks them, every method returns null and the callers fall back to what <see cref="System.IO"/> tells.
/// </summary>
internal static class Native
{
    /// <summary>The file type bits of st_mode (S_IFMT) and the identity (device, inode) of a file, following symbolic links.</summary>
    public readonly record struct Status(int Type, ulong DeviceMajor, ulong DeviceMinor, ulong Inode);

    public const int TypeMask = 0xF000, Fifo = 0x1000, CharacterDevice = 0x2000, Folder = 0x4000,
        BlockDevice = 0x6000, Regular = 0x8000, Socket = 0xC000;

    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7FF;
    private const int ENOENT = 2, ENOTDIR = 20, ELOOP = 40, ENAMETOOLONG = 36;

    private static bool available = OperatingSystem.IsLinux();

    /// <summary>
    /// The status of <paramref name="path"/>; <c>(null, true)</c> when it does not exist (or a folder on its way is a
    /// file), <c>(null, false)</c> when it cannot be told here.
    /// </summary>
    public static (Status? Status, bool Missing) Stat(string path)
    {
        if (!available) return (null, false);
        // struct statx is the same on every Linux architecture: stx_mode (u16) at byte 28, stx_ino (u64) at 32,
        // stx_dev_major and stx_dev_minor (u32) at 136 and 140; 256 bytes in all.
        var buffer = new byte[256];
        int r;
        try { r = statx(AtFdCwd, path, 0, StatxBasicStats, buffer); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            available = false;
            return (null, false);
        }
        if (r != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return (null, errno is ENOENT or ENOTDIR or ELOOP or ENAMETOOLONG);
        }
        int mode = BitConverter.ToUInt16(buffer, 28);
        return (new Status(mode & TypeMask, BitConverter.ToUInt32(buffer, 136), BitConverter.ToUInt32(buffer, 140), BitConverter.ToUInt64(buffer, 32)), false);
    }

    /// <summary><paramref name="path"/> with every symbolic link resolved (it must exist), or null.</summary>
    public static string? RealPath(string path)
    {
        if (!available) return null;
        try
        {
            var p = realpath(path, IntPtr.Zero);
            if (p == IntPtr.Zero) return null;
            try { return Marshal.PtrToStringUTF8(p); }
            finally { free(p); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    // Strings are marshalled as UTF-8 (CharSet.Ansi on Unix), the encoding of Linux file names.
    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath(string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr p);
}
