using MathDnn.Activations;
using MathDnn.Calculus;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Activations;

/// <summary>Values and derivatives of the element-wise activations (003 Section 2, 002 Section 5, 004) at hand points.</summary>
public class ElementwiseActivationTests
{
    // Hand values involving one exp/log/tanh of an exact input: ≤ 2 roundings on O(1) values.
    private const double OneOp = 1e-15;

    [Fact]
    public void Relu_003_Def_2_1_values_and_derivatives()
    {
        var f = new Relu();
        Assert.Equal(0, f.Value(-2));
        Assert.Equal(3, f.Value(3));
        Assert.Equal(0, f.Value(0));
        Assert.Equal(0, f.Derivative(-2));
        Assert.Equal(1, f.Derivative(3));
    }

    [Fact]
    public void Relu_derivative_at_0_is_0_003_Assumption_1()
    {
        // 003 Assumption 1: max(0,·)' = 𝟙_{ℝ++}, so 0 at 0 (000 wrote 1; 003 wins).
        Assert.Equal(0, new Relu().Derivative(0));
        Assert.Equal(0, new Relu().Jacobian(V(0, 1))[0, 0]);
    }

    [Fact]
    public void Relu_Jacobian_003_Prop_2_1_is_the_diagonal_indicator()
    {
        // z = (−1, 2, 0): diag(𝟙(z > 0)) = diag(0, 1, 0)
        Equal(new double[,] { { 0, 0, 0 }, { 0, 1, 0 }, { 0, 0, 0 } }, new Relu().Jacobian(V(-1, 2, 0)), 0);
    }

    [Fact]
    public void Leaky_relu_004_default_slope_is_0_1()
    {
        // 004: max(0.1x, x): f(−2) = −0.2, f(3) = 3; f' = 0.1 on ]−∞, 0] (left derivative at 0), 1 on ]0, ∞[.
        var f = new LeakyRelu();
        Assert.Equal(0.1, f.Slope);
        Assert.Equal(-0.2, f.Value(-2), OneOp);
        Assert.Equal(3, f.Value(3));
        Assert.Equal(0.1, f.Derivative(-2));
        Assert.Equal(0.1, f.Derivative(0));
        Assert.Equal(1, f.Derivative(3));
        Assert.Equal(-1.5, new LeakyRelu(0.5).Value(-3)); // slope 0.5: 0.5·(−3)
    }

    [Fact]
    public void Elu_004_values_and_derivatives()
    {
        // α = 1: f(−1) = e^{−1} − 1, f'(−1) = e^{−1}; f(2) = 2, f'(2) = 1, f'(0) = 1 (z ≥ 0 branch).
        var f = new Elu();
        Assert.Equal(Math.Exp(-1) - 1, f.Value(-1), OneOp);
        Assert.Equal(Math.Exp(-1), f.Derivative(-1), OneOp);
        Assert.Equal(2, f.Value(2));
        Assert.Equal(1, f.Derivative(2));
        Assert.Equal(1, f.Derivative(0));
        // α = 2 at z = −ln 2: 2(e^{−ln 2} − 1) = 2(½ − 1) = −1; f' = 2·½ = 1
        var g = new Elu(2);
        Assert.Equal(-1, g.Value(-Math.Log(2)), OneOp);
        Assert.Equal(1, g.Derivative(-Math.Log(2)), OneOp);
        Assert.Throws<ArgumentException>(() => new Elu(-1));
    }

    [Fact]
    public void Sigmoid_002_eq_4_values_and_derivatives()
    {
        // σ(0) = ½, σ'(0) = ½·½ = ¼; σ(ln 3) = 1/(1 + 1/3) = ¾, σ'(ln 3) = ¾·¼ = 3/16; σ(−ln 3) = ¼
        var f = new Sigmoid();
        Assert.Equal(0.5, f.Value(0));
        Assert.Equal(0.25, f.Derivative(0));
        Assert.Equal(0.75, f.Value(Math.Log(3)), OneOp);
        Assert.Equal(3.0 / 16, f.Derivative(Math.Log(3)), OneOp);
        Assert.Equal(0.25, f.Value(-Math.Log(3)), OneOp);
    }

    [Fact]
    public void Sigmoid_is_finite_at_plus_minus_1000()
    {
        // σ(1000) = 1/(1 + e^{−1000}) = 1; σ(−1000) = e^{−1000}/(1 + e^{−1000}) = 0 (underflow, not NaN); σ' = 0 at both.
        var f = new Sigmoid();
        Assert.Equal(1, f.Value(1000));
        Assert.Equal(0, f.Value(-1000));
        Assert.Equal(0, f.Derivative(1000));
        Assert.Equal(0, f.Derivative(-1000));
        // σ(−30) = e^{−30}/(1 + e^{−30}) keeps its relative accuracy (no 1 − tiny cancellation)
        Assert.Equal(Math.Exp(-30) / (1 + Math.Exp(-30)), f.Value(-30), 1e-27);
    }

    [Fact]
    public void Tanh_002_eq_6_values_and_derivatives()
    {
        // tanh(ln 2) = (2 − ½)/(2 + ½) = 0.6, tanh' = 1 − 0.36 = 0.64; tanh(0) = 0, tanh'(0) = 1
        var f = new Tanh();
        Assert.Equal(0.6, f.Value(Math.Log(2)), OneOp);
        Assert.Equal(0.64, f.Derivative(Math.Log(2)), 1e-15);
        Assert.Equal(0, f.Value(0));
        Assert.Equal(1, f.Derivative(0));
    }

    [Fact]
    public void Identity_002_Section_5_1_value_and_derivative()
    {
        Assert.Equal(3.5, new Identity().Value(3.5));
        Assert.Equal(1, new Identity().Derivative(3.5));
    }

    [Fact]
    public void Elementwise_backward_is_the_Hadamard_product_003_Prop_5_1()
    {
        // ReLU at z = (−1, 2), u = (5, 7): u ⊙ 𝟙(z > 0) = (0, 7).
        Equal([0, 7], new Relu().Backward(V(-1, 2), V(5, 7)), 0);
        // Sigmoid at z = (0, ln 3), u = (4, 16): u ⊙ σ' = (4·¼, 16·3/16) = (1, 3).
        Equal([1, 3], new Sigmoid().Backward(V(0, Math.Log(3)), V(4, 16)), OneOp * 16);
    }

    [Fact]
    public void Elementwise_Jacobians_match_central_differences_away_from_kinks()
    {
        // Central differences err by ≈ ε^{2/3}·scale ≈ 4e-11 on these O(1) smooth maps; 1e-8 relative (floor 1e-8) is 250×.
        var z = V(-1.3, -0.4, 0.7, 2.1);
        foreach (Activation f in new Activation[] { new Relu(), new LeakyRelu(), new Elu(), new Sigmoid(), new Tanh(), new Identity() })
        {
            var r = FiniteDifferences.CheckJacobian(f.AsFunction(4), z);
            Assert.True(r.MaxRelativeError < 1e-8, $"{f.Name}: {r}");
        }
    }

    [Fact]
    public void Activations_leave_their_arguments_unchanged()
    {
        var z = V(-1, 0.5, 2);
        var u = V(1, 2, 3);
        foreach (Activation f in new Activation[] { new Relu(), new LeakyRelu(), new Elu(), new Sigmoid(), new Tanh(), new Softmax() })
        {
            f.Apply(z); f.Jacobian(z); f.Backward(z, u);
            f.Apply(M(new double[,] { { -1, 0.5, 2 } }));
            Assert.Equal(V(-1, 0.5, 2), z);
            Assert.Equal(V(1, 2, 3), u);
        }
    }
}
