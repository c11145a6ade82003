using MathDnn.Activations;
using MathDnn.IO;
using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Tests.IO;

/// <summary>
/// The README's model-file example (section "Model files, resuming"), compiled and run here; the code between the markers
/// must equal the README's ```csharp block marked model-files-csharp (a test compares them).
/// </summary>
public sealed class ReadmeModelFileExamples
{
    [Fact]
    public void Registry_example_runs_and_round_trips_a_user_layer_bit_for_bit()
    {
        // README model-files begin
        // ScaledTanh: a record deriving Layer with Name "scaled-tanh", a setting "limit" and blocks M (matrix) and c (vector).
        var registry = new LayerRegistry();       // the built-ins alone; LayerRegistry.Default is the process-wide one
        registry.Register("scaled-tanh", entry => new ScaledTanh(entry.InputWidth, entry.Setting("limit")));
        registry.Register<Swish2>();               // a parameter-free activation, read as new Swish2()

        var net = Network.Create(3, [new Dense(3, 4), new ScaledTanh(4, 2.5), new Swish2(), new Dense(4, 2), new Softmax()], seed: 1);
        string json = ModelFile.ToJson(new SavedModel(net, "categorical-cross-entropy"), registry);
        // … {"type": "scaled-tanh", "limit": 2.5, "M": [[…], …], "c": […]}, {"type": "activation", "name": "swish2"}, …
        var back = ModelFile.FromJson(json, "m.json", registry);   // ModelFile.Save / Load for files, Write / Read for streams
        // README model-files end

        Assert.Equal(net.Parameters, back.Network.Parameters);
        Assert.Equal(net.Layers.ToArray(), back.Network.Layers.ToArray());
        Assert.Contains("\"type\": \"scaled-tanh\"", json);
        Assert.Contains("\"limit\": 2.5", json);
        // Without the registrations the file is refused, naming the type (LayerRegistryTests checks the whole message).
        Assert.Contains("unknown layer type \"scaled-tanh\"", Assert.Throws<ModelFileException>(() => ModelFile.FromJson(json, "m.json")).Message);
    }

    [Fact]
    public void README_shows_exactly_the_model_file_code_that_runs() =>
        ReadmeBlocks.AssertShows("model-files-csharp", "tests/MathDnn.Tests/IO/ReadmeModelFileExamples.cs", "model-files");
}
