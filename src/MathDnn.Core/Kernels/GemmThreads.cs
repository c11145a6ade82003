namespace MathDnn.Kernels;

/// <summary>Work that several threads execute together, each call taking pieces until none is left.</summary>
internal interface IGemmWork
{
    void Execute();
}

/// <summary>
/// A small fork-join pool of dedicated background threads for the parallel GEMM: the caller takes the gate,
/// wakes P − 1 workers, works itself, and waits until every woken worker has finished. Dedicated threads
/// (rather than the .NET thread pool) keep the wake-up latency predictable when the pool is busy with other work,
/// and nothing is allocated per product. One product at a time uses the workers; a product that finds the gate
/// taken runs on its own thread, which gives the same result.
/// </summary>
internal static class GemmThreads
{
    private static readonly object Gate = new();
    private static readonly List<Worker> Workers = [];
    private static readonly ManualResetEventSlim Done = new(false);
    private static IGemmWork? s_work;
    private static int s_pending;
    private static Exception? s_error;

    /// <summary>Takes the gate if it is free; the caller must <see cref="Release"/> it.</summary>
    public static bool TryAcquire() => Monitor.TryEnter(Gate);

    public static void Release() => Monitor.Exit(Gate);

    /// <summary>Runs <paramref name="work"/> on the calling thread and <paramref name="participants"/> − 1 workers (gate held).</summary>
    public static void Run(IGemmWork work, int participants)
    {
        int helpers = participants - 1;
        while (Workers.Count < helpers) Workers.Add(new Worker(Workers.Count));
        s_work = work;
        s_error = null;
        Volatile.Write(ref s_pending, helpers);
        Done.Reset();
        for (int i = 0; i < helpers; i++) Workers[i].Wake();
        try
        {
            work.Execute();
        }
        finally
        {
            // The operands are pinned only until this method returns: wait for every helper even if we threw.
            if (helpers > 0) Done.Wait();
            s_work = null;
        }
        if (s_error is { } error) throw new AggregateException("Parallel matrix product failed.", error);
    }

    private static void WorkerDone()
    {
        if (Interlocked.Decrement(ref s_pending) == 0) Done.Set();
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
                try
                {
                    s_work!.Execute();
                }
                catch (Exception e)
                {
                    s_error = e;
                }
                WorkerDone();
            }
        }
    }
}
