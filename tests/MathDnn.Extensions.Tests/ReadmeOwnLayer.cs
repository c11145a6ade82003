using MathDnn.Activations;
using MathDnn.Data;
using MathDnn.IO;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Testing;
using MathDnn.Training;

namespace MathDnn.Extensions.Tests;

/// <summary>
/// The README's section "Your own layer" in C#, compiled and run here without InternalsVisibleTo: the primitives of
/// OwnLayer.cs and the code between the markers below equal the README's blocks (a test compares them).
/// </summary>
public class ReadmeOwnLayer
{
    [Fact]
    public void Own_layer_example_runs_and_does_what_the_README_says()
    {
        // README own-layer begin
        // One call checks a primitive: its Jacobian against central differences, Backward against u·J, the batch against
        // each sample alone, float32 against float64, purity and determinism — when evaluating and in a training step.
        PrimitiveCheck.Assert(new Softsign());
        PrimitiveCheck.Assert(new Scale(8));

        // A user's layers compose with the library's and train in the same engine, with any optimizer, in float64 or float32.
        var (train, test) = BuiltInData.Digits().Split(0.2, seed: 42);
        var net = Network.Create(64, [new Dense(64, 32), new Scale(32), new Softsign(), new Dense(32, 10), new Softmax()], seed: 1);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Adam(0.01)) { Epochs = 20, BatchSize = 32, Seed = 1 };
        var model = Trainer.Fit(net, train, options).Model;
        var (_, accuracy) = Trainer.Evaluate(model, test, options.Loss);

        // Jacobians, per-sample gradients and the rest work on it as on any network.
        var jacobian = model.InputJacobianMap(test.Inputs.Row(0));   // dense · diagonal(softsign′) · diagonal(s) · dense

        // Saved and loaded by name once the readers are registered.
        LayerRegistry.Default.Register<Softsign>();
        LayerRegistry.Default.Register("scale", entry => new Scale(entry.Length("s")));
        string path = Path.Combine(Path.GetTempPath(), $"own-layer-{Environment.ProcessId}.json");
        ModelFile.Save(path, new SavedModel(model, "categorical-cross-entropy"));
        var loaded = ModelFile.Load(path).Network;
        Console.WriteLine($"test accuracy {accuracy:P2}; J = {jacobian}; reloaded outputs equal: {loaded.Forward(test.Inputs).Equals(model.Forward(test.Inputs))}");
        // README own-layer end

        File.Delete(path);
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy:P2}");
        Assert.Equal(["dense", "diagonal", "diagonal", "dense"], jacobian.Structure.Select(s => s.Split(' ')[0].ToLowerInvariant()).Where(s => s is "dense" or "diagonal").ToArray());
        Assert.Equal(model.Parameters.AsSpan().ToArray(), loaded.Parameters.AsSpan().ToArray());
        Assert.Equal(model.Layers.ToArray(), loaded.Layers.ToArray());
        Assert.Equal(model.Forward(test.Inputs), loaded.Forward(test.Inputs));
    }

    [Theory]
    [InlineData("own-layer-definition-csharp", "OwnLayer.cs", "own-layer-definition")]
    [InlineData("own-layer-csharp", "ReadmeOwnLayer.cs", "own-layer")]
    public void README_shows_exactly_the_code_that_runs(string marker, string file, string region) =>
        MathDnn.Tests.ReadmeBlocks.AssertShows(marker, $"tests/MathDnn.Extensions.Tests/{file}", region);
}
