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
/// </summary>
internal static class GemmThreads
{
    private const int Closed = int.MaxValue;

    private static readonly object Gate = new();
    private static readonly List<Worker> Workers = [];
    private static readonly ManualResetEventSlim Done = new(false);

    // (generation << 32) | next chunk to claim; the low half is Closed while the state is being rewritten.
    private static long s_state = Closed;
    private static IGemmWork? s_work;
    private static int s_chunks;
    private static int s_remaining;
    private static Exception? s_error;

    /// <summary>Takes the gate if it is free; the caller must <see cref="Release"/> it.</summary>
    public static bool TryAcquire() => Monitor.TryEnter(Gate);

    public static void Release() => Monitor.Exit(Gate);

    /// <summary>Executes chunks 0..<paramref name="chunks"/> of <paramref name="work"/> on the caller and up to <paramref name="participants"/> − 1 workers (gate held).</summary>
    public static void Run(IGemmWork work, int chunks, int participants)
    {
        int helpers = participants - 1;
        while (Workers.Count < helpers) Workers.Add(new Worker(Workers.Count));
        long generation = (Volatile.Read(ref s_state) >> 32) + 1;
        Volatile.Write(ref s_state, (generation << 32) | Closed);
        s_work = work;
        s_chunks = chunks;
        s_remaining = chunks;
        s_error = null;
        Done.Reset();
        Volatile.Write(ref s_state, generation << 32);
        for (int i = 0; i < helpers; i++) Workers[i].Wake();
        Participate();
        // The operands stay pinned only until this method returns: every claimed chunk must be finished.
        Done.Wait();
        Volatile.Write(ref s_state, (generation << 32) | Closed);
        s_work = null;
        if (s_error is { } error) throw new AggregateException("Parallel matrix product failed.", error);
    }

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
                if (Interlocked.Decrement(ref s_remaining) == 0) Done.Set();
            }
        }
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _go = new(0);

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"MathDnn GEMM worker {index + 1}" };
            thread.Start();
        }

        public void Wake() => _go.Release();

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                Participate();
            }
        }
    }
}
