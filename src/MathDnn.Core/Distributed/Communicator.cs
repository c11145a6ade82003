using System.Runtime.InteropServices;

namespace MathDnn.Distributed;

/// <summary>The single-process communicator and typed, deterministic collectives over any <see cref="ICommunicator"/>.</summary>
public static class Communicator
{
    /// <summary>One rank (r = 0, N = 1): an all-gather or a broadcast copies, a barrier returns. The trainer's default.</summary>
    public static ICommunicator Single { get; } = new SingleProcess();

    /// <summary>The all-gather of <see cref="ICommunicator.AllGather"/> on elements of <typeparamref name="T"/>: rank q's <paramref name="send"/> lands at q·L … q·L + L − 1 of <paramref name="receive"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="receive"/> is not N times as long as <paramref name="send"/>.</exception>
    public static void AllGather<T>(this ICommunicator communicator, ReadOnlySpan<T> send, Span<T> receive) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (receive.Length != (long)send.Length * communicator.Size)
            throw new ArgumentException($"All-gather: the receive buffer holds {receive.Length} values, not N·L = {communicator.Size}·{send.Length}.", nameof(receive));
        communicator.AllGather(MemoryMarshal.AsBytes(send), MemoryMarshal.AsBytes(receive));
    }

    /// <summary>The broadcast of <see cref="ICommunicator.Broadcast"/> on elements of <typeparamref name="T"/>.</summary>
    public static void Broadcast<T>(this ICommunicator communicator, Span<T> buffer, int root) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(communicator);
        communicator.Broadcast(MemoryMarshal.AsBytes(buffer), root);
    }

    /// <summary>
    /// Rank <paramref name="root"/>'s <paramref name="text"/> (ignored on the other ranks; null as "") on every rank: its UTF-8
    /// length, then its bytes, broadcast. How a failing rank's message reaches all ranks.
    /// </summary>
    public static string BroadcastText(this ICommunicator communicator, int root, string? text)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        var bytes = communicator.Rank == root ? System.Text.Encoding.UTF8.GetBytes(text ?? "") : [];
        var length = new[] { bytes.Length };
        communicator.Broadcast<int>(length, root);
        if (communicator.Rank != root) bytes = new byte[length[0]];
        communicator.Broadcast(bytes, root);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// s = (…((x₀ + x₁) + x₂) …) + x_{N−1}, x_q being rank q's <paramref name="local"/>: all-gathers the blocks into
    /// <paramref name="gathered"/> (length N·L) and adds them in rank order into <paramref name="sum"/> (length L), so every
    /// rank gets the same bits on every run, whatever the transport's reduction algorithm would have done.
    /// </summary>
    /// <exception cref="ArgumentException">The buffers' lengths are not L and N·L.</exception>
    public static void SumInRankOrder<T>(this ICommunicator communicator, ReadOnlySpan<T> local, Span<T> gathered, Span<T> sum)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (sum.Length != local.Length) throw new ArgumentException($"Sum in rank order: the sum holds {sum.Length} values, not {local.Length}.", nameof(sum));
        communicator.AllGather(local, gathered);
        int n = local.Length;
        gathered[..n].CopyTo(sum);
        for (int q = 1; q < communicator.Size; q++)
            System.Numerics.Tensors.TensorPrimitives.Add<T>(sum, gathered.Slice(q * n, n), sum);
    }

    private sealed class SingleProcess : ICommunicator
    {
        public int Rank => 0;
        public int Size => 1;

        public void AllGather(ReadOnlySpan<byte> send, Span<byte> receive)
        {
            if (receive.Length != send.Length) throw new ArgumentException($"All-gather: the receive buffer holds {receive.Length} bytes, not {send.Length}.", nameof(receive));
            send.CopyTo(receive);
        }

        public void Broadcast(Span<byte> buffer, int root)
        {
            if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "Broadcast: a single process has only rank 0.");
        }

        public void Barrier() { }

        public override string ToString() => "single process";
    }
}
