using MathDnn.Layers;
using MathDnn.Networks;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Layers;

/// <summary>
/// Maxout (004) by hand: two inputs, one unit, two pieces, W⁽⁰⁾ = (1, 0), W⁽¹⁾ = (0, 1), b = (0, ½):
/// y = max(x₀, x₁ + ½). Parameters are stored as W (piece-major rows) then b: θ = (1, 0, 0, 1, 0, 0.5).
/// </summary>
public class MaxoutTests
{
    private static Network Net() =>
        Network.Create(2, [new Maxout(2, 1, 2)], Parameters.FromArray(Network.LayoutOf(2, [new Maxout(2, 1, 2)]).Layout, [1, 0, 0, 1, 0, 0.5]));

    [Fact]
    public void Maxout_004_by_hand()
    {
        var net = Net();
        // x = (3, 1): max(3, 1.5) = 3 (piece 0); x = (1, 2): max(1, 2.5) = 2.5 (piece 1)
        Equal([3], net.Apply(V(3, 1)), 0);
        Equal([2.5], net.Apply(V(1, 2)), 0);
        // Jacobians follow the winning piece: ∂y/∂x = W⁽ⁱ*⁾; ∂y/∂θ = x at the winner's W row, 1 at its bias.
        Equal(new double[,] { { 1, 0 } }, net.InputJacobian(V(3, 1)), 0);
        Equal(new double[,] { { 0, 1 } }, net.InputJacobian(V(1, 2)), 0);
        Equal(new double[,] { { 0, 0, 1, 2, 0, 1 } }, net.ParameterJacobian(V(1, 2)), 0);
    }

    [Fact]
    public void Maxout_004_tie_takes_the_lowest_piece()
    {
        // x = (1, 0.5): pieces 1 and 0.5 + ½ = 1 tie; the lowest index (piece 0) carries the gradient:
        // ∂y/∂x = W⁽⁰⁾ = (1, 0); ∂y/∂θ = (x, 0, 0, 1, 0) = (1, 0.5, 0, 0, 1, 0).
        var net = Net();
        Equal([1], net.Apply(V(1, 0.5)), 0);
        Equal(new double[,] { { 1, 0 } }, net.InputJacobian(V(1, 0.5)), 0);
        Equal(new double[,] { { 1, 0.5, 0, 0, 1, 0 } }, net.ParameterJacobian(V(1, 0.5)), 0);
    }

    [Fact]
    public void Maxout_004_backward_on_a_batch_by_hand()
    {
        // Rows x = (3, 1) (piece 0) and (1, 2) (piece 1), upstream dY = (2, 5):
        // dW⁽⁰⁾ = 2·(3, 1) = (6, 2), dW⁽¹⁾ = 5·(1, 2) = (5, 10), db = (2, 5); dX = (2·W⁽⁰⁾, 5·W⁽¹⁾) = ((2, 0), (0, 5)).
        var layer = new Maxout(2, 1, 2);
        double[] theta = [1, 0, 0, 1, 0, 0.5];
        var x = new MathDnn.Kernels.Mat<double>([3, 1, 1, 2], 2, 2);
        var y = new MathDnn.Kernels.Mat<double>(2, 1);
        layer.ForwardOn<double>(theta, x, y);
        Assert.Equal([3, 2.5], y.Data);
        var dy = new MathDnn.Kernels.Mat<double>([2, 5], 2, 1);
        var dx = new MathDnn.Kernels.Mat<double>(2, 2);
        var grad = new double[6];
        layer.BackwardOn<double>(theta, x, y, dy, dx, grad);
        Assert.Equal([6, 2, 5, 10, 2, 5], grad);
        Assert.Equal([2, 0, 0, 5], dx.Data);
        Assert.Equal([3, 1, 1, 2], x.Data); // input unchanged
    }

    [Fact]
    public void Maxout_width_error_names_both_widths()
    {
        var ex = Assert.Throws<ArgumentException>(() => Network.Create(3, [new Maxout(2, 1, 2)]));
        Assert.Contains("width 2", ex.Message);
        Assert.Contains("the network input has rows of width 3", ex.Message);
        Assert.DoesNotContain("layer -1", ex.Message);
        Assert.Throws<ArgumentException>(() => new Maxout(2, 1, 0));
    }
}
