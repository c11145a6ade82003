using MathDnn.Data;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Tests.Training;

public class DigitsAcceptanceTests
{
    [Fact]
    public void Multi_class_network_003_Def_5_1_reaches_97_percent_on_UCI_digits_within_30_epochs()
    {
        // N_c+ 64 → 64 → 32 → 10 (003 Def 5.1), seeded 80/20 stratified split, SGD with momentum (003 abstract).
        var (train, test) = BuiltInData.Digits().Split(0.2, seed: 42);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.KerasSgd(learningRate: 0.05, mu: 0.9, decay: 1e-4))
        {
            BatchSize = 32,
            Epochs = 30,
            Seed = 42,
        };
        var result = Trainer.Fit(Network.MultiClass([64, 64, 32, 10], seed: 42), train, options);
        var (_, accuracy) = Trainer.Evaluate(result.Model, test, options.Loss);
        Assert.True(accuracy >= 0.97, $"test accuracy {accuracy:P2} after {result.History.Count} epochs");
        // Stratified: each class contributes round(0.2·n_c) samples, so within half a sample of 20 %.
        var all = train.Labels().Concat(test.Labels()).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        foreach (var g in test.Labels().GroupBy(l => l))
            Assert.InRange(g.Count() - 0.2 * all[g.Key], -0.5, 0.5);
    }
}
