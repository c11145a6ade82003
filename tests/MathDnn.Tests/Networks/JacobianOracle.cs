using MathDnn.Activations;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Networks;

/// <summary>
/// The reference every structured Jacobian is compared to: the textbook products of 003 Thm 1.3 built from the layers'
/// own dense Jacobians (Layer.InputJacobian / Layer.ParameterJacobian, the pre-structured code), one sample at a time.
/// J_N(x) = J_p·…·J_1 accumulated from the input side starting from the identity; the parameter Jacobian's block of layer
/// k is D_k·J_θk with D_k = J_p·…·J_{k+1} the downstream Jacobian (003 Props 4.2–4.3).
/// </summary>
internal static class JacobianOracle
{
    /// <summary>ε = 2⁻⁵², the spacing of doubles at 1.</summary>
    public const double Eps = 1.0 / 4503599627370496.0;

    /// <summary>ε_float = 2⁻²⁴, the unit roundoff of float.</summary>
    public const double EpsFloat = 1.0 / 16777216.0;

    /// <summary>acts[0] = x, acts[k + 1] = ℓ_k(acts[k]), each layer run alone on one row.</summary>
    public static Vector<double>[] Activations(Network net, Vector<double> x)
    {
        var acts = new Vector<double>[net.Layers.Length + 1];
        acts[0] = x.Clone();
        for (int k = 0; k < net.Layers.Length; k++)
        {
            var y = new Mat<double>(1, net.Widths[k + 1]);
            net.Layers[k].ForwardOn<double>(Slice(net, k), Mat.FromRow(acts[k]), y);
            acts[k + 1] = Vector<double>.Build.Dense(y.Data);
        }
        return acts;
    }

    public static ReadOnlySpan<double> Slice(Network net, int k) =>
        net.Parameters.AsSpan().Slice(net.ParameterOffset(k), net.Layers[k].ParameterCount);

    /// <summary>J_{ℓ_k}(acts[k]) for every layer, dense.</summary>
    public static Matrix<double>[] LayerJacobians(Network net, Vector<double> x)
    {
        var acts = Activations(net, x);
        return [.. Enumerable.Range(0, net.Layers.Length).Select(k => net.Layers[k].InputJacobian(Slice(net, k), acts[k]))];
    }

    /// <summary>J_N(x) = J_p·(…·(J_1·I)) (003 Thm 1.3).</summary>
    public static Matrix<double> InputJacobian(Network net, Vector<double> x)
    {
        var j = Matrix<double>.Build.DenseIdentity(net.InputSize);
        foreach (var jk in LayerJacobians(net, x)) j = jk * j;
        return j;
    }

    /// <summary>[D_1·J_θ1 | … | D_p·J_θp] with D_k the product of the Jacobians of the layers after k.</summary>
    public static Matrix<double> ParameterJacobian(Network net, Vector<double> x)
    {
        var acts = Activations(net, x);
        var layerJ = LayerJacobians(net, x);
        var result = Matrix<double>.Build.Dense(net.OutputSize, net.ParameterCount);
        var downstream = Matrix<double>.Build.DenseIdentity(net.OutputSize);
        for (int k = net.Layers.Length - 1; k >= 0; k--)
        {
            if (net.Layers[k].ParameterCount > 0)
                result.SetSubMatrix(0, net.ParameterOffset(k), downstream * net.Layers[k].ParameterJacobian(Slice(net, k), acts[k]));
            downstream *= layerJ[k];
        }
        return result;
    }

    /// <summary>
    /// max over entries of |J_p|·…·|J_1| (absolute values entry-wise), at least 1: the scale that bounds the rounding error
    /// of any association of the chain (Higham, Accuracy and Stability, §3.5: |fl(AB) − AB| ≤ γ_n·|A|·|B|).
    /// </summary>
    public static double InputScale(Network net, Vector<double> x)
    {
        var a = Matrix<double>.Build.DenseIdentity(net.InputSize);
        foreach (var jk in LayerJacobians(net, x)) a = jk.PointwiseAbs() * a;
        return Math.Max(1, a.Enumerate().Max());
    }

    /// <summary>The same for the parameter Jacobian: max over layers of |D_k|·|J_θk|, with |D_k| = |J_p|·…·|J_{k+1}|.</summary>
    public static double ParameterScale(Network net, Vector<double> x)
    {
        var acts = Activations(net, x);
        var layerJ = LayerJacobians(net, x);
        var downstream = Matrix<double>.Build.DenseIdentity(net.OutputSize);
        double max = 1;
        for (int k = net.Layers.Length - 1; k >= 0; k--)
        {
            if (net.Layers[k].ParameterCount > 0)
                max = Math.Max(max, (downstream * net.Layers[k].ParameterJacobian(Slice(net, k), acts[k]).PointwiseAbs()).Enumerate().Max());
            downstream *= layerJ[k].PointwiseAbs();
        }
        return max;
    }

