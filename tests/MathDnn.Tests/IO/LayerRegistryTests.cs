using System.Text.Json.Nodes;
using MathDnn.Activations;
using MathDnn.IO;
using MathDnn.Layers;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.IO;

public sealed class LayerRegistryTests
{
    /// <summary>A user's layer that takes the name of a built-in: saving it must not pass for a dropout.</summary>
    private sealed record FakeDropout : Layer
    {
        public override string Name => "dropout";
        public override IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["rate"] = 0.5 };
        public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch) => x[..(batch.Rows * batch.InputWidth)].CopyTo(y);
        public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> parameterGradient, Batch batch)
        {
            if (!dx.IsEmpty) dy[..(batch.Rows * batch.InputWidth)].CopyTo(dx);
        }
    }

    private static LayerRegistry WithScaledTanh()
    {
        var registry = new LayerRegistry();
        registry.Register("scaled-tanh", e => new ScaledTanh(e.InputWidth, e.Setting("limit")));
        return registry;
    }

    private static Network UserNetwork()
    {
        var net = Network.Create(3, [new Dense(3, 4), new ScaledTanh(4, 2.5), new Swish2(), new Dense(4, 2), new Softmax()], seed: 12);
        var rng = new Rng(6);
        return net.WithParameters(net.Parameters.Map(v => v + 0.01 * rng.NextNormal())); // c (and b) away from 0
    }

    [Fact]
    public void Default_holds_every_built_in()
    {
        string[] builtIns = ["dense", "maxout", "relu", "leaky-relu", "elu", "sigmoid", "tanh", "identity", "softmax",
            "gelu", "gelu-tanh", "silu", "softplus", "dropout", "layer-norm"];
        foreach (var name in builtIns) Assert.True(LayerRegistry.Default.IsRegistered(name), name);
        Assert.Equal(builtIns, new LayerRegistry().Names);
        Assert.False(LayerRegistry.Default.IsRegistered("swish"));
    }

    [Fact]
    public void A_user_layer_with_parameters_and_a_setting_round_trips_bit_for_bit_through_its_registry()
    {
        var registry = WithScaledTanh();
        registry.Register<Swish2>();
        var net = UserNetwork();
        var text = ModelFile.ToJson(new SavedModel(net, "categorical-cross-entropy"), registry);

        var entry = JsonNode.Parse(text)!["layers"]![1]!.AsObject();
        Assert.Equal(new[] { "type", "limit", "M", "c" }, entry.Select(p => p.Key));
        Assert.Equal(("scaled-tanh", 2.5), ((string)entry["type"]!, (double)entry["limit"]!));
        Assert.Equal(4, entry["M"]!.AsArray().Count);           // a matrix block: rows
        Assert.Equal(4, entry["M"]![0]!.AsArray().Count);
        Assert.Equal(4, entry["c"]!.AsArray().Count);           // a vector block: flat
        Assert.Equal("{\"type\":\"activation\",\"name\":\"swish2\"}", JsonNode.Parse(text)!["layers"]![2]!.ToJsonString());

        var loaded = ModelFile.FromJson(text, "user.json", registry).Network;
        Assert.Equal(net.Layers.ToArray(), loaded.Layers.ToArray());
        Assert.Equal(net.Parameters, loaded.Parameters);
        var x = TestData.Random(4, 3, seed: 9);
        Assert.Equal(net.Forward(x).ToRowMajorArray(), loaded.Forward(x).ToRowMajorArray());
    }

    [Fact]
    public void A_registration_is_seen_by_its_registry_only()
    {
        var registry = WithScaledTanh();
        Assert.True(registry.IsRegistered("scaled-tanh"));
        Assert.Equal("scaled-tanh", registry.Names[^1]);
        Assert.False(LayerRegistry.Default.IsRegistered("scaled-tanh"));
        Assert.False(new LayerRegistry().IsRegistered("scaled-tanh"));
    }

    [Fact]
    public void Loading_an_unregistered_type_names_it_and_how_to_register_it()
    {
        var text = ModelFile.ToJson(new SavedModel(UserNetwork(), "x"), Registered());
        var e = Assert.Throws<ModelFileException>(() => ModelFile.FromJson(text, "m.json"));
        // Default may hold names other tests register, so the list of known names is checked by its start.
        Assert.StartsWith("m.json: layers[1].type: unknown layer type \"scaled-tanh\" (known: activation, dense, maxout, dropout, layer-norm", e.Message);
        Assert.EndsWith("; a layer of your own must be registered before loading: " +
            "LayerRegistry.Default.Register(\"scaled-tanh\", entry => new ScaledTanh()) or Register<ScaledTanh>().", e.Message);

        var isolated = new LayerRegistry();
        Assert.Equal("m.json: layers[1].type: unknown layer type \"scaled-tanh\" (known: activation, dense, maxout, dropout, layer-norm); " +
            "a layer of your own must be registered before loading: registry.Register(\"scaled-tanh\", entry => new ScaledTanh()) or " +
            "registry.Register<ScaledTanh>() on the LayerRegistry passed.",
            Assert.Throws<ModelFileException>(() => ModelFile.FromJson(text, "m.json", isolated)).Message);

        static LayerRegistry Registered() { var r = WithScaledTanh(); r.Register<Swish2>(); return r; }
    }

    [Fact]
    public void Loading_an_unregistered_activation_names_it_and_how_to_register_it()
    {
        var json = """{"format": "mathdnn-model", "version": 1, "input": {"size": 2}, "layers": [{"type": "dense", "W": [[1, 2]], "b": [0]}, {"type": "activation", "name": "swish"}], "loss": "x"}""";
        Assert.Equal("m.json: layers[1].name: unknown activation \"swish\" (known: relu, leaky-relu, elu, sigmoid, tanh, identity, softmax, " +
            "gelu, gelu-tanh, silu, softplus); an activation of your own must be registered before loading: " +
            "registry.Register(\"swish\", entry => new Swish()) or registry.Register<Swish>() on the LayerRegistry passed.",
            Assert.Throws<ModelFileException>(() => ModelFile.FromJson(json, "m.json", new LayerRegistry())).Message);
        Assert.EndsWith("LayerRegistry.Default.Register(\"swish\", entry => new Swish()) or Register<Swish>().",
            Assert.Throws<ModelFileException>(() => ModelFile.FromJson(json, "m.json")).Message);
    }

    [Fact]
    public void Saving_an_unregistered_layer_fails_naming_it_and_how_to_register_it()
    {
        var e = Assert.Throws<ModelFileException>(() => ModelFile.ToJson(new SavedModel(UserNetwork(), "x"), WithScaledTanh()));
        Assert.Equal("model: layers[2]: the layer type \"swish2\" (Swish2) is not registered, so the file could not be read back; register it before saving: " +
            "registry.Register(\"swish2\", entry => new Swish2()) or registry.Register<Swish2>() on the LayerRegistry passed.", e.Message);
        Assert.Contains("layers[1]: the layer type \"scaled-tanh\" (ScaledTanh) is not registered",
            Assert.Throws<ModelFileException>(() => ModelFile.ToJson(new SavedModel(UserNetwork(), "x"))).Message);
    }

    [Fact]
    public void Saving_a_layer_that_borrows_a_built_in_name_fails()
    {
        var net = Network.Create(2, [new Dense(2, 2), new FakeDropout()]);
        Assert.Equal("model: layers[1]: is a FakeDropout named \"dropout\", but \"dropout\" is registered to read a Dropout; give the layer a Name of its own.",
            Assert.Throws<ModelFileException>(() => ModelFile.ToJson(new SavedModel(net, "x"))).Message);
    }

    [Fact]
    public void Registering_a_name_again_is_harmless_with_the_same_reader_and_an_error_with_another()
    {
        var registry = new LayerRegistry();
        Func<LayerEntry, Layer> read = e => new ScaledTanh(e.InputWidth, e.Setting("limit"));
        registry.Register("scaled-tanh", read);
        registry.Register("scaled-tanh", read);
        registry.Register<Swish2>();
        registry.Register<Swish2>();
        registry.Register<Relu>(); // the built-in reads relu by its constructor too
        Assert.Equal(1, registry.Names.Count(n => n == "scaled-tanh"));

        var e1 = Assert.Throws<ArgumentException>(() => registry.Register("scaled-tanh", e => new ScaledTanh(e.InputWidth, 1.0)));
        Assert.Contains("\"scaled-tanh\" is already registered with a different reader", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => registry.Register("dropout", e => new Dropout(0.5)));
        Assert.Contains("\"dropout\" is already registered (to Dropout) with a different reader", e2.Message);
        Assert.Throws<ArgumentException>(() => registry.Register("swish2", e => new Swish2()));
        Assert.Contains("\"activation\" is the entry type of every activation",
            Assert.Throws<ArgumentException>(() => registry.Register("activation", e => new Relu())).Message);
        Assert.Throws<ArgumentException>(() => registry.Register("", e => new Relu()));
    }

    [Fact]
    public void Concurrent_registrations_are_all_kept()
    {
        var registry = new LayerRegistry();
        int before = registry.Names.Count;
        Parallel.For(0, 200, i => registry.Register($"layer-{i}", e => new Identity()));
        Assert.Equal(before + 200, registry.Names.Count);
        Assert.Equal(registry.Names.Count, registry.Names.Distinct().Count());
        Assert.All(Enumerable.Range(0, 200), i => Assert.True(registry.IsRegistered($"layer-{i}")));
    }

    [Fact]
    public void A_reader_that_builds_a_layer_of_another_name_is_rejected()
    {
        var registry = new LayerRegistry();
        registry.Register("odd", e => new Relu());
        var json = """{"format": "mathdnn-model", "version": 1, "input": {"size": 2}, "layers": [{"type": "activation", "name": "odd"}], "loss": "x"}""";
        Assert.Equal("m.json: layers[0]: the reader registered for \"odd\" built a Relu named \"relu\"; a reader must build a layer of the name it is registered for.",
            Assert.Throws<ModelFileException>(() => ModelFile.FromJson(json, "m.json", registry)).Message);
    }

    [Fact]
    public void A_user_entry_is_checked_against_the_shapes_its_layer_declares()
    {
        var registry = WithScaledTanh();
        var doc = JsonNode.Parse(ModelFile.ToJson(new SavedModel(Network.Create(2, [new ScaledTanh(2, 1.0)], seed: 1), "x"), registry))!;
        doc["layers"]![0]!["M"]!.AsArray().RemoveAt(1);
        Assert.Equal("m.json: layers[0].M: expected 2 rows, found 1.",
            Assert.Throws<ModelFileException>(() => ModelFile.FromJson(doc.ToJsonString(), "m.json", registry)).Message);
        doc["layers"]![0]!.AsObject().Remove("limit");
        Assert.Equal("m.json: layers[0].limit: missing.",
            Assert.Throws<ModelFileException>(() => ModelFile.FromJson(doc.ToJsonString(), "m.json", registry)).Message);
    }

    [Fact]
    public void A_reader_that_needs_the_input_width_of_a_file_without_input_is_told_what_is_missing()
    {
        var registry = WithScaledTanh();
        var doc = JsonNode.Parse(ModelFile.ToJson(new SavedModel(Network.Create(2, [new ScaledTanh(2, 1.0), new Dense(2, 1)], seed: 1), "x"), registry))!;
        doc.AsObject().Remove("input");
        Assert.Equal("m.json: input.size: missing, and no layer before layers[0] fixes the input width, which the reader of \"scaled-tanh\" needs.",
            Assert.Throws<ModelFileException>(() => ModelFile.FromJson(doc.ToJsonString(), "m.json", registry)).Message);
    }

    [Fact]
    public void Files_are_saved_and_loaded_through_the_registry_given()
    {
        var dir = Directory.CreateTempSubdirectory("mathdnn-registry-").FullName;
        try
        {
            var registry = WithScaledTanh();
            registry.Register<Swish2>();
            var path = Path.Combine(dir, "user.json");
            var net = UserNetwork();
            ModelFile.Save(path, new SavedModel(net, "categorical-cross-entropy", 0.5), registry);
            var loaded = ModelFile.Load(path, registry);
            Assert.Equal(net.Parameters, loaded.Network.Parameters);
            Assert.Equal(0.5, loaded.InputScale);
            Assert.StartsWith($"{path}: layers[1].type: unknown layer type \"scaled-tanh\"", Assert.Throws<ModelFileException>(() => ModelFile.Load(path)).Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
