using MathDnn.Calculus;
using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Losses;

/// <summary>Every loss of <see cref="LossCatalogue"/>: gradient against central differences, reductions, target validation, purity.</summary>
public class LossGradientTests
{
    // Central differences with h = ε^{1/3}·max(1,|o|) err by ≈ ε|ξ|/h + h²|ξ'''|/6. Here |o| ≤ 3 (h ≤ 1.9e-5) and m ≤ 6:
    // rounding ≤ 2.2e-16·260/6e-6 ≈ 1e-8 (|ξ| ≤ 6·3.5³ ≈ 260 for the cubed hinge); truncation ≤ 6e-11·|ξ'''| with
    // |ξ'''| = O(10) for the logit losses, and ≤ (6e-6)²/6·2/0.05³ ≈ 1e-7 for −log p at p ≥ 0.05 (the unfused
    // cross-entropies). So |analytic − numeric| ≤ 1e-6·max(1, |analytic|) holds with ≥ 10× margin and still catches
    // any wrong factor, sign or missing Jacobian term.
    private const double Tolerance = 1e-6;

    [Theory]
    [MemberData(nameof(LossCases.Names), MemberType = typeof(LossCases))]
    public void Gradient_matches_central_differences_at_seeded_points_004_loss_table(string name)
    {
        var loss = LossCatalogue.Parse(name);
        for (int seed = 1; seed <= 5; seed++)
        {
            var rng = new Rng(seed);
            int m = 2 + rng.NextInt(5); // 2..6 outputs
            var y = LossCases.Target(loss, m, ref rng);
            var o = LossCases.Output(loss, m, ref rng);
            Assert.True(LossCases.KinkDistance(loss, o, y) > LossCases.KinkMargin, $"seed {seed} lands within δ of a kink of {name}");
            var analytic = loss.Gradient(o, y);
            var numeric = FiniteDifferences.Gradient(v => loss.Value(v, y), o);
            for (int j = 0; j < m; j++)
                Assert.True(Math.Abs(analytic[j] - numeric[j]) <= Tolerance * Math.Max(1, Math.Abs(analytic[j])),
                    $"{name}, seed {seed}, entry {j}: analytic {analytic[j]:G17}, central difference {numeric[j]:G17}");
        }
    }

    [Theory]
    [MemberData(nameof(LossCases.Names), MemberType = typeof(LossCases))]
    public void Sum_and_mean_reductions_of_a_2_row_batch(string name)
    {
        var loss = LossCatalogue.Parse(name);
        var (o, t) = LossCases.Batch(loss, 3, seed: 17);
        double v0 = loss.Value(o.Row(0), t.Row(0)), v1 = loss.Value(o.Row(1), t.Row(1));
        // Sum: v₀ + v₁ (003 Def 5.2); Mean: (v₀ + v₁)/2 — the same floating operations, so equal to rounding of the halving (exact).
        Assert.Equal(v0 + v1, loss.Value(o, t, Reduction.Sum));
        Assert.Equal((v0 + v1) / 2, loss.Value(o, t, Reduction.Mean));
        var gs = loss.Gradient(o, t, Reduction.Sum);
        var gm = loss.Gradient(o, t, Reduction.Mean);
        for (int r = 0; r < 2; r++)
        {
            var g = loss.Gradient(o.Row(r), t.Row(r));
            Assert.Equal(g, gs.Row(r));       // each row's gradient is its sample's gradient
            Assert.Equal(g / 2, gm.Row(r));   // halved by the mean (a power of 2: exact)
        }
    }

    [Fact]
    public void L2_loss_004_loss_table_sum_and_mean_of_a_2_row_batch_by_hand()
    {
        // row 0: o = (0.5, −1, 2), y = e₁ → 0.25 + 4 + 4 = 8.25; row 1: o = (1, 0, 0), y = e₀ → 0.
        // Sum 8.25, mean 4.125; mean gradient = (1/2)·2(o − y) = ((0.5, −2, 2), (0, 0, 0)).
        var o = M(new double[,] { { 0.5, -1, 2 }, { 1, 0, 0 } });
        var t = M(new double[,] { { 0, 1, 0 }, { 1, 0, 0 } });
        var loss = new L2Loss();
        Assert.Equal(8.25, loss.Value(o, t, Reduction.Sum));
        Assert.Equal(4.125, loss.Value(o, t, Reduction.Mean));
        Equal(new double[,] { { 0.5, -2, 2 }, { 0, 0, 0 } }, loss.Gradient(o, t, Reduction.Mean), 0);
    }

