using MathDnn.Losses;

namespace MathDnn.Tests.Losses;

public class LossCatalogueTests
{
    [Fact]
    public void Catalogue_lists_the_twelve_losses_of_the_004_loss_table_and_the_six_others_once_each()
    {
        string[] expected =
        [
            "l1", "l2", "expectation", "regularised-expectation", "chebyshev", "hinge", "squared-hinge", "cubed-hinge",
            "log", "squared-log", "tanimoto", "cauchy-schwarz-divergence",
            "categorical-cross-entropy", "softmax-cross-entropy", "binary-cross-entropy", "sigmoid-binary-cross-entropy",
            "squared-error", "mean-squared-error",
        ];
        Assert.Equal(expected, LossCatalogue.All.Select(l => l.Name));
        Assert.Equal(expected, LossCatalogue.Names);
        Assert.Equal(18, LossCatalogue.All.Select(l => l.GetType()).Distinct().Count());
    }

    [Fact]
    public void Names_are_kebab_case()
    {
        foreach (var n in LossCatalogue.Names)
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", n);
    }

    [Fact]
    public void Parse_returns_the_loss_of_that_name()
    {
        Assert.IsType<TanimotoLoss>(LossCatalogue.Parse("tanimoto"));
        Assert.IsType<SquaredHingeLoss>(LossCatalogue.Parse("squared-hinge"));
        Assert.Equal(new CategoricalCrossEntropy(), LossCatalogue.Parse("categorical-cross-entropy"));
        foreach (var loss in LossCatalogue.All) Assert.Same(loss, LossCatalogue.Parse(loss.Name));
    }

    [Fact]
    public void Parse_of_an_unknown_name_lists_the_known_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => LossCatalogue.Parse("huber"));
        Assert.Contains("\"huber\"", ex.Message);
        foreach (var n in LossCatalogue.Names) Assert.Contains(n, ex.Message);
    }

    [Fact]
    public void Encodings_follow_the_004_loss_table()
    {
        // y one-hot for all but the three hinge losses, which take ŷ ∈ {−1, +1}.
        foreach (var loss in LossCatalogue.All.Take(12))
            Assert.Equal(loss is HingeLoss or SquaredHingeLoss or CubedHingeLoss ? TargetEncoding.PlusMinusOne : TargetEncoding.OneHot, loss.Encoding);
    }
}
