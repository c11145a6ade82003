using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Distributed;

/// <summary>How the ranks of a data-parallel run agree before training, and pass a failing rank's message to all.</summary>
internal static class RankAgreement
{
    /// <summary>
    /// The checks before the first step. One process: <paramref name="check"/> runs and throws as it does. N ≥ 2 ranks: every
    /// rank runs it, then the ranks exchange (failed?, fingerprints): when a rank's check threw, every rank throws
    /// <see cref="RankFailedException"/> naming the lowest such rank with its message; when a rank's fingerprints differ from
    /// rank 0's, every rank throws the same <see cref="ArgumentException"/> naming the rank and what differs. So no rank is left
    /// waiting in a collective that another rank never reaches.
    /// </summary>
    internal static void Check(ICommunicator comm, Func<ulong[]> check)
    {
        ArgumentNullException.ThrowIfNull(comm);
        int n = comm.Size;
        if (n < 1 || comm.Rank < 0 || comm.Rank >= n) throw new ArgumentException($"Training: the communicator reports rank {comm.Rank} of {n}.");
        if (n == 1) { check(); return; }
        int width = 1 + Fingerprint.Parts.Length;
        var mine = new ulong[width];
        Exception? failure = null;
        try { check().CopyTo(mine, 1); }
        catch (Exception e) { failure = e; mine[0] = 1; }
        var all = new ulong[width * n];
        comm.AllGather<ulong>(mine, all);
        for (int q = 0; q < n; q++)
        {
            if (all[q * width] == 0) continue;
            string text = comm.BroadcastText(q, failure is null ? null : $"{failure.GetType().Name}\n{failure.Message}");
            int cut = text.IndexOf('\n');
            throw new RankFailedException(q, text[(cut + 1)..], text[..Math.Max(0, cut)], q == comm.Rank ? failure : null);
        }
        for (int q = 1; q < n; q++)
            for (int p = 1; p < width; p++)
                if (all[q * width + p] != all[p])
                    throw new ArgumentException($"Training: rank {q}'s {Fingerprint.Parts[p - 1]} differs from rank 0's; every rank of a data-parallel run must start from the same model, state, data and options.");
    }

    /// <summary>The fingerprints every rank compares (none in one process); checks first that the shard count fits N ranks.</summary>
    internal static ulong[] Fingerprints(ICommunicator comm, Network model, OptimizerState state, Dataset train, Dataset? validation, TrainingOptions options, int startEpoch)
    {
        int n = comm.Size;
        if (n == 1) return [];
        if (options.Shards != 0 && options.Shards != n)
            throw new ArgumentException($"Training: {options.Shards} shards were asked for on {n} ranks; on N ranks the mini-batch is cut into N shards (leave Shards at 0 or set it to {n}).");
        return Fingerprint.Of(model, state, train, validation, options, startEpoch);
    }
}
