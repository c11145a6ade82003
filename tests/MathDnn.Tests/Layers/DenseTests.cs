using MathDnn.Calculus;
using MathDnn.Layers;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Layers;

/// <summary>The dense layer 𝕃(y, W, b) = y·Wᵀ + b (003 Def 4.1), its Jacobians (003 Props 4.1–4.3) and backward pass (003 Prop 5.2).</summary>
public class DenseTests
{
    // W ∈ M_{3,2}, b ∈ ℝ³; all entries small integers or halves, so every product below is exact.
    private static readonly MathNet.Numerics.LinearAlgebra.Matrix<double> W = M(new double[,] { { 1, 0 }, { 2, -1 }, { 0, 3 } });
    private static readonly MathNet.Numerics.LinearAlgebra.Vector<double> B = V(0.5, 0, -1);

    [Fact]
    public void Dense_003_Def_4_1_by_hand()
    {
        // y = (1, 2): y·Wᵀ = (1·1 + 2·0, 1·2 + 2·(−1), 1·0 + 2·3) = (1, 0, 6); + b = (1.5, 0, 5)
        Equal([1.5, 0, 5], Dense.Apply(V(1, 2), W, B), 0);
    }

    [Fact]
    public void Dense_003_Def_4_1_on_a_batch_by_hand()
    {
        // rows (1, 2) → (1.5, 0, 5); (−1, 1) → (−1 + 0, −2 − 1, 0 + 3) + b = (−0.5, −3, 2)
        var y = Dense.Apply(M(new double[,] { { 1, 2 }, { -1, 1 } }), W, B);
        Equal(new double[,] { { 1.5, 0, 5 }, { -0.5, -3, 2 } }, y, 0);
    }

    [Fact]
    public void Dense_input_Jacobian_is_W_003_Prop_4_1()
    {
        Assert.Equal(W, Dense.InputJacobian(W));
        // The map is affine: central differences are exact up to rounding ε·|𝕃|/h ≈ 2e-16·6/6e-6 ≈ 2e-10; 1e-8 relative is ample.
        var r = FiniteDifferences.CheckJacobian(Dense.AsFunction(W, B), V(1, 2));
        Assert.True(r.MaxRelativeError < 1e-8, r.ToString());
        Equal(new double[,] { { 1, 0 }, { 2, -1 }, { 0, 3 } }, Dense.AsFunction(W, B).Jacobian(V(1, 2)), 0);
    }

    [Fact]
    public void Dense_Jacobian_with_respect_to_a_row_of_W_003_Prop_4_2()
    {
        // y = (1, 2), i* = 1: y at row 1, zeros elsewhere.
        Equal(new double[,] { { 0, 0 }, { 1, 2 }, { 0, 0 } }, Dense.RowJacobian(V(1, 2), 3, 1), 0);
        var f = Dense.AsFunctionOfRow(V(1, 2), W, B, 1);
        var r = FiniteDifferences.CheckJacobian(f, V(2, -1)); // at the current row W₁ = (2, −1); affine, as above
        Assert.True(r.MaxRelativeError < 1e-8, r.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Dense.RowJacobian(V(1, 2), 3, 3));
    }

    [Fact]
    public void Dense_Jacobian_with_respect_to_b_is_the_identity_003_Prop_4_3()
    {
        Equal(new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, Dense.BiasJacobian(3), 0);
        var r = FiniteDifferences.CheckJacobian(Dense.AsFunctionOfBias(V(1, 2), W), B);
        Assert.True(r.MaxRelativeError < 1e-8, r.ToString());
    }

    [Fact]
    public void Dense_backward_by_hand_003_Prop_5_2()
    {
        // Y = [[1, 2], [−1, 1]] (k = 2, n = 2), W as above (m = 3), δ = [[1, 0, −1], [2, 1, 0]] (k×m).
        // dW = δᵀ·Y: row i = Σ_r δ_{r,i}·Y_r: i=0: 1·(1,2) + 2·(−1,1) = (−1, 4); i=1: 0 + 1·(−1,1) = (−1, 1);
        //   i=2: −1·(1,2) + 0 = (−1, −2).
        // db = column sums of δ = (3, 1, −1).
        // dY = δ·W: row 0 = 1·(1,0) + 0·(2,−1) − 1·(0,3) = (1, −3); row 1 = 2·(1,0) + 1·(2,−1) + 0 = (4, −1).
        var y = M(new double[,] { { 1, 2 }, { -1, 1 } });
        var delta = M(new double[,] { { 1, 0, -1 }, { 2, 1, 0 } });
        var (dW, db, dY) = Dense.Backward(y, W, delta);
        Equal(new double[,] { { -1, 4 }, { -1, 1 }, { -1, -2 } }, dW, 0);
        Equal([3, 1, -1], db, 0);
        Equal(new double[,] { { 1, -3 }, { 4, -1 } }, dY, 0);
        Assert.Equal(M(new double[,] { { 1, 2 }, { -1, 1 } }), y); // unchanged
        Assert.Equal(M(new double[,] { { 1, 0, -1 }, { 2, 1, 0 } }), delta);
    }

    [Fact]
    public void Dense_shape_errors_name_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Dense.Apply(V(1, 2, 3), W, B));
        Assert.Contains("1×3", ex.Message);
        Assert.Contains("3×2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Dense.Apply(V(1, 2), W, V(1, 2)));
        Assert.Contains("3×2", ex.Message);
        Assert.Contains("1×2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Dense.Apply(M(new double[,] { { 1, 2, 3 } }), W, B));
        Assert.Contains("1×3", ex.Message);
        Assert.Contains("3×2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Dense.Backward(M(new double[,] { { 1, 2 } }), W, M(new double[,] { { 1, 2 } })));
        Assert.Contains("Y is 1×2", ex.Message);
        Assert.Contains("W is 3×2", ex.Message);
        Assert.Contains("δ is 1×2", ex.Message);
        Assert.Throws<ArgumentException>(() => new Dense(0, 3));
    }
}
