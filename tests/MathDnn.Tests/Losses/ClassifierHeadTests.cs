using MathDnn.Activations;
using MathDnn.Losses;

namespace MathDnn.Tests.Losses;

/// <summary>The last activation and target encoding a classifier gets for its loss (the 004 loss table).</summary>
public class ClassifierHeadTests
{
    [Fact]
    public void Cross_entropies_end_in_softmax_or_sigmoid_and_losses_on_raw_outputs_in_nothing()
    {
        Assert.IsType<Softmax>(ClassifierHead.OutputActivation(new CategoricalCrossEntropy()));
        Assert.IsType<Sigmoid>(ClassifierHead.OutputActivation(new BinaryCrossEntropy()));
        Assert.Null(ClassifierHead.OutputActivation(new HingeLoss()));
        foreach (var loss in LossCatalogue.All.Where(l => l.AppliesSoftmax))
            Assert.IsType<Softmax>(ClassifierHead.OutputActivation(loss));
    }

    [Fact]
    public void Labels_are_encoded_one_hot_plus_minus_one_or_as_one_column()
    {
        Assert.Equal(new double[,] { { 0, 1, 0 }, { 1, 0, 0 } }, ClassifierHead.Targets(new CategoricalCrossEntropy(), [1, 0], 3).ToArray());
        Assert.Equal(new double[,] { { -1, 1 }, { 1, -1 } }, ClassifierHead.Targets(new HingeLoss(), [1, 0], 2).ToArray());
        Assert.Equal(new double[,] { { 1 }, { 0 } }, ClassifierHead.Targets(new BinaryCrossEntropy(), [1, 0], 1).ToArray());
    }
}
