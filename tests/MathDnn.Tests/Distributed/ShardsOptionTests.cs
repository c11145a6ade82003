using MathDnn.IO;
using MathDnn.Tests.Cli;

namespace MathDnn.Tests.Distributed;

/// <summary><c>mathdnn train --shards K</c> in one process: the exact mode of an K-rank run, recorded in the model file and kept by a resume.</summary>
public class ShardsOptionTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public void A_shard_count_below_1_is_bad_input(string k) =>
        CliHarness.Run("train", "--shards", k, "--epochs", "1").AssertBadInput($"--shards {k}: must be ≥ 1.");

    [Fact]
    public void A_sharded_run_is_recorded_and_resumed_in_one_process_bit_for_bit()
    {
        using var files = new CliHarness();
        string[] args = ["--layers", "32", "--batch", "10", "--dropout", "0.1"];
        CliHarness.Run(["train", .. args, "--shards", "3", "--epochs", "2", "--out", files.P("r.json")]).AssertOk();
        Assert.Equal(3, ModelFile.Load(files.P("r.json")).Training!["shards"].GetInt32());
        CliHarness.Run("train", "--resume", files.P("r.json"), "--epochs", "1").AssertOk();
        CliHarness.Run(["train", .. args, "--shards", "3", "--epochs", "3", "--out", files.P("whole.json")]).AssertOk();
        var (resumed, whole) = (ModelFile.Load(files.P("r.json")), ModelFile.Load(files.P("whole.json")));
        Assert.True(whole.Network.Parameters.Equals(resumed.Network.Parameters), "θ after 2 + 1 epochs differs from 3 epochs");
        Assert.Equal(whole.OptimizerState, resumed.OptimizerState);
        // Not the unsharded run: the shards' sum rounds differently (and the record says which it was).
        CliHarness.Run(["train", .. args, "--epochs", "3", "--out", files.P("plain.json")]).AssertOk();
        var plain = ModelFile.Load(files.P("plain.json"));
        Assert.False(plain.Training!.ContainsKey("shards"));
        Assert.False(plain.Network.Parameters.Equals(whole.Network.Parameters));
    }
}
