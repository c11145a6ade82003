namespace MathDnn.Distributed;

/// <summary>
/// How a mini-batch of B rows is cut into K shards: shard s takes the rows o_s … o_s + b_s − 1 with
/// b_s = ⌊B/K⌋ + [s &lt; B mod K] and o_s = s·⌊B/K⌋ + min(s, B mod K), so the shards are contiguous, in order, and differ in size
/// by at most one row; when B &lt; K, shards B … K − 1 are empty. Rank r of N takes shard r of N.
/// </summary>
public static class Shards
{
    /// <summary>(o_s, b_s): the first row and the row count of shard <paramref name="shard"/> of <paramref name="shards"/> of a batch of <paramref name="rows"/> rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">rows &lt; 0, shards &lt; 1, or shard outside 0 … shards − 1.</exception>
    public static (int Start, int Count) Of(int rows, int shards, int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        if (shard < 0 || shard >= shards) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"Shards: shard must lie in 0 … {shards - 1}.");
        int q = rows / shards, extra = rows % shards;
        return (shard * q + Math.Min(shard, extra), q + (shard < extra ? 1 : 0));
    }
}
