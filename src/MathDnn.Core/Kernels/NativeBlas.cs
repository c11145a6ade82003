using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MathDnn.Kernels;

/// <summary>
/// The optional native backend: OpenBLAS's <c>cblas_dgemm</c> / <c>cblas_sgemm</c>, loaded at run time with
/// <see cref="NativeLibrary.TryLoad(string, out nint)"/> when a shared library is present (Debian: libopenblas0).
/// Nothing in the library needs it; <see cref="KernelSettings"/> chooses between it and the managed kernel.
/// </summary>
internal static unsafe class NativeBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    /// <summary>The names tried, in order, through the platform's library search.</summary>
    public static readonly string[] Candidates =
    [
        "libopenblas.so.0", "libopenblas.so", "libopenblas.0.dylib", "libopenblas.dylib", "libopenblas.dll", "openblas.dll",
    ];

    private static readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> s_dgemm;
    private static readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> s_sgemm;
    private static readonly delegate* unmanaged[Cdecl]<int, void> s_setThreads;
    private static readonly delegate* unmanaged[Cdecl]<int> s_shutdown;
    private static int s_threads;

    // Products hold it as readers; ParkThreads as the writer, so OpenBLAS's threads are never stopped under a running call.
    private static readonly ReaderWriterLockSlim Calls = new(LockRecursionPolicy.NoRecursion);

    /// <summary>Whether cblas_dgemm and cblas_sgemm were found.</summary>
    public static bool IsAvailable { get; }

    /// <summary>The library file name that loaded, and its openblas_get_config() string when it has one.</summary>
    public static string Description { get; } = "";

    /// <summary>The kernel core OpenBLAS runs on (openblas_get_corename(), e.g. "Haswell", "Prescott"), or "" when it does not say.</summary>
    public static string CoreName { get; } = "";

    static NativeBlas()
    {
        foreach (var name in Candidates)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "cblas_dgemm", out nint d) && NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint s))
            {
                s_dgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)d;
                s_sgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)s;
                if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint t))
                    s_setThreads = (delegate* unmanaged[Cdecl]<int, void>)t;
                if (NativeLibrary.TryGetExport(handle, "blas_thread_shutdown_", out nint stop))
                    s_shutdown = (delegate* unmanaged[Cdecl]<int>)stop;
                string config = "";
                if (NativeLibrary.TryGetExport(handle, "openblas_get_config", out nint g))
                    config = Marshal.PtrToStringAnsi(((delegate* unmanaged[Cdecl]<nint>)g)()) ?? "";
                Description = config.Length > 0 ? $"{config.Trim()}, {name}" : name;
                if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out nint core))
                    CoreName = Marshal.PtrToStringAnsi(((delegate* unmanaged[Cdecl]<nint>)core)())?.Trim() ?? "";
                IsAvailable = true;
                return;
            }
            NativeLibrary.Free(handle);
        }
    }

    /// <summary>
    /// Stops OpenBLAS's worker threads (blas_thread_shutdown_, when the library exports it; its next threaded call starts
    /// them again). After every call they busy-wait (yielding) for a while before sleeping, and while they do, they take
    /// the cores from other threads: measured on the 2-core Zen 5 VM, managed 256³ products on 2 threads timed right after
    /// OpenBLAS products ran in windows of 8–80 GFLOP/s in double where they ran 150–165 with OpenBLAS's threads stopped.
    /// Waits for running OpenBLAS products to end. Returns whether the threads were stopped.
    /// </summary>
    public static bool ParkThreads()
    {
        if (!IsAvailable || s_shutdown == null) return false;
        Calls.EnterWriteLock();
        try { s_shutdown(); }
        finally { Calls.ExitWriteLock(); }
        return true;
    }

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C through cblas_?gemm (row-major), on at most <paramref name="threads"/> OpenBLAS threads.
    /// The caller has checked the shapes and handled the empty cases (OpenBLAS rejects leading dimensions of 0).
    /// </summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb,
        T beta, T* c, int ldc, int threads) where T : unmanaged
    {
        if (!IsAvailable) throw new InvalidOperationException("Matrix product: the OpenBLAS backend is not loaded.");
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
            throw new NotSupportedException($"Matrix product: OpenBLAS has no GEMM for {typeof(T).Name}.");
        bool reader = s_shutdown != null;
        if (reader) Calls.EnterReadLock();
        try
        {
            if (threads != s_threads && s_setThreads != null)
            {
                s_setThreads(threads);
                s_threads = threads;
            }
            int ta = transA ? Trans : NoTrans, tb = transB ? Trans : NoTrans;
            if (typeof(T) == typeof(double))
                s_dgemm(RowMajor, ta, tb, m, n, k, Unsafe.As<T, double>(ref alpha), (double*)a, lda, (double*)b, ldb, Unsafe.As<T, double>(ref beta), (double*)c, ldc);
            else
                s_sgemm(RowMajor, ta, tb, m, n, k, Unsafe.As<T, float>(ref alpha), (float*)a, lda, (float*)b, ldb, Unsafe.As<T, float>(ref beta), (float*)c, ldc);
        }
        finally { if (reader) Calls.ExitReadLock(); }
    }
}
