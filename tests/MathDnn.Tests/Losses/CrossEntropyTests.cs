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
    // ---- the gradient 𝓢(z) − y* at large logits, against a double-double reference (issue 13, item 13) ----

    /// <summary>𝓢(z) − e_k in double-double: e_i = exp(z_i − max z) (the difference exact in double-double), s = e / Σe, s_k − 1.</summary>
    private static DoubleDouble[] ReferenceGradient(double[] z, int k)
    {
        double max = z.Max();
        var e = z.Select(v => DoubleDouble.Exp((DoubleDouble)v - max)).ToArray();
        DoubleDouble sum = 0.0;
        foreach (var v in e) sum += v;
        return [.. e.Select((v, i) => v / sum - (i == k ? 1.0 : 0.0))];
    }

    /// <summary>
    /// Each entry within its derived bound of the reference, and the row sum within 2mε·Σ|g|. Entry i ≠ k is σ_i = e_i/Σe with
    /// e_i = exp(fl(d_i)), d_i = z_i − max z: rounding d_i moves e_i by |d_i|·ε/2 relative (exp's condition number is |d|), exp
    /// adds ε; Σe carries the σ-weighted mean of those plus mε of summation; the quotient ½ε: τ_i = (|d_i|/2 + Σ_j σ_j(|d_j|/2 + 1)
    /// + m + 2)·ε. The true class's entry −Σ_{i≠k} σ_i sums positive terms: τ_k = max_{i≠k} τ_i + mε. Entries that underflow
    /// (σ_i below the smallest normal) are compared absolutely, within 4 subnormal steps. The row sum: the exact sum of the
    /// computed entries is the rounding of Σ_{i≠k} σ_i, ≤ mε·Σσ, and summing it in double adds mε·Σ|g|.
    /// </summary>
    private static void GradientMatchesReference(Loss loss, double[] z, int k)
    {
        int m = z.Length;
        var y = new double[m];
        y[k] = 1;
        var g = loss.Gradient(V(z), V(y));
        var reference = ReferenceGradient(z, k);
        double eps = Math.Pow(2, -52), max = z.Max();
        var sigma = reference.Select((r, i) => i == k ? r.Value + 1 : r.Value).ToArray();
        double weighted = Enumerable.Range(0, m).Sum(j => sigma[j] * (Math.Abs(z[j] - max) / 2 + 1));
        var tau = Enumerable.Range(0, m).Select(i => (Math.Abs(z[i] - max) / 2 + weighted + m + 2) * eps).ToArray();
        tau[k] = Enumerable.Range(0, m).Where(i => i != k).Max(i => tau[i]) + m * eps;
        for (int i = 0; i < m; i++)
        {
            double expected = reference[i].Value, tol = tau[i] * Math.Abs(expected) + 4 * double.Epsilon;
            Assert.True(Math.Abs(g[i] - expected) <= tol,
                $"{loss.Name} at z = ({string.Join(", ", z)}), class {k}: entry {i} is {g[i]:G17}, expected {expected:G17} (tolerance {tol:G3})");
        }
        double rowSum = g.Sum(), bound = 2 * m * eps * g.Sum(Math.Abs);
        Assert.True(Math.Abs(rowSum) <= bound, $"{loss.Name} at z = ({string.Join(", ", z)}): the row sums to {rowSum:G3}, bound {bound:G3}");
    }

    public static TheoryData<Loss> CrossEntropiesOnLogits => new() { new SoftmaxCrossEntropy(), new LogLoss() };

    [Theory]
    [MemberData(nameof(CrossEntropiesOnLogits))]
    public void Softmax_cross_entropy_gradient_003_Prop_5_3_is_accurate_per_entry_at_large_logits(Loss loss)
    {
        // The true class's entry at (1000, 970, 0, 0): σ₀ − 1 = −e^{−30}/(1 + e^{−30} + 2e^{−1000}) = −9.3576229688392989538e-14
        // (mpmath 1.3.0, 50 digits); exp(z − logsumexp z) − 1 gave −1.1368683772161603e-13 (the rounding of logsumexp, ½ ulp of
        // 1000, enters every entry). Within 4 ulps of that value, and of the double-double reference.
        var g = loss.Gradient(V(1000, 970, 0, 0), V(1, 0, 0, 0));
        double expected = -9.3576229688392989538e-14;
        Assert.True(Math.Abs(g[0] - expected) <= 4 * (Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected)),
            $"{loss.Name}: entry 0 is {g[0]:G17}, expected {expected:G17}");
        GradientMatchesReference(loss, [1000, 970, 0, 0], 0);
        GradientMatchesReference(loss, [1000, 970, 0, 0], 1);
        GradientMatchesReference(loss, [1000, 999, 0, 0], 0); // the row summed to 1.6e-14 before
        GradientMatchesReference(loss, [1000, 999, 0, 0], 2);
        GradientMatchesReference(loss, [-1000, 1000, 0.5, 1000], 3);
    }

    [Theory]
    [MemberData(nameof(CrossEntropiesOnLogits))]
    public void Softmax_cross_entropy_gradient_003_Prop_5_3_property_at_random_logits_of_spread_up_to_1e3(Loss loss)
    {
        var rng = new Random(13);
        foreach (double spread in new[] { 1.0, 30.0, 300.0, 1000.0 })
            for (int trial = 0; trial < 50; trial++)
            {
                int m = 2 + rng.Next(9);
                var z = Enumerable.Range(0, m).Select(_ => spread * (2 * rng.NextDouble() - 1)).ToArray();
                if (trial % 2 == 0) z[rng.Next(m)] = z.Max() - rng.NextDouble() * 40; // a runner-up within e^{−40} of the winner
                GradientMatchesReference(loss, z, rng.Next(m));
            }
    }
}
