using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MathDnn.Activations;
using MathDnn.IO;
using MathDnn.Layers;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.IO;

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

    /// <summary>
    /// Every built-in of the registry in one network: the dense and maxout layers, every activation, dropout with a rate and
    /// layer normalisation with ε and a gain and bias that are not the initial 1 and 0 (as after training).
    /// </summary>
    private static Network EveryBuiltIn()
    {
        var net = Network.Create(4,
        [
            new Dense(4, 6), new LayerNorm(6, epsilon: 1e-3), new Gelu(), new Dropout(0.25),
            new Dense(6, 6), new GeluTanh(), new Silu(), new Softplus(), new Relu(), new LeakyRelu(0.3), new Elu(0.7),
            new Maxout(6, 5, 3), new Sigmoid(), new Tanh(), new Identity(), new Dense(5, 3), new Softmax(),
        ], seed: 23);
        var rng = new Rng(8);
        var gain = Vector<double>.Build.Dense(6, _ => 1 + 0.3 * rng.NextNormal());
        var bias = Vector<double>.Build.Dense(6, _ => 0.1 * rng.NextNormal());
        var theta = net.Parameters.With(1, "gain", gain).With(1, "bias", bias);
        // Biases of the dense and maxout layers away from their initial 0 too.
        foreach (int k in new[] { 0, 4, 11, 15 })
            theta = theta.With(k, "b", Vector<double>.Build.Dense(theta.Layout.Block(k, "b").Length, _ => 0.05 * rng.NextNormal()));
        return net.WithParameters(theta);
    }

    [Fact]
    public void Every_built_in_round_trips_bit_identical_parameters_layers_and_predictions()
    {
        var net = EveryBuiltIn();
        Assert.Equal(new LayerRegistry().Names.OrderBy(n => n), net.Layers.Select(l => l.Name).Distinct().OrderBy(n => n)); // every built-in, no other
        Assert.NotEqual(1.0, net.Parameters.Block(net.Parameters.Layout.Block(1, "gain"))[0, 0]);

        var path = Path.Combine(dir, "all.json");
        ModelFile.Save(path, new SavedModel(net, "categorical-cross-entropy"));
        var loaded = ModelFile.Load(path).Network;
        Assert.Equal(net.Parameters, loaded.Parameters);
        Assert.Equal(net.Layers.ToArray(), loaded.Layers.ToArray()); // record equality: rate, ε, slope, α, pieces, sizes
        var x = TestData.Random(5, 4, seed: 2);
        Assert.Equal(net.Forward(x).ToRowMajorArray(), loaded.Forward(x).ToRowMajorArray());
    }

    [Fact]
    public void New_layers_are_written_in_the_documented_entries()
    {
        var net = EveryBuiltIn();
        var layers = JsonNode.Parse(ModelFile.ToJson(new SavedModel(net, "x")))!["layers"]!.AsArray();

        var norm = layers[1]!.AsObject();
        Assert.Equal(new[] { "type", "epsilon", "gain", "bias" }, norm.Select(p => p.Key));
        Assert.Equal("layer-norm", (string)norm["type"]!);
        Assert.Equal(1e-3, (double)norm["epsilon"]!);
        var gain = net.Parameters.Block(net.Parameters.Layout.Block(1, "gain")).Row(0);
        Assert.Equal(gain.ToArray(), norm["gain"]!.AsArray().Select(v => (double)v!)); // a flat array (a vector block)
        Assert.Equal(6, norm["bias"]!.AsArray().Count);

        var dropout = layers[3]!.AsObject();
        Assert.Equal(new[] { "type", "rate" }, dropout.Select(p => p.Key));
        Assert.Equal(("dropout", 0.25), ((string)dropout["type"]!, (double)dropout["rate"]!));

        foreach (var (k, name) in new[] { (2, "gelu"), (5, "gelu-tanh"), (6, "silu"), (7, "softplus") })
        {
            var a = layers[k]!.AsObject();
            Assert.Equal(new[] { "type", "name" }, a.Select(p => p.Key));
            Assert.Equal(("activation", name), ((string)a["type"]!, (string)a["name"]!));
        }
        var maxout = layers[11]!.AsObject();
        Assert.Equal(new[] { "type", "pieces", "W", "b" }, maxout.Select(p => p.Key));
        Assert.Equal("3", maxout["pieces"]!.ToJsonString()); // an integer, as version 1 wrote it
        Assert.Equal(15, maxout["W"]!.AsArray().Count);      // k·m rows of n
        Assert.Equal(6, maxout["W"]![0]!.AsArray().Count);
    }

    [Fact]
    public void String_stream_and_file_forms_write_the_same_document_and_read_it_back()
    {
        var model = new SavedModel(Mixed(), "categorical-cross-entropy", 0.5);
        var text = ModelFile.ToJson(model);

        using var stream = new MemoryStream();
        ModelFile.Write(stream, model);
        Assert.Equal(text, Encoding.UTF8.GetString(stream.ToArray()));
        var path = Path.Combine(dir, "m.json");
        ModelFile.Save(path, model);
        Assert.Equal(text, File.ReadAllText(path));

        stream.Position = 0;
        var fromStream = ModelFile.Read(stream, "memory");
        var fromString = ModelFile.FromJson(text);
        foreach (var m in new[] { fromStream, fromString, ModelFile.Load(path) })
        {
            Assert.Equal(model.Network.Parameters, m.Network.Parameters);
            Assert.Equal(model.Network.Layers.ToArray(), m.Network.Layers.ToArray());
            Assert.Equal(0.5, m.InputScale);
        }
    }

    [Fact]
    public void String_and_stream_forms_name_their_source_in_errors()
    {
        Assert.Equal("model: format: missing.", Assert.Throws<ModelFileException>(() => ModelFile.FromJson("{}")).Message);
        Assert.StartsWith("net.json: format: missing", Assert.Throws<ModelFileException>(() => ModelFile.FromJson("{}", "net.json")).Message);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"format\": \"mathdnn-model\", \"version\": 1,"));
        Assert.StartsWith("upload: line 1: not valid JSON", Assert.Throws<ModelFileException>(() => ModelFile.Read(stream, "upload")).Message);
    }

    /// <summary>The document of <paramref name="model"/> without its "input" object.</summary>
    private static string WithoutInput(SavedModel model)
    {
        var doc = JsonNode.Parse(ModelFile.ToJson(model))!.AsObject();
        Assert.True(doc.Remove("input"));
        return doc.ToJsonString();
    }

    [Fact]
    public void Without_input_the_width_is_that_of_the_first_dense_layer_s_rows()
    {
        var net = Mixed(); // dense(3→5) first
        var loaded = ModelFile.FromJson(WithoutInput(new SavedModel(net, "x", 0.25)));
        Assert.Equal(3, loaded.Network.InputSize);
        Assert.Equal(net.Parameters, loaded.Network.Parameters);
        Assert.Equal(net.Layers.ToArray(), loaded.Network.Layers.ToArray());
        Assert.Null(loaded.InputScale); // the scale lives in "input"
    }

    [Fact]
    public void Without_input_the_width_is_the_input_size_of_the_first_layer_that_has_one()
    {
        // Width-agnostic layers first: relu and dropout take any width; layer-norm(4) fixes it; so does a maxout after them.
        var normFirst = Network.Create(4, [new Relu(), new Dropout(0.1), new LayerNorm(4), new Dense(4, 2)], seed: 3);
        var loaded = ModelFile.FromJson(WithoutInput(new SavedModel(normFirst, "x")));
        Assert.Equal(4, loaded.Network.InputSize);
        Assert.Equal(normFirst.Layers.ToArray(), loaded.Network.Layers.ToArray());
        Assert.Equal(normFirst.Parameters, loaded.Network.Parameters);

        var maxoutLater = Network.Create(7, [new Tanh(), new Maxout(7, 3, 2), new Softmax()], seed: 4);
        var again = ModelFile.FromJson(WithoutInput(new SavedModel(maxoutLater, "x")));
        Assert.Equal(7, again.Network.InputSize);
        Assert.Equal(maxoutLater.Parameters, again.Network.Parameters);
    }

    [Fact]
    public void Without_input_and_without_a_layer_that_fixes_the_width_loading_names_input_size()
    {
        var json = "{\"format\": \"mathdnn-model\", \"version\": 1, \"layers\": [{\"type\": \"activation\", \"name\": \"relu\"}, {\"type\": \"dropout\", \"rate\": 0.5}], \"loss\": \"x\"}";
        Assert.Equal("m.json: input.size: missing, and no layer fixes the input width.",
            Assert.Throws<ModelFileException>(() => ModelFile.FromJson(json, "m.json")).Message);
    }

    [Fact]
    public void Input_is_always_written()
    {
        var doc = JsonNode.Parse(ModelFile.ToJson(new SavedModel(Network.Create(2, [new Relu(), new Dense(2, 1)]), "x")))!;
        Assert.Equal(2, (int)doc["input"]!["size"]!);
    }

    [Theory]
    [InlineData("{\"type\": \"dropout\"}", "m.json: layers[1].rate: missing.")]
    [InlineData("{\"type\": \"dropout\", \"rate\": 1.5}", "m.json: layers[1]: Dropout: the rate must be in [0, 1), got 1.5.")]
    [InlineData("{\"type\": \"dropout\", \"rate\": \"0.2\"}", "m.json: layers[1].rate: expected a number, found a string.")]
    [InlineData("{\"type\": \"layer-norm\", \"gain\": [1, 1], \"bias\": [0, 0, 0]}", "m.json: layers[1].gain: expected 3 values, found 2.")]
    [InlineData("{\"type\": \"layer-norm\", \"epsilon\": 0, \"gain\": [1, 1, 1], \"bias\": [0, 0, 0]}", "m.json: layers[1]: Layer normalisation: ε must be positive and finite, got 0.")]
    [InlineData("{\"type\": \"layer-norm\", \"gain\": [[1, 1, 1]], \"bias\": [0, 0, 0]}", "m.json: layers[1].gain: expected a flat array of 3 values, found an array of rows.")]
    [InlineData("{\"type\": \"maxout\", \"pieces\": 2.5, \"W\": [[1, 1, 1]], \"b\": [0]}", "m.json: layers[1].pieces: expected an integer, found 2.5.")]
    [InlineData("{\"type\": \"maxout\", \"pieces\": 2, \"W\": [[1, 1, 1], [1, 1, 1], [1, 1, 1]], \"b\": [0, 0, 0]}", "m.json: layers[1].W: has 3 rows, not a multiple of pieces = 2.")]
    [InlineData("{\"type\": \"dense\", \"W\": [], \"b\": []}", "m.json: layers[1].W: has no rows.")]
    [InlineData("{\"type\": \"dense\", \"W\": [[1, 2]], \"b\": [0]}", "m.json: layers[1].W[0]: expected 3 values (the width of the layer's input), found 2.")]
    [InlineData("{\"type\": \"relu\"}", "m.json: layers[1].type: \"relu\" is an activation; write the entry as {\"type\": \"activation\", \"name\": \"relu\"}.")]
    [InlineData("{\"type\": \"activation\", \"name\": \"dropout\", \"rate\": 0.1}", "m.json: layers[1].name: \"dropout\" is not an activation; write the entry as {\"type\": \"dropout\", …}.")]
    [InlineData("{\"type\": \"activation\", \"name\": \"elu\", \"alpha\": 1e999}", "m.json: layers[1].alpha: 1e999 is not a finite double.")]
    public void A_bad_entry_is_named_by_its_path(string entry, string expected)
    {
        // input 2 → dense(2→3) → the entry under test, on rows of width 3.
        var json = $"{{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {{\"size\": 2}}, \"layers\": [{{\"type\": \"dense\", \"W\": [[1, 2], [3, 4], [5, 6]], \"b\": [0, 0, 0]}}, {entry}], \"loss\": \"x\"}}";
        Assert.Equal(expected, Assert.Throws<ModelFileException>(() => ModelFile.FromJson(json, "m.json")).Message);
    }

    [Fact]
    public void Saving_a_non_finite_parameter_fails_naming_it_and_writes_nothing()
    {
        var net = Network.Create(2, [new Dense(2, 3), new Relu()]);
        var theta = net.Parameters.ToArray();
        theta[4] = double.NaN; // W row 2, column 0
        var bad = net.WithParameters(Parameters.FromArray(net.Parameters.Layout, theta));
        using var stream = new MemoryStream();
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Write(stream, new SavedModel(bad, "x")));
        Assert.Equal("model: layers[0].W[2][0]: NaN is not finite; a model file holds finite numbers only.", e.Message);
        Assert.Equal(0, stream.Length);
    }

    /// <summary>An activation the format does not know, to make a save fail part-way.</summary>
    private sealed record Custom : ElementwiseActivation
    {
        public override string Name => "custom";
        public override T Value<T>(T z) => z;
        public override T Derivative<T>(T z, T y) => T.One;
    }
}
