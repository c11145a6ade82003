using MathDnn.Jacobians;
using MathDnn.Layers;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Tests.Approx;
using static MathDnn.Tests.Networks.JacobianOracle;
using Oracle = MathDnn.Tests.Networks.JacobianOracle;

namespace MathDnn.Tests.Networks;

/// <summary>
/// The network's structured Jacobians (003 Thm 1.3 with 003 Props 2.1, 2.2, 4.1–4.3, 5.1) against the textbook oracle
/// (<see cref="JacobianOracle"/>) on seeded random networks; tolerances are derived there.
/// </summary>
public class NetworkJacobianTests
{
    private static readonly JacobianOrder[] Orders = [JacobianOrder.Auto, JacobianOrder.FromOutput, JacobianOrder.FromInput];

    public static IEnumerable<object[]> IdsAndOrders() =>
        from id in Enumerable.Range(0, Architectures.Length) from o in Orders select new object[] { id, o };

    public static IEnumerable<object[]> IdsAndBatchSizes() => JacobianOracle.IdsAndBatchSizes();

    [Theory]
    [MemberData(nameof(IdsAndOrders))]
    public void Input_Jacobian_in_every_order_is_the_003_Thm_1_3_product(int id, JacobianOrder order)
    {
        var net = Net(id);
        var x = Batch(id, 1).Row(0);
        var expected = InputJacobian(net, x);
        double tol = InputTolerance64(net, x);
        Equal(expected, net.InputJacobian(x, order), tol, $"{Architectures[id].Name} InputJacobian({order})");
        Equal(expected, net.InputJacobianMap(x).ToMatrix(order), tol, $"{Architectures[id].Name} InputJacobianMap.ToMatrix({order})");
        if (order == JacobianOrder.Auto) Equal(expected, net.InputJacobian(x), tol, "InputJacobian(x)");
    }

    [Theory]
    [MemberData(nameof(IdsAndOrders))]
    public void Batched_input_Jacobians_are_the_003_Thm_1_3_product_at_every_row(int id, JacobianOrder order)
    {
        var net = Net(id);
        int k = id % 7 + 1;
        var x = Batch(id, k);
        var matrices = net.InputJacobians(x, order);
        int m = net.OutputSize, n = net.InputSize;
        var rowMajor = x.ToRowMajorArray();
        var spans = new double[k * m * n];
        net.InputJacobians<double>(rowMajor, spans, order);
        var floats = new float[k * m * n];
        net.InputJacobians<float>([.. rowMajor.Select(v => (float)v)], floats, order);
        Assert.Equal(k, matrices.Length);
        for (int s = 0; s < k; s++)
        {
            var expected = InputJacobian(net, x.Row(s));
            double tol = InputTolerance64(net, x.Row(s));
            Equal(expected, matrices[s], tol, $"{Architectures[id].Name} InputJacobians sample {s}");
            Equal(expected, (ReadOnlySpan<double>)spans.AsSpan(s * m * n, m * n), tol, $"span<double> sample {s}");
            Equal(expected, (ReadOnlySpan<float>)floats.AsSpan(s * m * n, m * n), InputTolerance32(net, x.Row(s)), $"span<float> sample {s}");
        }
    }

