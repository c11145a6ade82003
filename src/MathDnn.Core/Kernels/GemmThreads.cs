using System.Runtime.CompilerServices;
namespace MathDnn.Kernels;

/// <summary>Work cut into numbered chunks that threads may execute in any order and on any thread.</summary>
internal interface IGemmWork
{
    void ExecuteChunk(int chunk);
}

/// <summary>
/// A small fork-join pool of dedicated background threads for the parallel GEMM. The caller takes the gate,
/// publishes the work, wakes P − 1 workers and claims chunks itself from a shared counter; it returns once every
/// chunk is done — it does not wait for a worker that the OS has not scheduled yet (on a loaded machine that can take
/// milliseconds): such a worker finds nothing left to claim. The counter carries a generation, so a late worker can
/// never claim a chunk of a later product with the earlier one's state. Dedicated threads (rather than the .NET
/// thread pool) keep the wake-up latency predictable when the pool is busy, and nothing is allocated per product.
/// One product at a time uses the workers; a product that finds the gate taken runs on its own thread, with the same
/// result.
/// <para>
/// A worker that runs out of work spins while the product is still running and for <see cref="SpinTicks"/> (≈ 1 ms)
/// after it ended, watching for the next product before it goes to sleep, as OpenBLAS's threads do: a training step
/// issues its products tens of microseconds apart, and waking a sleeping thread costs an inter-processor interrupt to an
/// idle virtual CPU.
/// </para>
/// </summary>
internal static class GemmThreads
{
    private const int Closed = int.MaxValue;

    /// <summary>How long an idle worker watches for new work before sleeping: about 1 ms.</summary>
    internal static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 1000;

    private static readonly object Gate = new();
    private static readonly List<Worker> Workers = [];

    // (generation << 32) | next chunk to claim; the low half is Closed while the state is being rewritten.
    private static long s_state = Closed;
    private static IGemmWork? s_work;
    private static bool s_spin;
    private static int s_helpers; // workers 0 … s_helpers − 1 take part in the current job (a spinning worker past them stays out)
    private static int s_chunks;
    private static int s_remaining;
    private static Exception? s_error;
    private static bool s_running; // a product is being computed (its workers keep spinning for the next one)
    private static long s_ended;   // Stopwatch timestamp of the end of the last product

    private static bool s_measuring;

    /// <summary>
    /// While true, workers spin after every product as they do when the products run on the managed kernel: set by
    /// <see cref="BackendCalibration"/> while it times the managed kernel, which it must measure as a run on it would use
    /// it (before the calibration has chosen, workers would sleep between products and each product pay their wake-up).
    /// </summary>
    internal static bool Measuring
    {
        get => Volatile.Read(ref s_measuring);
        set => Volatile.Write(ref s_measuring, value);
    }

    /// <summary>Takes the gate if it is free; the caller must <see cref="Release"/> it.</summary>
    public static bool TryAcquire() => Monitor.TryEnter(Gate);

    public static void Release() => Monitor.Exit(Gate);

    /// <summary>
    /// Executes chunks 0..<paramref name="chunks"/> of <paramref name="work"/> on the caller and up to <paramref name="participants"/> − 1
    /// workers (gate held). The workers spin for the next job afterwards only when the products run on the managed kernel:
    /// with OpenBLAS, the next job is an OpenBLAS product whose own threads want the cores (spinning there cost OpenBLAS
    /// float32 training 45 %: 48k against 88k samples/s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IGemmWork work, int chunks, int participants, bool thin = false)
    {
        // A thin product (GemmThin, GemmDots) runs on these workers whatever the backend, and the next product is mostly
        // thin too (the layers of one sample, a Jacobian chain): spin after it even under OpenBLAS, whose own threads
        // compute only the large products.
        Volatile.Write(ref s_spin, thin || KernelSettings.ManagedProductsExpected || Volatile.Read(ref s_measuring));
        int helpers = participants - 1;
        while (Workers.Count < helpers) Workers.Add(new Worker(Workers.Count));
        // The state is Closed since the last product ended: rewrite the job under it, then open it with the new
        // generation in one write. A worker that sees the generation change therefore finds the job open (or already
        // over); were the generation bumped while Closed, a spinning worker could take that for the end of the product
        // and sit this one out.
        long generation = (Volatile.Read(ref s_state) >> 32) + 1;
        s_work = work;
        s_helpers = helpers;
        s_chunks = chunks;
        s_remaining = chunks;
        s_error = null;
        Volatile.Write(ref s_running, true);
        Volatile.Write(ref s_state, generation << 32);
        for (int i = 0; i < helpers; i++) Workers[i].Wake();
        Participate();
        // The operands stay pinned only until this method returns: every claimed chunk must be finished. The chunk still
        // running is on a thread that is running, so spin (yielding, never sleeping) rather than block.
        var wait = new SpinWait();
        while (Volatile.Read(ref s_remaining) > 0) wait.SpinOnce(sleep1Threshold: -1);
        Volatile.Write(ref s_state, (generation << 32) | Closed);
        s_work = null;
        Volatile.Write(ref s_ended, System.Diagnostics.Stopwatch.GetTimestamp());
        Volatile.Write(ref s_running, false);
        if (s_error is { } error) throw new AggregateException("Parallel matrix product failed.", error);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Participate()
    {
        while (true)
        {
            long state = Volatile.Read(ref s_state);
            int next = (int)state;
            var work = Volatile.Read(ref s_work);
            int chunks = Volatile.Read(ref s_chunks);
            if (next == Closed || work is null || next >= chunks) return;
            // A successful exchange proves the state (and so work and chunks, written while it was Closed) unchanged.
            if (Interlocked.CompareExchange(ref s_state, state + 1, state) != state) continue;
            try
            {
                work.ExecuteChunk(next);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref s_error, e, null);
            }
            finally
            {
                Interlocked.Decrement(ref s_remaining);
            }
        }
    }

