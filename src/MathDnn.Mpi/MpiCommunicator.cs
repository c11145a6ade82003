using MathDnn.Distributed;

namespace MathDnn.Mpi;

/// <summary>
/// MPI_COMM_WORLD of Open MPI as an <see cref="ICommunicator"/>: a thin binding (MPI_Init_thread, funneled; MPI_Allgather and MPI_Bcast on bytes,
/// MPI_Barrier, MPI_Abort, MPI_Finalize on <see cref="Dispose"/>). The trainer adds the gathered blocks itself in rank
/// order, so no reduction of the library is used and the result does not depend on its algorithms. One instance per process.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator, IDisposable
{
    private readonly nint world, bytes;
    private bool finalized;

    private MpiCommunicator()
    {
        Native.Load();
        // Open MPI catches SIGSEGV/SIGBUS/SIGFPE/SIGABRT to print backtraces; .NET turns SIGSEGV into NullReferenceException and
        // needs its own handlers, so Open MPI is told to catch none (the MCA parameter opal_signal, read by MPI_Init).
        Native.SetEnv("OMPI_MCA_opal_signal", "", 0);
        Check(Native.MPI_Initialized(out int initialized), "MPI_Initialized");
        // .NET runs other threads (the GC, the GEMM workers); only the training thread calls MPI.
        if (initialized == 0) Check(Native.MPI_Init_thread(0, 0, Native.ThreadFunneled, out _), "MPI_Init_thread");
        world = Native.Handle("ompi_mpi_comm_world");
        bytes = Native.Handle("ompi_mpi_byte");
        Check(Native.MPI_Comm_rank(world, out int rank), "MPI_Comm_rank");
        Check(Native.MPI_Comm_size(world, out int size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <summary>
    /// Whether this process was started by Open MPI's mpirun/mpiexec: the launcher sets OMPI_COMM_WORLD_SIZE and
    /// OMPI_COMM_WORLD_RANK in every rank's environment.
    /// </summary>
    public static bool LaunchedByMpirun =>
        Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null && Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") is not null;

    /// <summary>
    /// The communicator of this process: MPI_COMM_WORLD (after MPI_Init) when <see cref="LaunchedByMpirun"/>, else
    /// <see cref="Communicator.Single"/> (MPI is not loaded at all).
    /// </summary>
    /// <exception cref="DllNotFoundException">Started by mpirun, but libmpi.so.40 cannot be loaded.</exception>
    public static ICommunicator FromEnvironment() => LaunchedByMpirun ? Initialize() : Communicator.Single;

    private static MpiCommunicator? instance;

    /// <summary>MPI_Init_thread (once per process) and MPI_COMM_WORLD; MPI calls must then come from the calling thread.</summary>
    public static MpiCommunicator Initialize() => instance ??= new MpiCommunicator();

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>MPI_Allgather of <paramref name="send"/>.Length bytes per rank into <paramref name="receive"/> (N times as long).</summary>
    public void AllGather(ReadOnlySpan<byte> send, Span<byte> receive)
    {
        if (receive.Length != (long)send.Length * Size)
            throw new ArgumentException($"MPI all-gather: the receive buffer holds {receive.Length} bytes, not N·L = {Size}·{send.Length}.", nameof(receive));
        fixed (byte* s = send)
        fixed (byte* r = receive)
            Check(Native.MPI_Allgather(s, send.Length, bytes, r, send.Length, bytes, world), "MPI_Allgather");
    }

    /// <summary>MPI_Bcast of <paramref name="buffer"/> from rank <paramref name="root"/>.</summary>
    public void Broadcast(Span<byte> buffer, int root)
    {
        if (root < 0 || root >= Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"MPI broadcast: the root must be a rank in 0 … {Size - 1}.");
        fixed (byte* b = buffer)
            Check(Native.MPI_Bcast(b, buffer.Length, bytes, root, world), "MPI_Bcast");
    }

    /// <summary>MPI_Barrier.</summary>
    public void Barrier() => Check(Native.MPI_Barrier(world), "MPI_Barrier");

    /// <summary>MPI_Abort: ends every rank of the run (mpirun exits with <paramref name="errorCode"/>); for a failure only this rank knows of.</summary>
    public void Abort(int errorCode) => Native.MPI_Abort(world, errorCode);

    /// <summary>MPI_Finalize (once; later calls do nothing). Every rank must call it before exiting normally.</summary>
    public void Dispose()
    {
        if (finalized) return;
        finalized = true;
        Native.MPI_Finalized(out int done);
        if (done == 0) Native.MPI_Finalize();
    }

    /// <summary>"MPI rank r of N".</summary>
    public override string ToString() => $"MPI rank {Rank} of {Size}";

    private static void Check(int code, string call)
    {
        if (code != Native.Success) throw new InvalidOperationException($"MPI: {call} failed with error code {code}.");
    }
}
