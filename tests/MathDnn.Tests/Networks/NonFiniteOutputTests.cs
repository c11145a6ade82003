using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Networks;

/// <summary>Finite weights whose outputs overflow: an error naming the sample and the layer, not rows of NaN (issue 13, item 8).</summary>
public class NonFiniteOutputTests
{
    /// <summary>2 → 2 (relu) → 2 → softmax with W₁ = s·I, W₂ = s·[[1, 0], [0, −1]], zero biases: logits s²·(x₁, −x₂).</summary>
    internal static Network Overflowing(double s) =>
        Network.Create(2, [new Dense(2, 2), new Relu(), new Dense(2, 2), new Softmax()],
            Parameters.FromArray(Network.LayoutOf(2, [new Dense(2, 2), new Relu(), new Dense(2, 2), new Softmax()]).Layout,
                [s, 0, 0, s, 0, 0, s, 0, 0, -s, 0, 0]));

    [Fact]
    public void ForwardFinite_names_the_first_sample_and_layer_that_overflow()
    {
        var network = Overflowing(1e200); // relu output 1e200·x (finite), then 1e400 = ∞ in the second dense layer
        var x = M(new double[,] { { 0, 0 }, { 0, 0 }, { 1e-300, 0 }, { 1, 0 } });
        Assert.True(double.IsNaN(network.Forward(x)[3, 0])); // what predict printed: NaN
        var e = Assert.Throws<NonFiniteOutputException>(() => network.ForwardFinite(x));
        Assert.Equal(3, e.Sample);
        Assert.Equal(2, e.Layer);
        Assert.Equal(double.PositiveInfinity, e.Value);
        Assert.Equal("sample 4: the output of layer 2 (dense) is Infinity at unit 0; the network overflows on this input (max |θ| = 1E+200).", e.Message);
        // Inputs on which it does not overflow: the same outputs as Forward.
        var fine = M(new double[,] { { 0, 0 }, { 1e-300, 1e-250 } });
        Assert.Equal(network.Forward(fine), network.ForwardFinite(fine));
    }

    [Fact]
    public void CheckFinite_names_the_sample_whose_loss_overflows_though_its_outputs_are_finite()
    {
        // Logits (1.7e308, −1.7e308) for x = (1, 1): softmax (1, 0) is finite, the cross-entropy of class 1 is 3.4e308 = ∞.
        var network = Overflowing(Math.Sqrt(1.7e308));
        var x = M(new double[,] { { 1, 1 }, { 1, 1 }, { 1, 1 } });
        var y = M(new double[,] { { 1, 0 }, { 1, 0 }, { 0, 1 } });
        Assert.Equal(new double[,] { { 1, 0 }, { 1, 0 }, { 1, 0 } }, network.ForwardFinite(x).ToArray());
        var objective = new Objective(new CategoricalCrossEntropy());
        var e = Assert.Throws<NonFiniteOutputException>(() => objective.CheckFinite(network, x, y));
        Assert.Equal(2, e.Sample);
        Assert.Null(e.Layer);
        Assert.StartsWith("sample 3: the categorical-cross-entropy loss is Infinity although every layer's output is finite (the outputs reach 1", e.Message);
        objective.CheckFinite(network, x.SubMatrix(0, 2, 0, 2), y.SubMatrix(0, 2, 0, 2)); // the first two samples are fine: loss 0
    }

    [Fact]
    public void CheckFinite_reports_an_overflowing_output_before_the_loss()
    {
        var network = Overflowing(1e200);
        var e = Assert.Throws<NonFiniteOutputException>(() =>
            new Objective(new CategoricalCrossEntropy()).CheckFinite(network, M(new double[,] { { 0, 0 }, { 2, 0 } }), M(new double[,] { { 1, 0 }, { 1, 0 } })));
        Assert.Equal((1, 2), (e.Sample, e.Layer!.Value));
    }
}
