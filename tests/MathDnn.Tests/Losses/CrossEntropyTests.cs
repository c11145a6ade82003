using MathDnn.Losses;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Losses;

/// <summary>The cross-entropies and squared errors that predate the 004 table: domains, stability, hand values.</summary>
public class CrossEntropyTests
{
    // Hand values below are a logarithm or two of exact inputs: error ≤ a few ε on O(1) values.
    private const double Logs = 1e-15;

    [Fact]
    public void Categorical_cross_entropy_003_Def_3_1_and_Prop_3_1_hand_value()
    {
        // y = (0.2, 0.8), y* = e₁: −log 0.8; ∇ = −y*/y = (−0/0.2, −1/0.8) = (0, −1.25)
        var loss = new CategoricalCrossEntropy();
        Assert.Equal(-Math.Log(0.8), loss.Value(V(0.2, 0.8), V(0, 1)), Logs);
        Equal([0, -1.25], loss.Gradient(V(0.2, 0.8), V(0, 1)), 0);
    }

    [Fact]
    public void Categorical_cross_entropy_003_Def_3_1_rejects_probabilities_0_and_1_with_a_clear_message()
    {
        var loss = new CategoricalCrossEntropy();
        var ex = Assert.Throws<ArgumentException>(() => loss.Value(V(0.5, 0, 0.5), V(1, 0, 0)));
        Assert.Contains("categorical-cross-entropy loss: output row 0", ex.Message);
        Assert.Contains("]0,1[", ex.Message);
        Assert.Contains("found 0;", ex.Message);
        Assert.Contains("softmax-cross-entropy", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => loss.Gradient(V(1, 0.5), V(1, 0)));
        Assert.Contains("found 1;", ex.Message);
        var batch = M(new double[,] { { 0.3, 0.7 }, { 1, 1e-300 } });
        ex = Assert.Throws<ArgumentException>(() => loss.Value(batch, M(new double[,] { { 1, 0 }, { 0, 1 } }), Reduction.Sum));
        Assert.Contains("output row 1", ex.Message);
    }

    [Fact]
    public void Softmax_cross_entropy_003_Prop_5_3_is_finite_and_exact_at_logits_1000_minus_1000_0()
    {
        // logsumexp(1000, −1000, 0) = 1000 + log(1 + e^{−2000} + e^{−1000}) = 1000 in double.
        // ξ = logsumexp − z_k: 1000 − 1000 = 0 (k = 0), 1000 + 1000 = 2000 (k = 1), 1000 − 0 = 1000 (k = 2).
        // ∇ = 𝓢(z) − y* with 𝓢(z) = (1, e^{−2000}, e^{−1000})/(1 + …) = (1, 0, 0) in double.
        var loss = new SoftmaxCrossEntropy();
        var z = V(1000, -1000, 0);
        Assert.Equal(0, loss.Value(z, V(1, 0, 0)));
        Assert.Equal(2000, loss.Value(z, V(0, 1, 0)));
        Assert.Equal(1000, loss.Value(z, V(0, 0, 1)));
        Equal([1, -1, 0], loss.Gradient(z, V(0, 1, 0)), 0);
    }

    [Fact]
    public void Softmax_cross_entropy_003_Prop_5_3_hand_value()
    {
        // z = (0, ln 3): 𝓢 = (1/4, 3/4); y* = e₀: −log(1/4) = ln 4, ∇ = 𝓢 − y* = (−3/4, 3/4)
        var loss = new SoftmaxCrossEntropy();
        Assert.Equal(Math.Log(4), loss.Value(V(0, Math.Log(3)), V(1, 0)), Logs);
        Equal([-0.75, 0.75], loss.Gradient(V(0, Math.Log(3)), V(1, 0)), Logs);
    }

