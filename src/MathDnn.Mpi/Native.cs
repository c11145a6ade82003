using System.Runtime.InteropServices;

namespace MathDnn.Mpi;

/// <summary>
/// The MPI calls MathDnn needs, bound to Open MPI's libmpi.so.40 (the C ABI of Open MPI 3.x–5.x). Open MPI's handles are
/// pointers to its global objects (MPI_COMM_WORLD is &amp;ompi_mpi_comm_world, MPI_BYTE &amp;ompi_mpi_byte), read from the
/// library's exports. The library is first opened with RTLD_GLOBAL, as Open MPI's plugins expect to find its symbols.
/// </summary>
internal static unsafe class Native
{
    internal const string Library = "libmpi.so.40";
    internal const int Success = 0;

    private static nint handle;

    /// <summary>Opens libmpi.so.40 globally; a readable error when it is missing.</summary>
    internal static void Load()
    {
        if (handle != 0) return;
        const int RtldNow = 2, RtldGlobal = 0x100;
        nint h = dlopen(Library, RtldNow | RtldGlobal);
        if (h == 0)
        {
            string why = Marshal.PtrToStringUTF8(dlerror()) ?? "unknown reason";
            throw new DllNotFoundException($"MPI: cannot load {Library} ({why}); install Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev).");
        }
        handle = h;
    }

    /// <summary>The address of the global object <paramref name="symbol"/> (an Open MPI handle).</summary>
    internal static nint Handle(string symbol) => NativeLibrary.GetExport(handle, symbol);

    /// <summary>setenv(3) of the C library: the native environment MPI_Init reads (Environment.SetEnvironmentVariable does not reach it).</summary>
    [DllImport("libc", EntryPoint = "setenv")]
    internal static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint dlopen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern nint dlerror();

    /// <summary>MPI_THREAD_FUNNELED: the process has other threads, and only the one that called MPI_Init_thread calls MPI.</summary>
    internal const int ThreadFunneled = 1;

    [DllImport(Library)] internal static extern int MPI_Init_thread(nint argc, nint argv, int required, out int provided);
    [DllImport(Library)] internal static extern int MPI_Initialized(out int flag);
    [DllImport(Library)] internal static extern int MPI_Finalized(out int flag);
    [DllImport(Library)] internal static extern int MPI_Finalize();
    [DllImport(Library)] internal static extern int MPI_Comm_rank(nint comm, out int rank);
    [DllImport(Library)] internal static extern int MPI_Comm_size(nint comm, out int size);
    [DllImport(Library)] internal static extern int MPI_Allgather(void* send, int sendCount, nint sendType, void* receive, int receiveCount, nint receiveType, nint comm);
    [DllImport(Library)] internal static extern int MPI_Bcast(void* buffer, int count, nint type, int root, nint comm);
    [DllImport(Library)] internal static extern int MPI_Barrier(nint comm);
    [DllImport(Library)] internal static extern int MPI_Abort(nint comm, int errorCode);
}
