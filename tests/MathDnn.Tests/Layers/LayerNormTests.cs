using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Tests.Layers;

/// <summary>
/// Layer normalisation y = γ ⊙ (x − μ)/√(v + ε) + β: its Jacobian J = diag(γ)(1/σ)(I − 𝟙ᵀ𝟙/n − x̂ᵀx̂/n) couples a sample's
/// features; the backward pass applies it without forming it.
/// </summary>
public class LayerNormTests
{
    private static (double[] Theta, double[] X) Point(int n, int rows, int seed)
    {
        var rng = new Rng(seed);
        var theta = new double[2 * n];
        for (int i = 0; i < n; i++) { theta[i] = rng.Uniform(0.5, 2); theta[n + i] = rng.Uniform(-1, 1); }
        var x = new double[rows * n];
        for (int i = 0; i < x.Length; i++) x[i] = rng.Uniform(-3, 3);
        return (theta, x);
    }

    [Fact]
    public void By_hand_on_1_2_3()
    {
        // μ = 2, v = 2/3, σ = √(2/3 + ε): with γ = 1, β = 0 the output is (−1, 0, 1)/σ.
        var layer = new LayerNorm(3);
        var y = new double[3];
        layer.Forward<double>([1, 1, 1, 0, 0, 0], [1, 2, 3], y, new Batch(1, 3, 3));
        double sigma = Math.Sqrt(2.0 / 3 + 1e-5);
        // The two-pass mean and variance of exact small integers are exact but for the final division and root: 4 ulps.
        Assert.Equal(-1 / sigma, y[0], 4 * Math.Pow(2, -52));
        Assert.Equal(0.0, y[1]);
        Assert.Equal(1 / sigma, y[2], 4 * Math.Pow(2, -52));
    }

    [Fact]
    public void Initialisation_is_gain_1_and_bias_0()
    {
        var net = Network.Create(4, [new Dense(4, 5), new LayerNorm(5)], seed: 3);
        var block = net.Parameters.Layout.Block(1, "gain");
        Assert.All(net.Parameters.AsSpan().Slice(block.Offset, 5).ToArray(), g => Assert.Equal(1.0, g));
        Assert.All(net.Parameters.AsSpan().Slice(net.Parameters.Layout.Block(1, "bias").Offset, 5).ToArray(), b => Assert.Equal(0.0, b));
    }

    [Fact]
    public void The_explicit_Jacobian_equals_the_backward_pass_row_by_row_003_Thm_1_3()
    {
        const int n = 6, k = 3;
        var layer = new LayerNorm(n);
        var (theta, x) = Point(n, k, 11);
        var batch = new Batch(k, n, n);
        var y = new double[k * n];
        layer.Forward<double>(theta, x, y, batch);
        var j = new double[k * n * n];
        layer.InputJacobians<double>(theta, x, y, j, batch);
        var grad = new double[2 * n];
        for (int s = 0; s < k; s++)
            for (int i = 0; i < n; i++)
            {
                var e = new double[n];
                e[i] = 1;
                var row = new double[n];
                layer.Backward<double>(theta, x.AsSpan(s * n, n), y.AsSpan(s * n, n), e, row, grad, new Batch(1, n, n));
                // Both are sums of ≤ 4 terms of size ≤ |γ|/σ·(1 + 2) with σ ≥ 0.1 here: 16 ulps of 60.
                for (int c = 0; c < n; c++) Assert.Equal(j[(s * n + i) * n + c], row[c], 16 * Math.Pow(2, -52) * 60);
            }
    }

    [Fact]
    public void The_Jacobian_kills_shifts_and_nearly_kills_scalings()
    {
        // J·𝟙ᵀ = 0 (LN(x + c𝟙) = LN(x)), and J·x̂ᵀ = (γ/σ)x̂·ε/(v + ε) (LN(αx) = LN(x) as ε → 0).
        const int n = 5;
        var layer = new LayerNorm(n);
        var (theta, x) = Point(n, 1, 4);
        var y = new double[n];
        layer.Forward<double>(theta, x, y, new Batch(1, n, n));
        var j = new double[n * n];
        layer.InputJacobians<double>(theta, x, y, j, new Batch(1, n, n));
        double mean = x.Average(), v = x.Select(t => (t - mean) * (t - mean)).Average(), sigma = Math.Sqrt(v + 1e-5);
        for (int r = 0; r < n; r++)
        {
            double shift = 0, scale = 0;
            for (int c = 0; c < n; c++) { shift += j[r * n + c]; scale += j[r * n + c] * (x[c] - mean) / sigma; }
            // n terms of size ≤ 3|γ|/σ ≤ 6/0.1 cancel: n·60 ulps.
            Assert.Equal(0.0, shift, n * 60 * Math.Pow(2, -52));
            Assert.Equal(theta[r] / sigma * (x[r] - mean) / sigma * 1e-5 / (v + 1e-5), scale, n * 60 * Math.Pow(2, -52));
        }
    }

    [Fact]
    public void Parameter_gradients_are_sums_of_delta_times_xhat_and_of_delta()
    {
        const int n = 4, k = 3;
        var layer = new LayerNorm(n);
        var (theta, x) = Point(n, k, 8);
        var batch = new Batch(k, n, n);
        var y = new double[k * n];
        layer.Forward<double>(theta, x, y, batch);
        var dy = Point(n, k, 9).X;
        var grad = new double[2 * n];
        layer.Backward<double>(theta, x, y, dy, [], grad, batch);
        for (int i = 0; i < n; i++)
        {
            double dGain = 0, dBias = 0;
            for (int s = 0; s < k; s++)
            {
                double xhat = (y[s * n + i] - theta[n + i]) / theta[i]; // x̂ recovered from y = γx̂ + β
                dGain += dy[s * n + i] * xhat;
                dBias += dy[s * n + i];
            }
            Assert.Equal(dBias, grad[n + i], 8 * Math.Pow(2, -52) * 9);
            // x̂ recovered through (y − β)/γ: two more roundings on values ≤ 3·3: 16 ulps of 27.
            Assert.Equal(dGain, grad[i], 16 * Math.Pow(2, -52) * 27);
        }
    }
}
