using MathDnn.Distributed;
using MathDnn.Layers;

namespace MathDnn.Tests.Distributed;

public class ShardsTests
{
    [Theory]
    [InlineData(32, 2)]
    [InlineData(32, 3)]
    [InlineData(10, 4)]
    [InlineData(2, 3)]
    [InlineData(1, 4)]
    [InlineData(0, 2)]
    public void Shards_are_contiguous_in_order_cover_the_batch_and_differ_by_at_most_one_row(int rows, int shards)
    {
        int next = 0;
        var sizes = new List<int>();
        for (int s = 0; s < shards; s++)
        {
            var (start, count) = Shards.Of(rows, shards, s);
            Assert.Equal(next, start);
            next += count;
            sizes.Add(count);
        }
        Assert.Equal(rows, next);
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
        Assert.Equal(Math.Max(0, shards - rows), sizes.Count(c => c == 0)); // empty only when B < K, and then exactly K − B
        Assert.Equal(sizes.OrderByDescending(c => c), sizes);                // the larger shards first, the empty ones last
    }

    [Fact]
    public void A_shard_outside_the_count_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Shards.Of(10, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shards.Of(10, 0, 0));
    }

    [Fact]
    public void A_shard_draws_for_its_rows_what_the_whole_batch_draws()
    {
        // Rows 3 and 4 of a batch of width 5, seen as a shard of 2 rows starting at row 3.
        var whole = new Batch(6, 5, 5, true, 12345);
        var shard = new Batch(2, 5, 5, true, 12345, FirstRow: 3);
        for (int i = 0; i < 10; i++) Assert.Equal(whole.Uniform(15 + i), shard.Uniform(i));
        Assert.NotEqual(whole.Uniform(0), shard.Uniform(0));
    }

    [Fact]
    public void The_single_process_communicator_copies_and_sums_one_block()
    {
        var comm = Communicator.Single;
        Assert.Equal((0, 1), (comm.Rank, comm.Size));
        double[] local = [1.5, -0.0, 3], gathered = new double[3], sum = new double[3];
        comm.SumInRankOrder<double>(local, gathered, sum);
        Assert.Equal(local, gathered);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(sum[1])); // the one block itself, not 0 + block
        Assert.Throws<ArgumentException>(() => comm.AllGather<double>(local, new double[2]));
    }

    [Fact]
    public void The_sum_in_rank_order_is_the_left_to_right_sum_on_every_rank()
    {
        // 1 + 2⁻⁵³ + 2⁻⁵³ rounds to 1 from the left, to 1 + 2⁻⁵² from the right: the order is visible in the bits.
        double tiny = Math.Pow(2, -53);
        var results = ThreadRanks.Run(3, comm =>
        {
            double[] local = [comm.Rank == 0 ? 1.0 : tiny], gathered = new double[3], sum = new double[1];
            comm.SumInRankOrder<double>(local, gathered, sum);
            return sum[0];
        });
        foreach (var (result, error) in results)
        {
            Assert.Null(error);
            Assert.Equal((1.0 + tiny) + tiny, result);
            Assert.Equal(1.0, result);
        }
    }
}