    public static TheoryData<string> OneHotNames => Names(TargetEncoding.OneHot);
    public static TheoryData<string> PlusMinusOneNames => Names(TargetEncoding.PlusMinusOne);

    private static TheoryData<string> Names(TargetEncoding encoding)
    {
        var data = new TheoryData<string>();
        foreach (var l in LossCatalogue.All.Where(l => l.Encoding == encoding)) data.Add(l.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(OneHotNames))]
    public void One_hot_losses_reject_a_row_that_is_not_one_hot_and_name_it(string name)
    {
        var loss = LossCatalogue.Parse(name);
        var o = M(new double[,] { { 0.2, 0.3, 0.5 }, { 0.6, 0.3, 0.1 } });
        var twoOnes = M(new double[,] { { 0, 1, 0 }, { 1, 1, 0 } });
        var ex = Assert.Throws<ArgumentException>(() => loss.Value(o, twoOnes, Reduction.Sum));
        Assert.Contains($"{name} loss", ex.Message);
        Assert.Contains("target row 1", ex.Message);
        Assert.Contains("exactly one 1, found 2", ex.Message);
        var half = M(new double[,] { { 0.5, 0.5, 0 }, { 1, 0, 0 } });
        ex = Assert.Throws<ArgumentException>(() => loss.Gradient(o, half, Reduction.Mean));
        Assert.Contains("target row 0", ex.Message);
        Assert.Contains("found 0.5", ex.Message);
    }

    [Theory]
    [MemberData(nameof(PlusMinusOneNames))]
    public void Plus_minus_one_losses_reject_a_half_and_name_its_row(string name)
    {
        var loss = LossCatalogue.Parse(name);
        var o = M(new double[,] { { 0.2, -0.3 }, { 0.6, 0.1 } });
        var t = M(new double[,] { { 1, -1 }, { -1, 0.5 } });
        var ex = Assert.Throws<ArgumentException>(() => loss.Value(o, t, Reduction.Sum));
        Assert.Contains($"{name} loss", ex.Message);
        Assert.Contains("target row 1", ex.Message);
        Assert.Contains("found 0.5", ex.Message);
        Assert.Throws<ArgumentException>(() => loss.Gradient(V(0.2, -0.3), V(1, 0)));
        Assert.Throws<ArgumentException>(() => loss.AsFunction(V(0, 1)));
    }

    [Theory]
    [MemberData(nameof(LossCases.Names), MemberType = typeof(LossCases))]
    public void Shape_mismatch_names_both_shapes(string name)
    {
        var loss = LossCatalogue.Parse(name);
        var ex = Assert.Throws<ArgumentException>(() => loss.Value(Matrix<double>.Build.Dense(2, 3, 0.5), Matrix<double>.Build.Dense(2, 2), Reduction.Sum));
        Assert.Contains("2×3", ex.Message);
        Assert.Contains("2×2", ex.Message);
    }

    [Theory]
    [MemberData(nameof(LossCases.Names), MemberType = typeof(LossCases))]
    public void Value_and_gradient_leave_their_arguments_unchanged(string name)
    {
        var loss = LossCatalogue.Parse(name);
        var (o, t) = LossCases.Batch(loss, 4, seed: 23);
        var (oCopy, tCopy) = (o.Clone(), t.Clone());
        var (row, target) = (o.Row(0), t.Row(0));
        var (rowCopy, targetCopy) = (row.Clone(), target.Clone());
        loss.Value(o, t, Reduction.Sum);
        loss.Gradient(o, t, Reduction.Mean);
        loss.Value(row, target);
        loss.Gradient(row, target);
        var f = loss.AsFunction(target);
        f.Apply(row);
        f.Jacobian(row);
        Assert.Equal(oCopy, o);
        Assert.Equal(tCopy, t);
        Assert.Equal(rowCopy, row);
        Assert.Equal(targetCopy, target);
        // The span kernels too.
        double[] os = row.ToArray(), ts = target.ToArray(), g = new double[os.Length];
        loss.Value(os, ts);
        loss.Gradient(os, ts, g);
        Assert.Equal(rowCopy.ToArray(), os);
        Assert.Equal(targetCopy.ToArray(), ts);
    }

    [Theory]
    [MemberData(nameof(LossCases.Names), MemberType = typeof(LossCases))]
    public void Non_finite_outputs_are_rejected_with_their_position(string name)
    {
        var loss = LossCatalogue.Parse(name);
        var (o, t) = LossCases.Batch(loss, 3, seed: 5);
        o[1, 2] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => loss.Value(o, t, Reduction.Sum));
        Assert.Contains("row 1, column 2", ex.Message);
    }
}
