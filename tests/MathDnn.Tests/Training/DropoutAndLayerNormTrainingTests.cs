using MathDnn.Activations;
using MathDnn.Data;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Tests.Training;

/// <summary>
/// Dropout and layer normalisation in the training engine: the engine tells layers a training step from an evaluation and
/// gives each step's layers a seed from (run seed, epoch, step), so masks are reproducible and a resumed run is exact.
/// </summary>
public class DropoutAndLayerNormTrainingTests
{
    private static TrainingOptions Options(int epochs) =>
        new(new CategoricalCrossEntropy(), Optim.KerasSgd(learningRate: 0.05, mu: 0.9, decay: 1e-4)) { BatchSize = 32, Epochs = epochs, Seed = 42 };

    /// <summary>64 → [64 → layer norm → ReLU → dropout] → [32 → layer norm → ReLU → dropout] → 10 → softmax.</summary>
    private static IEnumerable<Layer> Regularised(double rate, bool layerNorm = true)
    {
        int[] widths = [64, 64, 32];
        for (int k = 1; k < widths.Length; k++)
        {
            yield return new Dense(widths[k - 1], widths[k]);
            if (layerNorm) yield return new LayerNorm(widths[k]);
            yield return new Relu();
            yield return new Dropout(rate);
        }
        yield return new Dense(32, 10);
        yield return new Softmax();
    }

    [Fact]
    public void A_network_with_dropout_and_layer_norm_reaches_97_percent_on_UCI_digits()
    {
        var (train, test) = BuiltInData.Digits().Split(0.2, seed: 42);
        var options = Options(30);
        var result = Trainer.Fit(Network.Create(64, Regularised(0.1), seed: 42), train, options);
        var (_, accuracy) = Trainer.Evaluate(result.Model, test, options.Loss);
        Assert.True(accuracy >= 0.97, $"test accuracy {accuracy:P2} after {result.History.Count} epochs");
    }

    [Theory]
    [InlineData(Precision.Float64)]
    [InlineData(Precision.Float32)]
    public void Dropout_at_rate_0_equals_no_dropout_bit_for_bit(Precision precision)
    {
        var data = BuiltInData.Digits().Split(0.2, seed: 5).Second;
        var options = Options(3) with { Precision = precision };
        var with = Trainer.Fit(Network.Create(64, Regularised(0.0), seed: 7), data, options).Model;
        var without = Trainer.Fit(Network.Create(64, Regularised(0.0).Where(l => l is not Dropout), seed: 7), data, options).Model;
        Assert.Equal(without.Parameters.AsSpan().ToArray(), with.Parameters.AsSpan().ToArray());
    }

    [Fact]
    public void Resuming_a_run_with_dropout_is_bit_identical_to_the_uninterrupted_run()
    {
        var data = BuiltInData.Digits().Split(0.2, seed: 5).Second;
        var start = Network.Create(64, Regularised(0.3), seed: 7);
        var whole = Trainer.Fit(start, data, Options(4));
        var half = Trainer.Fit(start, data, Options(2));
        var resumed = Trainer.Fit(half.Model, data, Options(4), state: half.State, startEpoch: 3);
        Assert.Equal(whole.Model.Parameters.AsSpan().ToArray(), resumed.Model.Parameters.AsSpan().ToArray());
        Assert.Equal(whole.History.Select(h => h.Loss).ToArray(), half.History.Concat(resumed.History).Select(h => h.Loss).ToArray());
    }

    [Fact]
    public void The_masks_come_from_the_seed_and_are_applied_only_in_training()
    {
        var data = BuiltInData.Digits().Split(0.2, seed: 5).Second;
        var start = Network.Create(64, Regularised(0.5, layerNorm: false), seed: 7);
        var a = Trainer.Fit(start, data, Options(1)).Model;
        var b = Trainer.Fit(start, data, Options(1)).Model;
        var otherSeed = Trainer.Fit(start, data, Options(1) with { Seed = 43 }).Model;
        var noDropout = Trainer.Fit(Network.Create(64, Regularised(0.0, layerNorm: false), seed: 7), data, Options(1)).Model;
        Assert.Equal(a.Parameters.AsSpan().ToArray(), b.Parameters.AsSpan().ToArray());                 // same seed, same masks
        Assert.NotEqual(a.Parameters.AsSpan().ToArray(), noDropout.Parameters.AsSpan().ToArray());      // the masks were applied
        Assert.NotEqual(a.Parameters.AsSpan().ToArray(), otherSeed.Parameters.AsSpan().ToArray());      // …and drawn from the seed
        // Evaluation is deterministic and mask-free: prediction equals the network without its dropout layers.
        var x = data.Inputs.SubMatrix(0, 5, 0, 64);
        var stripped = Network.Create(64, a.Layers.Where(l => l is not Dropout), a.Parameters.AsSpan().ToArray() is var p
            ? Parameters.FromArray(Network.LayoutOf(64, [.. a.Layers.Where(l => l is not Dropout)]).Layout, p) : null!);
        Assert.Equal(stripped.Forward(x), a.Forward(x));
    }
}
