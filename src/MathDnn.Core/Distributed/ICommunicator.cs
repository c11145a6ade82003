namespace MathDnn.Distributed;

/// <summary>
/// The processes ("ranks") 0 … <see cref="Size"/> − 1 of one data-parallel run and the few collective operations the trainer
/// needs. Every rank calls the same collectives in the same order with buffers of the same lengths; a collective returns on
/// a rank once that rank's part is done. The summation order is never left to the implementation: the trainer all-gathers
/// the ranks' blocks and adds them itself in rank order (<see cref="Communicator.SumInRankOrder{T}"/>), so a run is
/// bit-identical whatever algorithm the transport uses. <see cref="Communicator.Single"/> is the single-process
/// communicator (the default); MathDnn.Mpi binds Open MPI.
/// </summary>
public interface ICommunicator
{
    /// <summary>r, this process's rank, 0 ≤ r &lt; <see cref="Size"/>.</summary>
    int Rank { get; }

    /// <summary>N ≥ 1, the number of ranks.</summary>
    int Size { get; }

    /// <summary>
    /// All-gather: every rank contributes <paramref name="send"/> (the same length L on every rank) and receives, in
    /// <paramref name="receive"/> (length N·L), rank q's block at bytes q·L … q·L + L − 1, for every q.
    /// </summary>
    void AllGather(ReadOnlySpan<byte> send, Span<byte> receive);

    /// <summary>Broadcast: <paramref name="buffer"/> (the same length on every rank) receives rank <paramref name="root"/>'s bytes.</summary>
    void Broadcast(Span<byte> buffer, int root);

    /// <summary>Returns once every rank has entered it.</summary>
    void Barrier();
}
