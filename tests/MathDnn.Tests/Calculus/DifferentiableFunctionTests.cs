using MathDnn.Calculus;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Calculus;

/// <summary>
/// <see cref="DifferentiableFunction"/> on hand functions:
/// f: ℝ² → ℝ², f(x) = (x₀², x₀x₁), J_f = [[2x₀, 0], [x₁, x₀]];
/// g: ℝ² → ℝ, g(u) = u₀ + 3u₁², J_g = [1, 6u₁];
/// h: ℝ² → ℝ², h(x) = (x₁, 2x₀), J_h = [[0, 1], [2, 0]].
/// At x = (1, 2) all values are small integers, so every expected value is exact.
/// </summary>
public class DifferentiableFunctionTests
{
    private static readonly DifferentiableFunction F = new("f", 2, 2,
        x => V(x[0] * x[0], x[0] * x[1]),
        x => M(new double[,] { { 2 * x[0], 0 }, { x[1], x[0] } }));

    private static readonly DifferentiableFunction G = new("g", 2, 1,
        u => V(u[0] + 3 * u[1] * u[1]),
        u => M(new double[,] { { 1, 6 * u[1] } }));

    private static readonly DifferentiableFunction H = new("h", 2, 2,
        x => V(x[1], 2 * x[0]),
        _ => M(new double[,] { { 0, 1 }, { 2, 0 } }));

    private static readonly Vector<double> X = V(1, 2);

    [Fact]
    public void Compose_is_the_chain_rule_003_Thm_1_3()
    {
        // g∘f(x) = x₀² + 3x₀²x₁² → at (1, 2): 1 + 12 = 13.
        // J_{g∘f}(x) = J_g(f(x))·J_f(x) = [1, 6·2]·[[2, 0], [2, 1]] = [2 + 24, 12] = [26, 12];
        // directly: ∂/∂x₀ = 2x₀ + 6x₀x₁² = 26, ∂/∂x₁ = 6x₀²x₁ = 12.
        var gf = DifferentiableFunction.Compose(G, F);
        Assert.Equal(2, gf.InputDimension);
        Assert.Equal(1, gf.OutputDimension);
        Equal([13], gf.Apply(X), 0);
        Equal(new double[,] { { 26, 12 } }, gf.Jacobian(X), 0);
        Equal(new double[,] { { 26, 12 } }, F.Then(G).Jacobian(X), 0);
        Assert.Equal("g ∘ f", gf.Name);
    }

    [Fact]
    public void Compose_backward_and_forward_passes_003_Thm_1_3()
    {
        // VJP with u = (2): 2·[26, 12] = (52, 24). JVP with v = (1, −1): 26 − 12 = 14.
        var gf = DifferentiableFunction.Compose(G, F);
        Equal([52, 24], gf.VectorJacobianProduct(X, V(2)), 0);
        Equal([14], gf.JacobianVectorProduct(X, V(1, -1)), 0);
    }

    [Fact]
    public void Vector_Jacobian_and_Jacobian_vector_products_of_a_hand_function()
    {
        // J_f(1, 2) = [[2, 0], [2, 1]]: u = (1, 1) → u·J = (2 + 2, 0 + 1) = (4, 1); v = (1, 1) → J·vᵀ = (2, 3).
        Equal([4, 1], F.VectorJacobianProduct(X, V(1, 1)), 0);
        Equal([2, 3], F.JacobianVectorProduct(X, V(1, 1)), 0);
    }

    [Fact]
    public void Sum_adds_values_and_Jacobians_003_Prop_1_2()
    {
        // (f + h)(1, 2) = (1, 2) + (2, 2) = (3, 4); J = [[2, 0], [2, 1]] + [[0, 1], [2, 0]] = [[2, 1], [4, 1]].
        var s = F + H;
        Equal([3, 4], s.Apply(X), 0);
        Equal(new double[,] { { 2, 1 }, { 4, 1 } }, s.Jacobian(X), 0);
        // u = (1, −1): u·J = (2 − 4, 1 − 1) = (−2, 0); v = (0, 1): J·vᵀ = (1, 1)
        Equal([-2, 0], s.VectorJacobianProduct(X, V(1, -1)), 0);
        Equal([1, 1], s.JacobianVectorProduct(X, V(0, 1)), 0);
        Equal(new double[,] { { 2, 1 }, { 4, 1 } }, DifferentiableFunction.Sum(F, H).Jacobian(X), 0);
    }

    [Fact]
    public void Linear_map_has_Jacobian_A_003_Prop_4_1_and_identity_has_I()
    {
        // A = [[1, 2], [3, 4], [5, 6]]: x = (1, −1) ↦ A·xᵀ = (−1, −1, −1); J = A; u = (1, 0, 1): u·A = (6, 8)
        var a = M(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        var l = DifferentiableFunction.Linear(a);
        Equal([-1, -1, -1], l.Apply(V(1, -1)), 0);
        Assert.Equal(a, l.Jacobian(V(1, -1)));
        Equal([6, 8], l.VectorJacobianProduct(V(1, -1), V(1, 0, 1)), 0);
        a[0, 0] = 100; // the function holds its own copy
        Equal([-1, -1, -1], l.Apply(V(1, -1)), 0);
        Equal(new double[,] { { 1, 0 }, { 0, 1 } }, DifferentiableFunction.Identity(2).Jacobian(X), 0);
    }

    [Fact]
    public void Dimension_mismatches_name_both_dimensions()
    {
        var ex = Assert.Throws<ArgumentException>(() => DifferentiableFunction.Compose(G, G));
        Assert.Contains("g takes 1×2", ex.Message);
        Assert.Contains("g returns 1×1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => DifferentiableFunction.Sum(F, G));
        Assert.Contains("ℝ^2 → ℝ^2", ex.Message);
        Assert.Contains("ℝ^2 → ℝ^1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.Apply(V(1, 2, 3)));
        Assert.Contains("1×2", ex.Message);
        Assert.Contains("1×3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.VectorJacobianProduct(X, V(1)));
        Assert.Contains("cotangent", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.JacobianVectorProduct(X, V(1, 2, 3)));
        Assert.Contains("direction", ex.Message);
        Assert.Throws<ArgumentException>(() => new DifferentiableFunction("z", 0, 1, x => x, _ => M(new double[,] { { 1 } })));
    }

    [Fact]
    public void A_Jacobian_of_the_wrong_shape_is_reported()
    {
        var bad = new DifferentiableFunction("bad", 2, 2, x => x, _ => M(new double[,] { { 1, 0, 0 } }));
        var ex = Assert.Throws<InvalidOperationException>(() => bad.Jacobian(X));
        Assert.Contains("2×2", ex.Message);
        Assert.Contains("1×3", ex.Message);
    }

    [Fact]
    public void Operations_leave_their_arguments_unchanged()
    {
        var mutating = new DifferentiableFunction("mutating", 2, 2,
            x => { x[0] = 99; return x; },
            x => { x[1] = 99; return M(new double[,] { { 1, 0 }, { 0, 1 } }); });
        var x = V(1, 2);
        mutating.Apply(x);
        mutating.Jacobian(x);
        mutating.VectorJacobianProduct(x, V(1, 1));
        Assert.Equal(V(1, 2), x);
    }
}
