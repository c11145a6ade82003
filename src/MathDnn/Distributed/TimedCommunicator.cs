using System.Diagnostics;
using MathDnn.Distributed;

namespace MathDnn.Cli.Distributed;

/// <summary>
/// A communicator that passes every collective to <paramref name="inner"/> and adds its wall-clock time to <see cref="Seconds"/>:
/// what <c>mathdnn bench</c> reports as communication (the transfer and the wait for the slowest rank, which a collective includes).
/// </summary>
internal sealed class TimedCommunicator(ICommunicator inner) : ICommunicator
{
    private long ticks;

    /// <summary>Seconds spent in collectives so far.</summary>
    public double Seconds => (double)Interlocked.Read(ref ticks) / Stopwatch.Frequency;

    public int Rank => inner.Rank;
    public int Size => inner.Size;

    public void AllGather(ReadOnlySpan<byte> send, Span<byte> receive)
    {
        long start = Stopwatch.GetTimestamp();
        inner.AllGather(send, receive);
        Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - start);
    }

    public void Broadcast(Span<byte> buffer, int root)
    {
        long start = Stopwatch.GetTimestamp();
        inner.Broadcast(buffer, root);
        Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - start);
    }

    public void Barrier()
    {
        long start = Stopwatch.GetTimestamp();
        inner.Barrier();
        Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - start);
    }
}
