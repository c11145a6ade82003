using MathDnn.Activations;
using MathDnn.Calculus;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Tests.Approx;
using Oracle = MathDnn.Tests.Networks.JacobianOracle;

namespace MathDnn.Tests.Networks;

/// <summary>
/// Per-sample gradients g_i = ∇_θ ξ(N(x_i; θ), y_i*), the terms of the objective of 003 Def 5.2 before the sum, built from
/// the downstream gradients (003 Props 5.1–5.3) and the dense layer's outer products (003 Props 4.2, 4.3, 5.2); their
/// norms, clipped sums, and the input gradient.
/// </summary>
public class PerSampleGradientTests
{
    private const int K = 6;

    private static readonly (string Name, Func<Network> Net, Loss Loss)[] Cases =
    [
        ("𝒩_c+ 5-7-4-3, cross-entropy", () => Network.MultiClass([5, 7, 4, 3], seed: 11), new CategoricalCrossEntropy()),
        ("dense tanh maxout softmax, cross-entropy", () => Network.Create(4, [new Dense(4, 6), new Tanh(), new Maxout(6, 4, 2), new Softmax()], seed: 12),
            new CategoricalCrossEntropy()),
        ("tanh first, dense softmax, cross-entropy", () => Network.Create(4, [new Tanh(), new Dense(4, 3), new Softmax()], seed: 13), new CategoricalCrossEntropy()),
        ("dense elu maxout dense, mean squared error", () => Network.Create(4, [new Dense(4, 6), new Elu(), new Maxout(6, 3, 3), new Dense(3, 2)], seed: 14),
            new MeanSquaredError()),
        ("dense sigmoid dense sigmoid, mean squared error", () => Network.Create(3, [new Dense(3, 5), new Sigmoid(), new Dense(5, 3), new Sigmoid()], seed: 15),
            new MeanSquaredError()),
    ];

    public static IEnumerable<object[]> CasesAndReductions() =>
        from i in Enumerable.Range(0, Cases.Length) from r in new[] { Reduction.Sum, Reduction.Mean } select new object[] { i, r };

    public static IEnumerable<object[]> CaseIds() => Enumerable.Range(0, Cases.Length).Select(i => new object[] { i });

    private static (Network Net, Objective Objective, Matrix<double> X, Matrix<double> Y) Setup(int id, Reduction reduction, int k = K)
    {
        var (_, make, loss) = Cases[id];
        var net = make();
        var x = TestData.Random(k, net.InputSize, seed: 40 + id);
        var y = loss is CategoricalCrossEntropy ? TestData.OneHot(k, net.OutputSize, seed: 50 + id) : TestData.Random(k, net.OutputSize, seed: 50 + id);
        return (net, new Objective(loss, reduction), x, y);
    }

    private static Matrix<double> Row(Matrix<double> m, int i) => m.SubMatrix(i, 1, 0, m.ColumnCount);

    // The per-sample rows and the batched gradient are built from the same downstream gradients δ, each computed by
    // products whose rounding is ≤ S·ε/2 relative to the products of absolute values (Higham §3.5, S the chain width of
    // JacobianOracle); summing k rows adds ≤ k·ε/2·Σ_i|g_i|. With B = max(1, max_j Σ_i |g_ij|) bounding both scales,
    // 16·(k + S)·ε·B covers the two computations with a factor 4 to spare. In float (ε_float = 2⁻²⁴) θ, X and every
    // intermediate are also rounded once more each: 64·(k + S)·ε_float·B.
    private static double Tolerance64(Network net, Matrix<double> g) => 16 * (g.RowCount + Oracle.ChainWidth(net)) * Oracle.Eps * Scale(g);
    private static double Tolerance32(Network net, Matrix<double> g) => 64 * (g.RowCount + Oracle.ChainWidth(net)) * Oracle.EpsFloat * Scale(g);
    private static double Scale(Matrix<double> g) => Math.Max(1, g.PointwiseAbs().ColumnSums().Max());

    [Theory]
    [MemberData(nameof(CasesAndReductions))]
    public void Per_sample_gradients_sum_to_the_objective_gradient_of_003_Def_5_2(int id, Reduction reduction)
    {
        var (net, objective, x, y) = Setup(id, reduction);
        var g = objective.PerSampleGradients(net, x, y);
        Assert.Equal(K, g.RowCount);
        Assert.Equal(net.ParameterCount, g.ColumnCount);
        var (_, gradient) = objective.ValueAndGradient(net, x, y);
        // Unreduced rows: their sum is ∇𝒪 for Sum and k·∇𝒪 for Mean.
        var expected = gradient.ToVector() * (reduction == Reduction.Mean ? K : 1);
        Equal(expected, g.ColumnSums(), Tolerance64(net, g), $"{Cases[id].Name} {reduction}: Σ_i g_i");
        // The reduction does not change the rows.
        Identical(new Objective(objective.Loss, Reduction.Sum).PerSampleGradients(net, x, y), g, "Sum vs Mean rows");
    }

