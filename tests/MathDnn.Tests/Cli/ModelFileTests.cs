using MathDnn.Activations;
using MathDnn.Cli.Models;
using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Tests.Cli;

public sealed class ModelFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mathdnn-model-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Network Mixed() => Network.Create(3,
        [new Dense(3, 5), new LeakyRelu(0.2), new Maxout(5, 4, 3), new Elu(0.5), new Dense(4, 2), new Softmax()], seed: 17);

    [Fact]
    public void Save_then_load_gives_bit_identical_parameters_and_predictions()
    {
        var net = Mixed();
        var path = Path.Combine(dir, "m.json");
        ModelFile.Save(path, new SavedModel(net, "categorical-cross-entropy", 0.0625));
        var loaded = ModelFile.Load(path);
        Assert.Equal(net.Parameters, loaded.Network.Parameters);
        Assert.Equal(net.Layers.ToArray(), loaded.Network.Layers.ToArray()); // ImmutableArray equality is by reference
        Assert.Equal(0.0625, loaded.InputScale);
        var x = TestData.Random(7, 3, seed: 4);
        Assert.Equal(net.Forward(x).ToRowMajorArray(), loaded.Network.Forward(x).ToRowMajorArray());
    }

    [Theory]
    [InlineData("{\"format\": \"other\", \"version\": 1}", "format: expected \"mathdnn-model\"")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 2}", "version 2 is not supported")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"dense\", \"W\": [[1, 2], [3]], \"b\": [0, 0]}], \"loss\": \"x\"}",
        "layers[0].W[1]: expected 2 values")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"dense\", \"W\": [[1, 2]], \"b\": [0, 0]}], \"loss\": \"x\"}",
        "layers[0].b: expected 1 values, found 2")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"dense\", \"W\": [[1, \"a\"]], \"b\": [0]}], \"loss\": \"x\"}",
        "layers[0].W[0][1]: expected a number")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"activation\", \"name\": \"swish\"}], \"loss\": \"x\"}",
        "layers[0].name: unknown activation \"swish\"")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"dense\", \"W\": [[1, 1e999]], \"b\": [0]}], \"loss\": \"x\"}",
        "layers[0].W[0][1]: 1e999 is not a finite double")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"dense\", \"W\": [[1, 2]]",
        "not valid JSON")]
    public void Loading_names_the_first_problem(string json, string expected)
    {
        var path = Path.Combine(dir, "bad.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith(path, ex.Message);
    }

    [Fact]
    public void A_failed_save_leaves_the_existing_file_untouched()
    {
        var path = Path.Combine(dir, "keep.json");
        File.WriteAllText(path, "precious");
        var unsupported = Network.Create(2, [new Dense(2, 2), new Custom()]);
        Assert.Throws<ModelFileException>(() => ModelFile.Save(path, new SavedModel(unsupported, "x")));
        Assert.Equal("precious", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir)); // no temporary file left behind
    }

    /// <summary>An activation the format does not know, to make a save fail part-way.</summary>
    private sealed record Custom : ElementwiseActivation
    {
        public override string Name => "custom";
        public override T Value<T>(T z) => z;
        public override T Derivative<T>(T z, T y) => T.One;
    }
}
