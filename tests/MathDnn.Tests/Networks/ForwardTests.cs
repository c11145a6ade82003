using MathDnn.Activations;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Networks;

/// <summary>
/// The public forward pass N(X) = ℓ_p(⋯ℓ_1(X)) (003 Notation 7) on the GEMM kernels — Forward, Apply, Predict,
/// Forward&lt;T&gt; — against the layers run one after the other (Layer.Forward), bit for bit in double.
/// </summary>
public class ForwardTests
{
    private static readonly (string Name, int Input, Func<Layer[]> Layers)[] Nets =
    [
        ("𝒩_c+ 5-7-4-3", 5, () => [new Dense(5, 7), new Relu(), new Dense(7, 4), new Relu(), new Dense(4, 3), new Softmax()]),
        ("dense sigmoid maxout tanh dense", 6, () => [new Dense(6, 5), new Sigmoid(), new Maxout(5, 3, 2), new Tanh(), new Dense(3, 4)]),
        ("dense 50→3 elu →50", 50, () => [new Dense(50, 3), new Elu(), new Dense(3, 50)]),
        ("tanh first: tanh dense softmax", 4, () => [new Tanh(), new Dense(4, 3), new Softmax()]),
        ("maxout first: maxout elu dense leaky", 4, () => [new Maxout(4, 3, 2), new Elu(), new Dense(3, 2), new LeakyRelu(0.1)]),
        ("identity only", 3, () => [new Identity()]),
        ("one dense layer 4→3", 4, () => [new Dense(4, 3)]),
    ];

    private static Network Net(int id) => Network.Create(Nets[id].Input, Nets[id].Layers(), seed: 60 + id);

    public static IEnumerable<object[]> IdsAndBatchSizes() =>
        from id in Enumerable.Range(0, Nets.Length) from k in new[] { 1, 2, 7, 40 } select new object[] { id, k };