    [Fact]
    public void Binary_cross_entropy_002_eq_1_hand_value()
    {
        // p = (0.5, 0.25), y = (1, 0): −log 0.5 − log(1 − 0.25) = ln 2 + ln(4/3) = ln(8/3);
        // ∇ = −y/p + (1 − y)/(1 − p) = (−1/0.5, 1/0.75) = (−2, 4/3)
        var loss = new BinaryCrossEntropy();
        Assert.Equal(Math.Log(8.0 / 3), loss.Value(V(0.5, 0.25), V(1, 0)), Logs);
        Equal([-2, 4.0 / 3], loss.Gradient(V(0.5, 0.25), V(1, 0)), Logs);
        // soft label y = 0.5 at p = 0.5: −½ log ½ − ½ log ½ = ln 2; ∇ = −1 + 1 = 0
        Assert.Equal(Math.Log(2), loss.Value(V(0.5), V(0.5)), Logs);
        Equal([0], loss.Gradient(V(0.5), V(0.5)), 0);
    }

    [Fact]
    public void Binary_cross_entropy_002_eq_1_rejects_probabilities_0_and_1_and_targets_outside_0_1()
    {
        var loss = new BinaryCrossEntropy();
        var ex = Assert.Throws<ArgumentException>(() => loss.Value(V(0.5, 1), V(1, 0)));
        Assert.Contains("found 1;", ex.Message);
        Assert.Contains("sigmoid-binary-cross-entropy", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => loss.Value(V(0.5, 0.5), V(1, 1.5)));
        Assert.Contains("target row 0", ex.Message);
        Assert.Contains("found 1.5", ex.Message);
    }

    [Fact]
    public void Sigmoid_binary_cross_entropy_is_finite_at_logits_plus_minus_1000()
    {
        // softplus(1000) = 1000 + log(1 + e^{−1000}) = 1000, softplus(−1000) = 0 + log(1 + e^{−1000}) = 0 in double.
        // y = (0, 1): (1000 − 0) + (0 + 1000) = 2000; y = (1, 0): (1000 − 1000) + 0 = 0.
        // ∇ = σ(z) − y with σ(1000) = 1, σ(−1000) = e^{−1000}/(1 + e^{−1000}) = 0: (1, −1) and (0, 0).
        var loss = new SigmoidBinaryCrossEntropy();
        var z = V(1000, -1000);
        Assert.Equal(2000, loss.Value(z, V(0, 1)));
        Assert.Equal(0, loss.Value(z, V(1, 0)));
        Equal([1, -1], loss.Gradient(z, V(0, 1)), 0);
        Equal([0, 0], loss.Gradient(z, V(1, 0)), 0);
    }

    [Fact]
    public void Sigmoid_binary_cross_entropy_hand_value()
    {
        // z = ln 3: σ = 3/4; y = 1: softplus(ln 3) − ln 3 = ln 4 − ln 3 = −log σ = ln(4/3); ∇ = 3/4 − 1 = −1/4
        var loss = new SigmoidBinaryCrossEntropy();
        Assert.Equal(Math.Log(4.0 / 3), loss.Value(V(Math.Log(3)), V(1)), Logs);
        Equal([-0.25], loss.Gradient(V(Math.Log(3)), V(1)), Logs);
    }

    [Fact]
    public void Squared_error_002_eq_3_and_mean_squared_error_002_eq_15_hand_values()
    {
        // o = (1, 2), y = (0.5, −1): (0.5)² + 3² = 9.25, ∇ = 2(0.5, 3) = (1, 6); mean over m = 2: 4.625, (0.5, 3)
        Assert.Equal(9.25, new SquaredError().Value(V(1, 2), V(0.5, -1)));
        Equal([1, 6], new SquaredError().Gradient(V(1, 2), V(0.5, -1)), 0);
        Assert.Equal(4.625, new MeanSquaredError().Value(V(1, 2), V(0.5, -1)));
        Equal([0.5, 3], new MeanSquaredError().Gradient(V(1, 2), V(0.5, -1)), 0);
    }
}
