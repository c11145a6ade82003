using MathDnn.Distributed;

namespace MathDnn.Tests.Distributed;

/// <summary>
/// N ranks as N threads of the test process, sharing an all-gather and a broadcast through a barrier: the trainer's
/// protocol exercised without MPI (the multi-process tests run the same code under mpirun). <see cref="Run"/> starts one
/// thread per rank and returns each rank's result or exception; a rank that does not finish within the timeout fails the
/// test instead of hanging it.
/// </summary>
internal sealed class ThreadRanks
{
    private readonly Barrier barrier;
    private readonly byte[]?[] blocks;

    private ThreadRanks(int size)
    {
        barrier = new Barrier(size);
        blocks = new byte[size][];
    }

    /// <summary>Runs <paramref name="body"/> on ranks 0 … N − 1, each on its own thread; the results (or exceptions) by rank.</summary>
    public static (T? Result, Exception? Error)[] Run<T>(int size, Func<ICommunicator, T> body, int timeoutSeconds = 60)
    {
        var shared = new ThreadRanks(size);
        var results = new (T? Result, Exception? Error)[size];
        var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try { results[r] = (body(new ThreadRank(shared, r)), null); }
            catch (Exception e) { results[r] = (default, e); }
        }, 16 << 20)).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads)
            Assert.True(t.Join(TimeSpan.FromSeconds(timeoutSeconds)), $"a rank of {size} did not finish within {timeoutSeconds} s (a rank left waiting in a collective)");
        return results;
    }

    private sealed class ThreadRank(ThreadRanks shared, int rank) : ICommunicator
    {
        public int Rank => rank;
        public int Size => shared.blocks.Length;

        public void AllGather(ReadOnlySpan<byte> send, Span<byte> receive)
        {
            Assert.Equal(send.Length * Size, receive.Length);
            shared.blocks[rank] = send.ToArray();
            Wait();
            for (int q = 0; q < Size; q++)
            {
                Assert.Equal(send.Length, shared.blocks[q]!.Length); // every rank contributes the same length
                shared.blocks[q].CopyTo(receive.Slice(q * send.Length));
            }
            Wait();
        }

        public void Broadcast(Span<byte> buffer, int root)
        {
            if (rank == root) shared.blocks[root] = buffer.ToArray();
            Wait();
            Assert.Equal(buffer.Length, shared.blocks[root]!.Length);
            shared.blocks[root].CopyTo(buffer);
            Wait();
        }

        public void Barrier() => Wait();

        private void Wait()
        {
            if (!shared.barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
                throw new TimeoutException($"rank {rank}: the other ranks did not reach the collective within 30 s");
        }
    }
}
