using MathDnn.Activations;
using MathDnn.Calculus;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Networks;

public class ObjectiveTests
{
    // Central differences with h = ε^{1/3}·max(1,|θ|) have error ≈ ε^{2/3}·scale ≈ 4e-11·scale; on an O(10) objective
    // that is ≈ 1e-9 absolute, so relative errors (floor 1e-8) stay below 1e-4 with room; 1e-5 is 100× the expected 1e-7.
    private const double GradientTolerance = 1e-5;

    [Theory]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.Mean)]
    public void Backpropagation_gradient_of_003_Def_5_2_objective_matches_finite_differences(Reduction reduction)
    {
        var net = Network.MultiClass([5, 7, 4, 3], seed: 11);
        var x = TestData.Random(6, 5, seed: 1);
        var y = TestData.OneHot(6, 3, seed: 2);
        var objective = new Objective(new CategoricalCrossEntropy(), reduction);
        var (_, g) = objective.ValueAndGradient(net, x, y);
        var f = objective.AsFunctionOfParameters(net, x, y);
        var check = FiniteDifferences.CheckGradient(t => f.Apply(t)[0], g.ToVector(), net.Parameters.ToVector());
        Assert.True(check.MaxRelativeError < GradientTolerance, check.ToString());
        Assert.True(objective.IsFused(net));
    }

    [Fact]
    public void Parameter_count_is_the_corollary_of_003_Def_5_1()
    {
        int[] sizes = [64, 64, 32, 10];
        var net = Network.MultiClass(sizes);
        int expected = 0;
        for (int k = 1; k < sizes.Length; k++) expected += sizes[k] * (sizes[k - 1] + 1);
        Assert.Equal(expected, net.ParameterCount);
        Assert.Equal(64 * 65 + 32 * 65 + 10 * 33, net.ParameterCount);
    }

    [Fact]
    public void Parameter_jacobian_matches_finite_differences_for_a_mixed_network()
    {
        var net = Network.Create(3, [new Dense(3, 4), new Tanh(), new Maxout(4, 2, 3), new Sigmoid(), new Dense(2, 2)], seed: 5);
        var x = TestData.RandomVector(3, 7);
        var f = net.AsFunctionOfParameters(x);
        var check = FiniteDifferences.CheckJacobian(f, net.Parameters.ToVector());
        Assert.True(check.MaxRelativeError < GradientTolerance, check.ToString());
        var input = FiniteDifferences.CheckJacobian(net.AsFunction(), x);
        Assert.True(input.MaxRelativeError < GradientTolerance, input.ToString());
    }

    [Fact]
    public void Shape_mismatch_names_the_layer_and_both_widths()
    {
        var ex = Assert.Throws<ArgumentException>(() => Network.Create(3, [new Dense(3, 4), new Relu(), new Dense(5, 2)]));
        Assert.Contains("layer 2", ex.Message);
        Assert.Contains("width 5", ex.Message);
        Assert.Contains("width 4", ex.Message);
    }
}

public class ObjectiveFusionTests
{
    [Fact]
    public void A_softmax_network_with_a_sigma_loss_of_the_004_table_applies_the_softmax_once()
    {
        // ξ(σ(o)) for the network N = 𝓢 ∘ 𝕃 must equal the table loss evaluated on the logits o = 𝕃(x).
        var net = Network.MultiClass([4, 3], seed: 2);
        var logits = Network.Create(4, [new Dense(4, 3)], net.Parameters);
        var x = TestData.Random(5, 4, seed: 3);
        var y = TestData.OneHot(5, 3, seed: 4);
        foreach (var loss in new Loss[] { new ExpectationLoss(), new TanimotoLoss(), new LogLoss() })
        {
            double expected = loss.Value(logits.Forward(x), y, Reduction.Sum);
            Assert.Equal(expected, new Objective(loss).Value(net, x, y), 12);
        }
    }
}
