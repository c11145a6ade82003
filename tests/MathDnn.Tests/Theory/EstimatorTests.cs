using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;
using MathDnn.Theory;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Theory;

/// <summary>The L estimate of 003 Def 6.2 by power iteration, and network Lipschitz bounds, against hand-computed values.</summary>
public class EstimatorTests
{
    private static Vector<double> V(params double[] x) => Vector<double>.Build.DenseOfArray(x);

    // f(x) = ½ x·A·xᵀ with A = diag(a): ∇f = a ⊙ x, Hessian A.
    private static RealFunction Diagonal(params double[] a) =>
        RealFunction.Of("½xAxᵀ", a.Length, x => 0.5 * x.PointwiseMultiply(V(a)).DotProduct(x), x => x.PointwiseMultiply(V(a)));

    [Fact]
    public void Def_6_2_power_iteration_finds_the_largest_eigenvalue_of_a_quadratic()
    {
        // Hessian diag(3, 1, 0.5): L = 3. Each iteration divides the other components by ≥ 3; the residual 1e-6·3 is met
        // after ≈ log(1e6)/log 3 ≈ 13 steps; the Rayleigh quotient is then exact to ≈ 1e-12, plus the ≈ 1e-10 of the differences.
        var e = Smoothness.Estimate(Diagonal(3, 1, 0.5), V(0.3, -2, 1));
        Assert.True(e.Converged, e.ToString());
        Assert.Equal(3.0, e.L, 8);
        Assert.InRange(e.Iterations, 2, 40);
    }

    [Fact]
    public void Def_6_2_power_iteration_reports_the_magnitude_of_a_negative_eigenvalue_and_an_unconverged_run()
    {
        // Hessian diag(−4, 1): ‖H‖₂ = 4.
        Assert.Equal(4.0, Smoothness.Estimate(Diagonal(-4, 1), V(1, 1)).L, 8);
        // One iteration on diag(1, 0.999) cannot separate the eigenvalues: reported as not converged.
        var one = Smoothness.Estimate(Diagonal(1, 0.999), V(0, 0), maxIterations: 1);
        Assert.False(one.Converged);
        Assert.Equal(1, one.Iterations);
        Assert.True(one.Residual > 0);
    }

    [Fact]
    public void Def_6_2_softmax_cross_entropy_estimate_is_the_largest_eigenvalue_of_diag_p_minus_ppT()
    {
        // z = (0, 0): p = (½, ½), H = [[¼, −¼], [−¼, ¼]] with eigenvalues 0 and ½: L = ½, the global bound, attained here.
        var f = TheoryFunctions.SoftmaxCrossEntropy(V(1, 0));
        Assert.Equal(0.5, f.L);
        Assert.Equal(0.5, Smoothness.Estimate(f.Function, V(0, 0)).L, 8);
    }

    [Fact]
    public void Lipschitz_bounds_of_one_dense_layer_meet_at_the_spectral_norm()
    {
        // W = diag(3, 4): ‖W‖₂ = 4, J_N(x) = W everywhere.
        var layers = new Layer[] { new Dense(2, 2) };
        var net = Network.Create(2, layers, Parameters.FromArray(Network.LayoutOf(2, layers).Layout, [3, 0, 0, 4, 0, 0]));
        var b = LipschitzBounds.Of(net, Matrix<double>.Build.DenseOfRowArrays([1.0, 1.0]));
        Assert.Equal(4.0, b.Upper, 12);
        Assert.Equal(4.0, b.Lower, 12);
        Assert.Equal(1.0, b.Ratio, 12);
    }

    [Fact]
    public void Lipschitz_bounds_of_a_ReLU_network_bracket_the_sampled_Jacobian()
    {
        // 𝕃(W₁ = diag(3, 4)) → ReLU → 𝕃(W₂ = (1, 1)): upper 4·1·√2 = 5.65685; at x = (1, 1) both units are active,
        // J = W₂W₁ = (3, 4), ‖J‖ = 5; at x = (−1, −1) J = 0.
        var layers = new Layer[] { new Dense(2, 2), new Relu(), new Dense(2, 1) };
        var net = Network.Create(2, layers, Parameters.FromArray(Network.LayoutOf(2, layers).Layout, [3, 0, 0, 4, 0, 0, 1, 1, 0]));
        var b = LipschitzBounds.Of(net, Matrix<double>.Build.DenseOfRowArrays([-1.0, -1.0], [1.0, 1.0]));
        Assert.Equal(4 * Math.Sqrt(2), b.Upper, 12);
        Assert.Equal(5.0, b.Lower, 12);
        Assert.Equal("(1, 1)", b.LowerAt);
        Assert.Equal(3, b.Factors.Length);
        Assert.Equal(4.0, b.Factors[0].Factor, 12);
        Assert.Equal(1.0, b.Factors[1].Factor);
        Assert.Equal(Math.Sqrt(2), b.Factors[2].Factor, 12);
    }

    [Fact]
    public void Lipschitz_factor_of_sigmoid_is_one_quarter_and_of_softmax_one_half()
    {
        var layers = new Layer[] { new Dense(1, 2), new Sigmoid(), new Dense(2, 2), new Softmax() };
        var net = Network.Create(1, layers, Parameters.FromArray(Network.LayoutOf(1, layers).Layout, [1, 1, 0, 0, 1, 0, 0, 1, 0, 0]));
        var b = LipschitzBounds.Of(net, Matrix<double>.Build.DenseOfRowArrays([0.0]));
        // ‖(1, 1)ᵀ‖ = √2, ¼, ‖I‖ = 1, ½: upper √2/8.
        Assert.Equal(Math.Sqrt(2) / 8, b.Upper, 12);
        Assert.True(b.Lower <= b.Upper);
    }

    [Fact]
    public void Bad_input_names_the_shapes()
    {
        var net = Network.MultiClass([3, 2], seed: 1);
        var e = Assert.Throws<ArgumentException>(() => LipschitzBounds.Of(net, Matrix<double>.Build.Dense(2, 4)));
        Assert.Contains("2×4", e.Message);
        Assert.Contains("width 3", e.Message);
    }
}