    [Fact]
    public void Batched_input_Jacobians_for_every_batch_size_1_to_7_on_a_maxout_softmax_network()
    {
        int id = 5;
        var net = Net(id);
        for (int k = 1; k <= 7; k++)
        {
            var x = Batch(id, k);
            foreach (var order in Orders)
            {
                var js = net.InputJacobians(x, order);
                for (int s = 0; s < k; s++)
                    Equal(InputJacobian(net, x.Row(s)), js[s], InputTolerance64(net, x.Row(s)), $"k = {k}, {order}, sample {s}");
            }
            var p = net.ParameterJacobians(x);
            for (int s = 0; s < k; s++)
                Equal(ParameterJacobian(net, x.Row(s)), p[s], ParameterTolerance64(net, x.Row(s)), $"k = {k}, parameter Jacobian sample {s}");
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndBatchSizes))]
    public void Parameter_Jacobians_are_the_downstream_times_layer_blocks_of_003_Props_4_2_and_4_3(int id, int k)
    {
        var net = Net(id);
        var x = Batch(id, k);
        int m = net.OutputSize, p = net.ParameterCount;
        var matrices = net.ParameterJacobians(x);
        var rowMajor = x.ToRowMajorArray();
        var spans = new double[k * m * p];
        net.ParameterJacobians<double>(rowMajor, spans);
        var floats = new float[k * m * p];
        net.ParameterJacobians<float>([.. rowMajor.Select(v => (float)v)], floats);
        for (int s = 0; s < k; s++)
        {
            var xs = x.Row(s);
            var expected = ParameterJacobian(net, xs);
            double tol = ParameterTolerance64(net, xs);
            Equal(expected, net.ParameterJacobian(xs), tol, $"{Architectures[id].Name} ParameterJacobian sample {s}");
            Equal(expected, matrices[s], tol, $"ParameterJacobians sample {s}");
            Equal(expected, net.ParameterJacobianMap(xs).ToMatrix(), tol, $"ParameterJacobianMap.ToMatrix sample {s}");
            if (p == 0) continue;
            Equal(expected, (ReadOnlySpan<double>)spans.AsSpan(s * m * p, m * p), tol, $"span<double> sample {s}");
            Equal(expected, (ReadOnlySpan<float>)floats.AsSpan(s * m * p, m * p), ParameterTolerance32(net, xs), $"span<float> sample {s}");
        }
    }

    [Theory]
    [MemberData(nameof(JacobianOracle.Ids), MemberType = typeof(JacobianOracle))]
    public void Parameter_Jacobian_map_Jvp_and_Vjp_are_J_theta_times_v_and_u_times_J_theta_003_Props_4_2_and_4_3(int id)
    {
        var net = Net(id);
        var x = Batch(id, 1).Row(0);
        var j = ParameterJacobian(net, x);
        var map = net.ParameterJacobianMap(x);
        Assert.Equal(net.OutputSize, map.Rows);
        Assert.Equal(net.ParameterCount, map.Columns);
        var v = TestData.RandomVector(net.ParameterCount, seed: 7 + id);
        var u = TestData.RandomVector(net.OutputSize, seed: 8 + id);
        // J·v and u·J add ≤ |θ| (resp. m_p) more products of entries ≤ 1 in magnitude to each entry's error: with ‖v‖_∞,
        // ‖u‖_∞ ≤ 1 the matrix tolerance times the length of the sum bounds them.
        double tol = ParameterTolerance64(net, x) * Math.Max(1, Math.Max(net.ParameterCount, net.OutputSize));
        Equal(j * v, map.Jvp(v), tol, "Jvp(Vector)");
        Equal(j * v, map.Jvp(Parameters.FromVector(net.Parameters.Layout, v)), tol, "Jvp(Parameters)");
        Equal(u * j, map.Vjp(u).ToVector(), tol, "Vjp");
        Assert.Equal(net.Parameters.Layout, map.Vjp(u).Layout);
    }

    [Theory]
    [MemberData(nameof(IdsAndBatchSizes))]
    public void Network_Jvp_and_Vjp_on_a_batch_are_J_times_v_and_u_times_J_and_adjoint_003_Thm_1_3(int id, int k)
    {
        var net = Net(id);
        var x = Batch(id, k);
        var v = TestData.Random(k, net.InputSize, seed: 31 + id);
        var u = TestData.Random(k, net.OutputSize, seed: 37 + id);
        var (output, tangent) = net.Jvp(x, v);
        var cotangent = net.Vjp(x, u);
        Assert.Equal(k, tangent.RowCount);
        Assert.Equal(k, cotangent.RowCount);
        Equal(Reference(net, x), output, 8 * ChainWidth(net) * Eps * Math.Max(1, Reference(net, x).Enumerate().Max(Math.Abs)), "Jvp output");
        var rowMajor = x.ToRowMajorArray();
        var fx = rowMajor.Select(t => (float)t).ToArray();
        var ft = new float[k * net.OutputSize];
        var fy = new float[k * net.OutputSize];
        net.Jvp<float>(fx, [.. v.ToRowMajorArray().Select(t => (float)t)], fy, ft);
        var fc = new float[k * net.InputSize];
        net.Vjp<float>(fx, [.. u.ToRowMajorArray().Select(t => (float)t)], fc);
        for (int s = 0; s < k; s++)
        {
            var xs = x.Row(s);
            var j = InputJacobian(net, xs);
            // As for J_θ·v: the sums over m_0 (resp. m_p) entries of v, u ≤ 1 scale the matrix tolerance by their length.
            int len = Math.Max(net.InputSize, net.OutputSize);
            double tol = InputTolerance64(net, xs) * len, tol32 = InputTolerance32(net, xs) * len;
            Equal(j * v.Row(s), tangent.Row(s), tol, $"Jvp row {s}");
            Equal(u.Row(s) * j, cotangent.Row(s), tol, $"Vjp row {s}");
            Equal(j * v.Row(s), net.Jvp(xs, v.Row(s)), tol, $"Jvp(x, v) row {s}");
            Equal(u.Row(s) * j, net.Vjp(xs, u.Row(s)), tol, $"Vjp(x, u) row {s}");
            Equal(j * v.Row(s), Vector<double>.Build.Dense([.. ft.AsSpan(s * net.OutputSize, net.OutputSize).ToArray().Select(t => (double)t)]), tol32, $"Jvp<float> row {s}");
            Equal(u.Row(s) * j, Vector<double>.Build.Dense([.. fc.AsSpan(s * net.InputSize, net.InputSize).ToArray().Select(t => (double)t)]), tol32, $"Vjp<float> row {s}");
            // ⟨u, J·v⟩ = ⟨u·J, v⟩: each side's error is ≤ tol per entry times ‖·‖₁ of the other vector.
            double lhs = u.Row(s) * tangent.Row(s), rhs = cotangent.Row(s) * v.Row(s);
            Assert.True(Math.Abs(lhs - rhs) <= tol * (u.Row(s).L1Norm() + v.Row(s).L1Norm()), $"adjoint row {s}: {lhs:G17} vs {rhs:G17}");
        }
    }

    /// <summary>N(X) layer by layer, one row at a time.</summary>
    private static Matrix<double> Reference(Network net, Matrix<double> x) =>
        Matrix<double>.Build.DenseOfRowVectors(Enumerable.Range(0, x.RowCount).Select(s => Oracle.Activations(net, x.Row(s))[^1]));

    // ---- the plan (the matrix-chain problem, 003 Thm 1.3's product in the cheapest order) ----

    [Fact]
    public void Auto_plan_multiplies_a_narrow_output_network_784_64_10_from_the_output_side()
    {
        var net = Network.MultiClass([784, 64, 10], seed: 3);
        var x = TestData.RandomVector(784, seed: 4);
        var auto = net.InputJacobianPlan(x);
        var fromOutput = net.InputJacobianPlan(x, JacobianOrder.FromOutput);
        var fromInput = net.InputJacobianPlan(x, JacobianOrder.FromInput);
        Assert.Equal(JacobianOrder.Auto, auto.Order);
        Assert.Equal(JacobianOrder.FromOutput, fromOutput.Order);
        Assert.Equal(JacobianOrder.FromInput, fromInput.Order);
        // F1 = softmax 10, F2 = W₂ 10×64, F3 = diag 64, F4 = W₁ 64×784: the 64×784 factor is met last, by a 10-row product.
        Assert.Equal(4, net.InputJacobianMap(x).FactorCount);
        Assert.EndsWith("·F4)", auto.Association);
        Assert.Equal("(((F1·F2)·F3)·F4)", fromOutput.Association);
        Assert.Equal("(F1·(F2·(F3·F4)))", fromInput.Association);
        Assert.True(auto.Cost <= fromOutput.Cost && auto.Cost <= fromInput.Cost, $"{auto} vs {fromOutput} and {fromInput}");
        Assert.True(auto.Cost < fromInput.Cost, $"{auto} vs {fromInput}");
        // The textbook count of the output side: 10·64·784 multiply-adds for the last product dominate.
        Assert.True(auto.Cost >= 10.0 * 64 * 784, auto.ToString());
    }

    [Fact]
    public void Auto_plan_multiplies_a_narrow_input_network_3_64_200_from_the_input_side()
    {
        var net = Network.MultiClass([3, 64, 200], seed: 3);
        var x = TestData.RandomVector(3, seed: 4);
        var auto = net.InputJacobianPlan(x);
        var fromOutput = net.InputJacobianPlan(x, JacobianOrder.FromOutput);
        var fromInput = net.InputJacobianPlan(x, JacobianOrder.FromInput);
        // F1 = softmax 200, F2 = W₂ 200×64: the 200-wide factors are met last, by a 3-column product.
        Assert.StartsWith("(F1·", auto.Association);
        Assert.True(auto.Cost <= fromOutput.Cost && auto.Cost <= fromInput.Cost, $"{auto} vs {fromOutput} and {fromInput}");
        Assert.True(auto.Cost < fromOutput.Cost, $"{auto} vs {fromOutput}");
        // Every order still gives J.
        var expected = InputJacobian(net, x);
        foreach (var order in Orders) Equal(expected, net.InputJacobian(x, order), InputTolerance64(net, x), order.ToString());
    }

    [Fact]
    public void Plan_is_the_map_plan_and_an_undefined_order_is_refused()
    {
        var net = Net(3);
        var x = Batch(3, 1).Row(0);
        foreach (var order in Orders) Assert.Equal(net.InputJacobianMap(x).Plan(order), net.InputJacobianPlan(x, order));
        Assert.Throws<ArgumentException>(() => net.InputJacobian(x, (JacobianOrder)7));
        Assert.Throws<ArgumentException>(() => net.InputJacobians(Batch(3, 2), (JacobianOrder)7));
        Assert.Throws<ArgumentException>(() => net.InputJacobianPlan(x, (JacobianOrder)(-1)));
    }

    // ---- maxout's selection and shapes ----

    [Fact]
    public void Maxout_input_Jacobian_map_is_selection_times_stacked_pieces_003_Thm_1_3_and_Prop_4_1()
    {
        var net = Net(4);
        var x = Batch(4, 1).Row(0);
        var map = net.InputJacobianMap(x);
        // dense 2×3 · diagonal 3 · selection 3×9 · dense 9×4
        Assert.Equal(4, map.FactorCount);
        Assert.Contains("selection", map.Structure[2]);
        Assert.Contains("dense", map.Structure[3]);
        Assert.Contains("diagonal", map.Structure[1]);
        Assert.Equal(3, map.Factor(2).Rows);
        Assert.Equal(9, map.Factor(2).Columns);
        Equal(net.Layers[2].InputJacobian(Slice(net, 2), Oracle.Activations(net, x)[2]), map.Factor(0).ToMatrix(), 0, "the last dense factor is W");
    }

    [Fact]
    public void Input_Jacobian_rejects_wrong_shapes_and_names_them()
    {
        var net = Net(2);
        var ex = Assert.Throws<ArgumentException>(() => net.InputJacobian(TestData.RandomVector(4, 1)));
        Assert.Contains("1×5", ex.Message);
        Assert.Contains("1×4", ex.Message);
        Assert.Throws<ArgumentException>(() => net.InputJacobians(TestData.Random(2, 4, 1)));
        Assert.Throws<ArgumentException>(() => net.InputJacobians<double>(new double[9], new double[3 * 5]));
        var span = Assert.Throws<ArgumentException>(() => net.InputJacobians<double>(new double[10], new double[2 * 3 * 5 - 1]));
        Assert.Contains("29", span.Message);
        Assert.Throws<ArgumentException>(() => net.ParameterJacobians<double>(new double[10], new double[1]));
        var jvp = Assert.Throws<ArgumentException>(() => net.Jvp(TestData.Random(2, 5, 1), TestData.Random(3, 5, 2)));
        Assert.Contains("3×5", jvp.Message);
        Assert.Throws<ArgumentException>(() => net.Vjp(TestData.Random(2, 5, 1), TestData.Random(2, 4, 2)));
        Assert.Throws<ArgumentException>(() => net.ParameterJacobianMap(TestData.RandomVector(5, 1)).Jvp(TestData.RandomVector(3, 1)));
        var other = Net(3);
        var layout = Assert.Throws<ArgumentException>(() => net.ParameterJacobianMap(TestData.RandomVector(5, 1)).Jvp(other.Parameters));
        Assert.Contains("layout", layout.Message);
        Assert.Throws<ArgumentException>(() => net.ParameterJacobianMap(TestData.RandomVector(5, 1)).Vjp(TestData.RandomVector(4, 1)));
    }

    [Fact]
    public void Non_finite_input_to_a_Jacobian_is_refused_with_its_place()
    {
        var net = Net(2);
        var x = TestData.Random(3, 5, 1);
        x[2, 4] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => net.InputJacobians<double>(x.ToRowMajorArray(), new double[3 * 3 * 5]));
        Assert.Contains("row 2, column 4", ex.Message);
        var v = TestData.RandomVector(5, 1);
        v[3] = double.PositiveInfinity;
        Assert.Contains("column 3", Assert.Throws<ArgumentException>(() => net.InputJacobian(v)).Message);
    }

    // ---- determinism and purity ----

    [Fact]
    public void Jacobians_are_deterministic_and_leave_their_inputs_and_the_network_unchanged()
    {
        int id = 5;
        var net = Net(id);
        var theta = net.Parameters.ToArray();
        var x = Batch(id, 4);
        var xCopy = x.Clone();
        var v = TestData.Random(4, net.InputSize, 3);
        var vCopy = v.Clone();
        var u = TestData.Random(4, net.OutputSize, 4);
        var uCopy = u.Clone();
        var rowMajor = x.ToRowMajorArray();
        var rowMajorCopy = (double[])rowMajor.Clone();

        foreach (var order in Orders)
        {
            var a = net.InputJacobians(x, order);
            var b = net.InputJacobians(x, order);
            for (int s = 0; s < a.Length; s++) Identical(a[s], b[s], $"InputJacobians {order} sample {s}");
            Identical(net.InputJacobian(x.Row(0), order), net.InputJacobian(x.Row(0), order), $"InputJacobian {order}");
        }
        var p1 = net.ParameterJacobians(x);
        var p2 = net.ParameterJacobians(x);
        for (int s = 0; s < p1.Length; s++) Identical(p1[s], p2[s], $"ParameterJacobians sample {s}");
        var s1 = new double[4 * net.OutputSize * net.ParameterCount];
        var s2 = new double[s1.Length];
        net.ParameterJacobians<double>(rowMajor, s1);
        net.ParameterJacobians<double>(rowMajor, s2);
        Identical<double>(s1, s2, "ParameterJacobians<double>");
        var j1 = new double[4 * net.OutputSize * net.InputSize];
        var j2 = new double[j1.Length];
        net.InputJacobians<double>(rowMajor, j1);
        net.InputJacobians<double>(rowMajor, j2);
        Identical<double>(j1, j2, "InputJacobians<double>");
        Identical(net.Jvp(x, v).Tangent, net.Jvp(x, v).Tangent, "Jvp");
        Identical(net.Vjp(x, u), net.Vjp(x, u), "Vjp");
        var map = net.ParameterJacobianMap(x.Row(0));
        var pv = TestData.RandomVector(net.ParameterCount, 5);
        var pvCopy = pv.Clone();
        Assert.Equal(map.Jvp(pv), map.Jvp(pv));
        Assert.Equal(map.Vjp(u.Row(0)).ToArray(), map.Vjp(u.Row(0)).ToArray());

        Identical(xCopy, x, "X");
        Identical(vCopy, v, "V");
        Identical(uCopy, u, "U");
        Identical<double>(rowMajorCopy, rowMajor, "input span");
        Assert.Equal(pvCopy, pv);
        Identical<double>(theta, net.Parameters.ToArray(), "θ");
    }
}