    [Theory]
    [MemberData(nameof(CasesAndReductions))]
    public void Each_row_is_the_gradient_of_the_one_sample_objective_003_Def_5_2(int id, Reduction reduction)
    {
        var (net, objective, x, y) = Setup(id, reduction);
        var g = objective.PerSampleGradients(net, x, y);
        double tol = Tolerance64(net, g);
        for (int i = 0; i < K; i++)
        {
            var (_, gi) = objective.ValueAndGradient(net, Row(x, i), Row(y, i)); // one sample: Mean = Sum
            Equal(gi.ToVector(), g.Row(i), tol, $"{Cases[id].Name} row {i}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Norms_are_the_norms_of_the_rows_003_Prop_5_2(int id)
    {
        var (net, objective, x, y) = Setup(id, Reduction.Sum);
        var g = objective.PerSampleGradients(net, x, y);
        var norms = objective.PerSampleGradientNorms(net, x, y);
        Assert.Equal(K, norms.Count);
        // ‖δ‖²(‖x‖² + 1) per layer vs Σ g_ij² directly: each is a sum of ≤ |θ| + S products, ≤ (|θ| + S)·ε relative.
        double tol = 4 * (net.ParameterCount + Oracle.ChainWidth(net)) * Oracle.Eps * Math.Max(1, norms.Max());
        for (int i = 0; i < K; i++)
            Assert.True(Math.Abs(g.Row(i).L2Norm() - norms[i]) <= tol, $"{Cases[id].Name} row {i}: ‖g_i‖ = {g.Row(i).L2Norm():G17}, norm {norms[i]:G17}");
        var norms32 = objective.PerSampleGradientNorms(net, x, y, Precision.Float32);
        double tol32 = Tolerance32(net, g) * Math.Sqrt(net.ParameterCount);
        for (int i = 0; i < K; i++)
            Assert.True(Math.Abs(norms32[i] - norms[i]) <= tol32, $"float32 row {i}: {norms32[i]:G9} vs {norms[i]:G17}");
    }

    [Theory]
    [MemberData(nameof(CasesAndReductions))]
    public void Clipped_sum_is_the_sum_of_rows_scaled_by_min_1_c_over_norm_003_Prop_5_2(int id, Reduction reduction)
    {
        var (net, objective, x, y) = Setup(id, reduction);
        var g = objective.PerSampleGradients(net, x, y);
        var rowNorms = Enumerable.Range(0, K).Select(i => g.Row(i).L2Norm()).ToArray();
        var sorted = rowNorms.Order().ToArray();
        Assert.True(sorted[0] < sorted[^1], "the norms must differ for 'between' to mean something");
        // c below every norm, between the third and fourth, above every norm.
        foreach (var (c, clipped) in new[] { (0.5 * sorted[0], K), ((sorted[2] + sorted[3]) / 2, K - 3), (2 * sorted[^1], 0) })
        {
            var expected = Vector<double>.Build.Dense(net.ParameterCount);
            int count = 0;
            for (int i = 0; i < K; i++)
            {
                double s = Math.Min(1, c / rowNorms[i]);
                if (s < 1) count++;
                expected += g.Row(i) * s;
            }
            Assert.Equal(clipped, count);
            var (sum, norms) = objective.ClippedGradientSum(net, x, y, c);
            // The scales min(1, c/‖g_i‖) differ by the norms' relative error, ≤ (|θ| + S)·ε (as in the norms test): added to the sum's.
            double tol = Tolerance64(net, g) + 4 * (net.ParameterCount + Oracle.ChainWidth(net)) * Oracle.Eps * Scale(g);
            Equal(expected, sum.ToVector(), tol, $"{Cases[id].Name} {reduction} c = {c:G4}");
            Assert.Equal(net.Parameters.Layout, sum.Layout);
            Equal(objective.PerSampleGradientNorms(net, x, y), norms, 0, "norms");
            var (sum32, norms32) = objective.ClippedGradientSum(net, x, y, c, Precision.Float32);
            Equal(expected, sum32.ToVector(), Tolerance32(net, g), $"float32 c = {c:G4}");
            Equal(norms, norms32, Tolerance32(net, g) * Math.Sqrt(net.ParameterCount), "float32 norms");
            // Above every norm nothing is clipped: the plain Sum-reduction gradient.
            if (clipped == 0)
                Equal(new Objective(objective.Loss).Gradient(net, x, y).ToVector(), sum.ToVector(), tol, "unclipped");
        }
    }

    [Theory]
    [MemberData(nameof(CasesAndReductions))]
    public void Input_gradient_equals_central_differences_003_Props_5_1_to_5_3(int id, Reduction reduction)
    {
        var (net, objective, x, y) = Setup(id, reduction);
        var gx = objective.InputGradient(net, x, y);
        Assert.Equal(K, gx.RowCount);
        Assert.Equal(net.InputSize, gx.ColumnCount);
        var flat = Vector<double>.Build.Dense(x.ToRowMajorArray());
        double F(Vector<double> v) => objective.Value(net, Matrix<double>.Build.DenseOfRowMajor(K, net.InputSize, v.ToArray()), y);
        // ObjectiveTests' derivation: central differences err by ≈ ε^{2/3}·scale ≈ 1e-9 on these O(10) objectives; 1e-5 relative is 100× that.
        var check = FiniteDifferences.CheckGradient(F, Vector<double>.Build.Dense(gx.ToRowMajorArray()), flat);
        Assert.True(check.MaxRelativeError < 1e-5, $"{Cases[id].Name} {reduction}: {check}");
    }

    [Theory]
    [MemberData(nameof(CasesAndReductions))]
    public void Input_gradient_rows_are_the_one_sample_Vjp_of_the_loss_gradient_003_Prop_5_3(int id, Reduction reduction)
    {
        var (net, objective, x, y) = Setup(id, reduction);
        var gx = objective.InputGradient(net, x, y);
        double scale = reduction == Reduction.Mean ? 1.0 / K : 1.0;
        for (int i = 0; i < K; i++)
        {
            var xi = x.Row(i);
            var u = objective.Loss.Gradient(net.Apply(xi), y.Row(i)) * scale; // ∇_y ξ(N(x_i), y_i), reduced
            var expected = net.Vjp(xi, u);
            // u·J errs by ≤ ‖u‖₁ times J's entry tolerance (JacobianOracle), for the chain and for the fused path alike.
            double tol = 2 * Oracle.InputTolerance64(net, xi) * Math.Max(1, u.L1Norm());
            Equal(expected, gx.Row(i), tol, $"{Cases[id].Name} {reduction} row {i}");
            Equal(u * Oracle.InputJacobian(net, xi), gx.Row(i), 2 * tol, $"oracle row {i}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Float32_and_span_forms_agree_with_the_float64_matrix_form(int id)
    {
        var (net, objective, x, y) = Setup(id, Reduction.Sum);
        var g = objective.PerSampleGradients(net, x, y);
        var g32 = objective.PerSampleGradients(net, x, y, Precision.Float32);
        Equal(g, g32, Tolerance32(net, g), $"{Cases[id].Name} float32");
        var spans = new double[K * net.ParameterCount];
        objective.PerSampleGradients<double>(net, x, y, spans);
        Identical(g, Matrix<double>.Build.DenseOfRowMajor(K, net.ParameterCount, spans), "span<double>");
        var floats = new float[K * net.ParameterCount];
        objective.PerSampleGradients<float>(net, x, y, floats);
        Identical(g32, Matrix<double>.Build.DenseOfRowMajor(K, net.ParameterCount, floats.Select(f => (double)f).ToArray()), "span<float>");
    }

    [Fact]
    public void Per_sample_gradients_for_every_batch_size_1_to_7()
    {
        for (int k = 1; k <= 7; k++)
        {
            var (net, objective, x, y) = Setup(1, Reduction.Mean, k);
            var g = objective.PerSampleGradients(net, x, y);
            Equal(objective.Gradient(net, x, y).ToVector() * k, g.ColumnSums(), Tolerance64(net, g), $"k = {k}");
            var norms = objective.PerSampleGradientNorms(net, x, y);
            for (int i = 0; i < k; i++)
                Assert.True(Math.Abs(norms[i] - g.Row(i).L2Norm()) <= Tolerance64(net, g), $"k = {k} row {i}");
        }
    }

    [Fact]
    public void Per_sample_calls_are_deterministic_pure_and_check_their_arguments()
    {
        var (net, objective, x, y) = Setup(1, Reduction.Mean);
        var (xc, yc, theta) = (x.Clone(), y.Clone(), net.Parameters.ToArray());
        Identical(objective.PerSampleGradients(net, x, y), objective.PerSampleGradients(net, x, y), "PerSampleGradients");
        Assert.Equal(objective.PerSampleGradientNorms(net, x, y), objective.PerSampleGradientNorms(net, x, y));
        Assert.Equal(objective.ClippedGradientSum(net, x, y, 0.3).Sum.ToArray(), objective.ClippedGradientSum(net, x, y, 0.3).Sum.ToArray());
        Identical(objective.InputGradient(net, x, y), objective.InputGradient(net, x, y), "InputGradient");
        Identical(xc, x, "X");
        Identical(yc, y, "Y");
        Identical<double>(theta, net.Parameters.ToArray(), "θ");

        foreach (double bad in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
            Assert.Throws<ArgumentException>(() => objective.ClippedGradientSum(net, x, y, bad));
        var ex = Assert.Throws<ArgumentException>(() => objective.PerSampleGradients<double>(net, x, y, new double[K * net.ParameterCount - 1]));
        Assert.Contains($"{K * net.ParameterCount}", ex.Message);
        Assert.Throws<ArgumentException>(() => objective.PerSampleGradients(net, x, TestData.OneHot(K - 1, net.OutputSize, 1)));
        Assert.Throws<ArgumentException>(() => objective.InputGradient(net, TestData.Random(K, net.InputSize + 1, 1), y));
    }
}