    /// <summary>The layers one after the other on the whole batch, row-major, in T (θ rounded to T).</summary>
    private static T[] Reference<T>(Network net, ReadOnlySpan<T> x, int k) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var a = new Mat<T>(x.ToArray(), k, net.InputSize);
        for (int l = 0; l < net.Layers.Length; l++)
        {
            var p = JacobianOracle.Slice(net, l).ToArray().Select(T.CreateTruncating).ToArray();
            var b = new Mat<T>(k, net.Widths[l + 1]);
            net.Layers[l].ForwardOn<T>(p, a, b);
            a = b;
        }
        return a.Data;
    }

    private static Matrix<double> Reference(Network net, Matrix<double> x) =>
        Matrix<double>.Build.DenseOfRowMajor(x.RowCount, net.OutputSize, Reference<double>(net, x.ToRowMajorArray(), x.RowCount));

    [Theory]
    [MemberData(nameof(IdsAndBatchSizes))]
    public void Forward_Apply_and_Predict_equal_the_layers_one_after_the_other_bit_for_bit(int id, int k)
    {
        var net = Net(id);
        var x = TestData.Random(k, net.InputSize, seed: 70 + id + k);
        var expected = Reference(net, x);
        Identical(expected, net.Forward(x), $"{Nets[id].Name} Forward, k = {k}");
        var spans = new double[k * net.OutputSize];
        net.Forward<double>(x.ToRowMajorArray(), spans);
        Identical(expected, Matrix<double>.Build.DenseOfRowMajor(k, net.OutputSize, spans), $"Forward<double>, k = {k}");
        var predicted = net.Predict(x);
        for (int i = 0; i < k; i++)
        {
            // Predict is the first index of the row's maximum.
            var row = expected.Row(i);
            Assert.Equal(row.MaximumIndex(), predicted[i]);
            // One row alone is the reference on that row alone.
            Identical(Reference(net, x.SubMatrix(i, 1, 0, net.InputSize)), net.Apply(x.Row(i)).ToRowMatrix(), $"Apply row {i}");
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndBatchSizes))]
    public void Forward_in_float_is_the_float_layers_one_after_the_other_and_near_double(int id, int k)
    {
        var net = Net(id);
        var x = TestData.Random(k, net.InputSize, seed: 80 + id + k);
        var xf = x.ToRowMajorArray().Select(v => (float)v).ToArray();
        var y = new float[k * net.OutputSize];
        net.Forward<float>(xf, y);
        // θ rounded to nearest float once, the same kernels in float: the same bits.
        Identical<float>(Reference<float>(net, xf, k), y, $"{Nets[id].Name} Forward<float>, k = {k}");
        // Against double, to first order: layer l injects an error e_l into its output and the layers after it carry it
        // to N by their Jacobian D_l, so |ΔN| ≤ Σ_l |D_l|·|e_l|. A dense or maxout layer's pre-activations, θ and its input
        // rounded to float and summed over n_l terms, err by ≤ (n_l + 2)·ε_float/2·(|W||y_{l−1}| + |b|) (Higham §3.5); an
        // activation evaluated in float errs by a few ulps of its output, ≤ 4·ε_float·|y_l|. ForwardBound computes that sum
        // with the oracle's per-layer Jacobians at each row; twice it is the tolerance.
        var expected = Reference(net, x);
        double tol = 2 * Enumerable.Range(0, k).Max(r => ForwardBound(net, x.Row(r)));
        Equal(expected, (ReadOnlySpan<float>)y, tol, "float vs double");
    }

    /// <summary>ε_float·Σ_l max(|D_l|·|e_l|) as derived in the float test, D_l = |J_p|⋯|J_{l+1}|.</summary>
    private static double ForwardBound(Network net, Vector<double> x)
    {
        var acts = JacobianOracle.Activations(net, x);
        var layerJ = JacobianOracle.LayerJacobians(net, x);
        var downstream = Matrix<double>.Build.DenseIdentity(net.OutputSize);
        double bound = 0;
        for (int l = net.Layers.Length - 1; l >= 0; l--)
        {
            Vector<double> e;
            if (net.Layers[l] is Dense or Maxout)
            {
                var layer = net.Layers[l];
                int rows = layer is Maxout mo ? mo.Pieces * mo.Outputs : ((Dense)layer).Outputs, n = acts[l].Count;
                var p = JacobianOracle.Slice(net, l).ToArray();
                var w = Matrix<double>.Build.DenseOfRowMajor(rows, n, p[..(rows * n)]).PointwiseAbs();
                var z = w * acts[l].PointwiseAbs() + Vector<double>.Build.Dense(p[(rows * n)..]).PointwiseAbs();
                // maxout's output error is that of the winning piece: at most the largest over the pieces of each unit.
                int m = net.Widths[l + 1];
                e = Vector<double>.Build.Dense(m, u => Enumerable.Range(0, rows / m).Max(i => z[i * m + u]) * (n + 2) * JacobianOracle.EpsFloat / 2);
            }
            else e = acts[l + 1].PointwiseAbs() * 4 * JacobianOracle.EpsFloat;
            bound += (downstream * e).Max();
            downstream *= layerJ[l].PointwiseAbs();
        }
        // The input's own rounding, ε_float/2·|x|, carried by the whole Jacobian.
        return bound + (downstream * acts[0].PointwiseAbs()).Max() * JacobianOracle.EpsFloat / 2;
    }

    public static IEnumerable<object[]> Ids() => Enumerable.Range(0, Nets.Length).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Ids))]
    public void Non_dense_matrix_inputs_give_the_same_bits(int id)
    {
        var net = Net(id);
        int k = 5, n = net.InputSize;
        var dense = TestData.Random(k, n, seed: 90 + id);
        // Sparse (compressed rows): every other entry zero.
        var sparse = Matrix<double>.Build.Sparse(k, n);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++)
                if ((i + j) % 2 == 0) sparse[i, j] = dense[i, j];
        Identical(Reference(net, sparse), net.Forward(sparse), $"{Nets[id].Name} sparse");
        Assert.Equal(Reference(net, sparse).EnumerateRows().Select(r => r.MaximumIndex()), net.Predict(sparse));
        // Diagonal storage (k×n with the diagonal set).
        var diagonal = Matrix<double>.Build.Diagonal(k, n, [.. Enumerable.Range(0, Math.Min(k, n)).Select(i => dense[i, i])]);
        Identical(Reference(net, diagonal), net.Forward(diagonal), "diagonal");
        // A dense matrix built from a row-major array and one from a copy of a sub-matrix.
        Identical(Reference(net, dense), net.Forward(Matrix<double>.Build.DenseOfRowMajor(k, n, dense.ToRowMajorArray())), "from row-major");
        var big = TestData.Random(k + 3, n + 2, seed: 91 + id);
        var sub = big.SubMatrix(2, k, 1, n);
        Identical(Reference(net, sub), net.Forward(sub), "sub-matrix");
        // A transposed matrix (its storage is a fresh column-major copy).
        var t = dense.Transpose().Transpose();
        Identical(Reference(net, dense), net.Forward(t), "transposed twice");
    }

    public static IEnumerable<object[]> NonFinite() =>
        from id in new[] { 0, 3, 4 } from v in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity } select new object[] { id, v };

    [Theory]
    [MemberData(nameof(NonFinite))]
    public void Non_finite_inputs_name_their_row_and_column(int id, double bad)
    {
        var net = Net(id);
        int k = 4, n = net.InputSize;
        var x = TestData.Random(k, n, seed: 3);
        x[2, 1] = bad;
        string where = "row 2, column 1";
        Assert.Contains(where, Assert.Throws<ArgumentException>(() => net.Forward(x)).Message);
        Assert.Contains(where, Assert.Throws<ArgumentException>(() => net.Predict(x)).Message);
        var sparse = Matrix<double>.Build.SparseOfMatrix(x);
        Assert.Contains(where, Assert.Throws<ArgumentException>(() => net.Forward(sparse)).Message);
        var rm = x.ToRowMajorArray();
        Assert.Contains(where, Assert.Throws<ArgumentException>(() => net.Forward<double>(rm, new double[k * net.OutputSize])).Message);
        var rf = rm.Select(v => (float)v).ToArray();
        Assert.Contains(where, Assert.Throws<ArgumentException>(() => net.Forward<float>(rf, new float[k * net.OutputSize])).Message);
        // The last row and column, and the first, are named too (the column-major path counts down columns).
        var y = TestData.Random(k, n, seed: 4);
        y[k - 1, n - 1] = bad;
        Assert.Contains($"row {k - 1}, column {n - 1}", Assert.Throws<ArgumentException>(() => net.Forward(y)).Message);
        var z = TestData.Random(k, n, seed: 5);
        z[0, 0] = bad;
        z[3, 0] = bad;
        Assert.Contains("row 0, column 0", Assert.Throws<ArgumentException>(() => net.Forward(z)).Message);
        var v1 = TestData.RandomVector(n, 6);
        v1[n - 1] = bad;
        Assert.Contains($"row 0, column {n - 1}", Assert.Throws<ArgumentException>(() => net.Apply(v1)).Message);
    }

    [Fact]
    public void Non_finite_in_a_later_column_of_an_earlier_row_is_found_in_row_major_order_or_named_exactly()
    {
        // Two bad entries: (0, 3) and (2, 0). Whichever is reported, it must be named by its own row and column.
        var net = Net(0);
        var x = TestData.Random(3, 5, seed: 7);
        x[0, 3] = double.NaN;
        x[2, 0] = double.NaN;
        string msg = Assert.Throws<ArgumentException>(() => net.Forward(x)).Message;
        Assert.True(msg.Contains("row 0, column 3") || msg.Contains("row 2, column 0"), msg);
    }

    [Fact]
    public void Shape_errors_name_the_shapes()
    {
        var net = Net(0);
        var ex = Assert.Throws<ArgumentException>(() => net.Forward(TestData.Random(3, 4, 1)));
        Assert.Contains("3×4", ex.Message);
        Assert.Contains("5", ex.Message);
        Assert.Throws<ArgumentException>(() => net.Apply(TestData.RandomVector(4, 1)));
        Assert.Throws<ArgumentException>(() => net.Predict(TestData.Random(2, 6, 1)));
        Assert.Contains("12", Assert.Throws<ArgumentException>(() => net.Forward<double>(new double[12], new double[6])).Message);
        Assert.Throws<ArgumentException>(() => net.Forward<double>(new double[10], new double[5]));
        Assert.Throws<ArgumentException>(() => net.Forward<double>([], []));
    }

    [Fact]
    public void Forward_is_deterministic_and_pure()
    {
        var net = Net(1);
        var x = TestData.Random(9, 6, seed: 8);
        var (xc, theta) = (x.Clone(), net.Parameters.ToArray());
        Identical(net.Forward(x), net.Forward(x), "Forward");
        Assert.Equal(net.Predict(x), net.Predict(x));
        Assert.Equal(net.Apply(x.Row(3)), net.Apply(x.Row(3)));
        var rm = x.ToRowMajorArray();
        var rmc = (double[])rm.Clone();
        var (a, b) = (new double[9 * 4], new double[9 * 4]);
        net.Forward<double>(rm, a);
        net.Forward<double>(rm, b);
        Identical<double>(a, b, "Forward<double>");
        var rf = rm.Select(v => (float)v).ToArray();
        var rfc = (float[])rf.Clone();
        var (fa, fb) = (new float[9 * 4], new float[9 * 4]);
        net.Forward<float>(rf, fa);
        net.Forward<float>(rf, fb);
        Identical<float>(fa, fb, "Forward<float>");
        // A float call does not change the double results (θ's float copy is separate).
        Identical(Reference(net, x), net.Forward(x), "double after float");
        Identical(xc, x, "X");
        Identical<double>(rmc, rm, "input span");
        Identical<float>(rfc, rf, "float input span");
        Identical<double>(theta, net.Parameters.ToArray(), "θ");
    }
}