    /// <summary>
    /// S = Σ over the chain's factors of (rows + columns), maxout's k·m pieces counted: every inner dimension of every
    /// product of the chain, whatever its association, is at most one of these.
    /// </summary>
    public static int ChainWidth(Network net)
    {
        int s = 0;
        for (int k = 0; k < net.Layers.Length; k++)
            s += net.Widths[k] + net.Widths[k + 1] + (net.Layers[k] is Maxout mo ? mo.Pieces * mo.Outputs : 0);
        return s;
    }

    // Tolerances. A product with inner dimension n errs by at most γ_n|A||B| ≈ n·ε/2 entry-wise; to first order the errors
    // of a chain add, so any association of J_p⋯J_1 errs by ≤ (Σ inner dims)·ε/2·max(|J_p|⋯|J_1|) ≤ S·ε/2·B. The reference
    // and the path under test each err that much, and the activation derivatives they multiply may be evaluated at
    // pre-activations that differ by as much again (|f''| ≤ 1 for every activation here): 8·S·ε·B is that bound with a
    // factor 2 to spare. In float the path also rounds θ and x to float (ε_float/2 each, relative) and runs the forward pass
    // in float, whose pre-activation errors (≤ n·ε_float/2 relative to |W||x|) reach the derivatives the same way; with
    // ε_float = 2⁻²⁴ in place of ε and a factor 4 more for those two extra roundings: 32·S·ε_float·B.

    public static double Tolerance64(int chainWidth, double scale) => 8 * chainWidth * Eps * scale;

    public static double Tolerance32(int chainWidth, double scale) => 32 * chainWidth * EpsFloat * scale;

    public static double InputTolerance64(Network net, Vector<double> x) => Tolerance64(ChainWidth(net), InputScale(net, x));
    public static double InputTolerance32(Network net, Vector<double> x) => Tolerance32(ChainWidth(net), InputScale(net, x));
    public static double ParameterTolerance64(Network net, Vector<double> x) => Tolerance64(ChainWidth(net), ParameterScale(net, x));
    public static double ParameterTolerance32(Network net, Vector<double> x) => Tolerance32(ChainWidth(net), ParameterScale(net, x));

    // ---- the seeded random networks ----

    /// <summary>Depth 1–4 (dense or maxout layers), every activation, softmax only at the end, maxout, and widths that make each order the cheapest.</summary>
    public static readonly (string Name, int Input, Func<Layer[]> Layers)[] Architectures =
    [
        ("dense 4→3", 4, () => [new Dense(4, 3)]),
        ("4→6 relu →3", 4, () => [new Dense(4, 6), new Relu(), new Dense(6, 3)]),
        ("5→7 leaky →4 elu →3 softmax", 5, () => [new Dense(5, 7), new LeakyRelu(0.1), new Dense(7, 4), new Elu(), new Dense(4, 3), new Softmax()]),
        ("6→5 sigmoid →5 tanh →4 identity →3 softmax", 6,
            () => [new Dense(6, 5), new Sigmoid(), new Dense(5, 5), new Tanh(), new Dense(5, 4), new Identity(), new Dense(4, 3), new Softmax()]),
        ("maxout 4→3×3 tanh →2", 4, () => [new Maxout(4, 3, 3), new Tanh(), new Dense(3, 2)]),
        ("5→6 relu maxout 6→4×2 maxout 4→3×3 softmax", 5, () => [new Dense(5, 6), new Relu(), new Maxout(6, 4, 2), new Maxout(4, 3, 3), new Softmax()]),
        ("tanh softmax (no parameters)", 4, () => [new Tanh(), new Softmax()]),
        ("elu then dense 3→4", 3, () => [new Elu(), new Dense(3, 4)]),
        ("50→3 tanh →50", 50, () => [new Dense(50, 3), new Tanh(), new Dense(3, 50)]),
        ("3→50 relu →3", 3, () => [new Dense(3, 50), new Relu(), new Dense(50, 3)]),
        ("10→200 sigmoid →10 softmax", 10, () => [new Dense(10, 200), new Sigmoid(), new Dense(200, 10), new Softmax()]),
        ("2→260 softmax (wider than a stack buffer)", 2, () => [new Dense(2, 260), new Softmax()]),
    ];

    public static Network Net(int id) => Network.Create(Architectures[id].Input, Architectures[id].Layers(), seed: 100 + id);

    /// <summary>The seeded batch of architecture <paramref name="id"/>: k rows in [−1, 1].</summary>
    public static Matrix<double> Batch(int id, int k) => TestData.Random(k, Architectures[id].Input, seed: 200 + 10 * id + k);

    public static IEnumerable<object[]> Ids() => Enumerable.Range(0, Architectures.Length).Select(i => new object[] { i });

    /// <summary>Each architecture with a batch size in 1…7 (they cycle, so every size occurs).</summary>
    public static IEnumerable<object[]> IdsAndBatchSizes() => Enumerable.Range(0, Architectures.Length).Select(i => new object[] { i, i % 7 + 1 });
}