    /// <summary>The generation of the current (or last) product.</summary>
    private static long Generation => Volatile.Read(ref s_state) >> 32;

    private sealed class Worker
    {
        private readonly SemaphoreSlim _go = new(0);
        private int _sleeping; // 1 while the worker is (about to be) blocked on _go: Wake must release it
        private readonly int _index;

        public Worker(int index)
        {
            _index = index;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"MathDnn GEMM worker {index + 1}" };
            thread.Start();
        }

        /// <summary>Signals the worker when it sleeps; a spinning worker sees the new generation by itself.</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _go.Release();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                // Spin for a while watching for a new product (unless the last job said the cores are wanted elsewhere).
                // The window counts from the end of the product, not from this worker's last chunk: the caller may still
                // be finishing a chunk for longer than the window, and the next product follows the end of this one.
                long spinTicks = Volatile.Read(ref s_spin) ? SpinTicks : 0;
                while (Generation == seen
                    && ((Volatile.Read(ref s_running) && _index < Volatile.Read(ref s_helpers) && spinTicks > 0)
                        || System.Diagnostics.Stopwatch.GetTimestamp() - Volatile.Read(ref s_ended) < spinTicks))
                    Thread.SpinWait(20);
                if (Generation == seen)
                {
                    // Sleep: announce it (a full fence, so the look below cannot pass it), then look once more, so a
                    // product published in between is not missed.
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Generation == seen)
                        _go.Wait();
                    else if (Interlocked.Exchange(ref _sleeping, 0) == 0)
                        _go.Wait(); // the caller saw the flag and released: consume that release (returns at once)
                }
                seen = Generation;
                if (_index < Volatile.Read(ref s_helpers)) Participate();
            }
        }
    }
}

/// <summary>
/// A product whose columns of C are split between the workers in equal ranges (the thin kernels, <see cref="GemmThin"/>
/// and <see cref="GemmDots"/>): chunk i computes columns [i·width, (i + 1)·width) with the kernel given, each entry as
/// on one thread, so the result is the same for every thread count.
/// </summary>
internal sealed unsafe class ColumnRangeJob<T> : IGemmWork where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    private static readonly ColumnRangeJob<T> Instance = new();
    private GemmArgs<T> args;
    private nint* offsets;
    private int width;
    private delegate*<in GemmArgs<T>, nint*, int, int, void> kernel;

    /// <summary>
    /// Runs <paramref name="columns"/> of C in <paramref name="chunks"/> ranges of a multiple of <paramref name="unit"/>
    /// columns on up to <paramref name="threads"/> threads; false (nothing done) when the workers are busy or fewer than
    /// two ranges result.
    /// </summary>
    public static bool TryRun(in GemmArgs<T> g, nint* rowOffsets, int columns, int unit, int chunks, int threads,
        delegate*<in GemmArgs<T>, nint*, int, int, void> range)
    {
        int units = (columns + unit - 1) / unit;
        int per = (units + chunks - 1) / Math.Max(1, chunks);
        chunks = per == 0 ? 0 : (units + per - 1) / per;
        if (chunks < 2 || !GemmThreads.TryAcquire()) return false;
        try
        {
            var job = Instance;
            job.args = g;
            job.offsets = rowOffsets;
            job.width = per * unit;
            job.kernel = range;
            GemmThreads.Run(job, chunks, Math.Min(threads, chunks), thin: true);
            return true;
        }
        finally { GemmThreads.Release(); }
    }

    public void ExecuteChunk(int chunk)
    {
        int j0 = chunk * width;
        kernel(args, offsets, j0, Math.Min(args.N, j0 + width));
    }
}
