using MathDnn.Jacobians;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Jacobians;

/// <summary>
/// The product of a chain of structured factors (003 Thm 1.3): the dynamic programme against an exhaustive search of
/// every association, the classic matrix-chain answers, and the batched execution (k samples, per-sample and shared
/// factors, float and double) against per-sample dense products built here.
/// </summary>
public class ChainProductTests
{
    private const double Eps = 1.0 / 4503599627370496.0;    // 2⁻⁵²
    private const double EpsFloat = 1.0 / 16777216.0;        // 2⁻²⁴

    private static Factor<double> DenseShared(int rows, int cols, int seed) =>
        DenseFactor<double>.Shared(TestData.Random(rows, cols, seed).ToRowMajorArray(), rows, cols);

    // ---- the plan ----

    [Fact]
    public void Dense_chains_get_the_textbook_matrix_chain_association()
    {
        // A 10×100, B 100×5, C 5×50: (AB)C costs 10·100·5 + 10·5·50 = 7 500, A(BC) 100·5·50 + 10·100·50 = 75 000.
        Factor<double>[] f = [DenseShared(10, 100, 1), DenseShared(100, 5, 2), DenseShared(5, 50, 3)];
        Assert.Equal("((F1·F2)·F3)", Describe(f, JacobianOrder.Auto));
        // Mirrored (50×5, 5×100, 100×10): A(BC) is the cheap one.
        Factor<double>[] g = [DenseShared(50, 5, 1), DenseShared(5, 100, 2), DenseShared(100, 10, 3)];
        Assert.Equal("(F1·(F2·F3))", Describe(g, JacobianOrder.Auto));
        Assert.Equal("((F1·F2)·F3)", Describe(g, JacobianOrder.FromOutput));
        Assert.Equal("(F1·(F2·F3))", Describe(f, JacobianOrder.FromInput));
    }

    private static string Describe(Factor<double>[] f, JacobianOrder order) => ChainProduct.Describe(ChainProduct.Plan(f, order), 0, f.Length - 1);

    /// <summary>Every association of f[i..j] with its cost under the factors' own cost model (leaf·leaf pays the cheaper side plus writing the other).</summary>
    private static IEnumerable<(string Tree, double Cost)> All(IReadOnlyList<Factor<double>> f, int i, int j)
    {
        if (i == j) { yield return ($"F{i + 1}", f[i].MaterializeCost); yield break; }
        for (int s = i; s < j; s++)
            foreach (var (lt, lc) in All(f, i, s))
                foreach (var (rt, rc) in All(f, s + 1, j))
                {
                    int rows = f[i].Rows, inner = f[s].Cols, cols = f[j].Cols;
                    bool ll = i == s, rl = s + 1 == j;
                    double c = ll && rl ? Math.Min(f[i].LeftCost(cols) + f[j].MaterializeCost, f[j].RightCost(rows) + f[i].MaterializeCost)
                        : ll ? rc + f[i].LeftCost(cols)
                        : rl ? lc + f[j].RightCost(rows)
                        : lc + rc + (double)rows * inner * cols;
                    yield return ($"({lt}·{rt})", c);
                }
    }

    public static IEnumerable<object[]> Specs() => new[]
    {
        "D3x5 G5 D5x7", "R5 D5x7 G7 D7x2", "S3x9 D9x4 G4 R4 I4 D4x6", "D2x30 D30x2 D2x30", "D30x2 D2x30 D30x2 G2",
        "G5 R5 G5 I5", "D10x64 G64 D64x784", "R200 D200x64 G64 D64x3",
    }.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Specs))]
    public void Dynamic_programme_finds_the_cheapest_of_all_associations(string spec)
    {
        var f = Factors(spec);
        var all = All(f, 0, f.Length - 1).ToList();
        var auto = ChainProduct.Plan(f, JacobianOrder.Auto);
        double best = all.Min(t => t.Cost);
        // Every cost is a sum of products of widths by ElementCost = 4 (halved for the identity): integers or halves far
        // below 2⁵³, exact in double whatever the order of the sums, so the DP must find the least cost exactly.
        Assert.True(auto.Cost == best, $"{spec}: DP {auto.Cost} vs exhaustive {best}");
        // The plan's tree costs what the DP says it costs.
        string tree = ChainProduct.Describe(auto, 0, f.Length - 1);
        Assert.Contains(all, t => t.Tree == tree && t.Cost == auto.Cost);
        // The forced orders are the left-deep and right-deep trees, at their costs.
        var fromOutput = all.Single(t => t.Tree == LeftDeep(f.Length));
        var fromInput = all.Single(t => t.Tree == RightDeep(0, f.Length));
        Assert.Equal(fromOutput.Tree, Describe(f, JacobianOrder.FromOutput));
        Assert.Equal(fromInput.Tree, Describe(f, JacobianOrder.FromInput));
        Assert.Equal(fromOutput.Cost, ChainProduct.Plan(f, JacobianOrder.FromOutput).Cost);
        Assert.Equal(fromInput.Cost, ChainProduct.Plan(f, JacobianOrder.FromInput).Cost);
    }

    private static string LeftDeep(int q)
    {
        string s = "F1";
        for (int i = 2; i <= q; i++) s = $"({s}·F{i})";
        return s;
    }

    private static string RightDeep(int i, int q) => i == q - 1 ? $"F{q}" : $"(F{i + 1}·{RightDeep(i + 1, q)})";

    private static Factor<double>[] Factors(string spec) => [.. LinearMapTests.Chain(spec, 5).Map.Factors];

    // ---- batched execution: k samples, per-sample factors ----

    /// <summary>
    /// A chain on k samples — per-sample diagonal, softmax-style diag(s) − sᵀs, diag(d) − aᵀb, selection and dense factors,
    /// and shared dense and identity factors — with each sample's dense reference matrices.
    /// </summary>
    private static (List<Factor<T>> Factors, Matrix<double>[][] Refs) Batch<T>(int k, int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new MathDnn.Networks.Rng(seed);
        double[] R(int n) => [.. Enumerable.Range(0, n).Select(_ => rng.Uniform(-1, 1))];
        static T[] C(double[] a) => [.. a.Select(T.CreateTruncating)];
        // Values rounded to T first, so the references see exactly the factors' entries.
        static double[] Rounded(double[] a) => [.. a.Select(v => double.CreateTruncating(T.CreateTruncating(v)))];
        var refs = Enumerable.Range(0, k).Select(_ => new List<Matrix<double>>()).ToArray();
        var factors = new List<Factor<T>>();

        // F1: shared dense 3×5
        var w1 = Rounded(R(15));
        factors.Add(DenseFactor<T>.Shared(C(w1), 3, 5));
        foreach (var r in refs) r.Add(Matrix<double>.Build.DenseOfRowMajor(3, 5, w1));
        // F2: softmax-style diag(s) − sᵀs per sample, s a probability row
        var sm = new double[k * 5];
        for (int s = 0; s < k; s++)
        {
            var e = R(5).Select(Math.Exp).ToArray();
            var p = Rounded([.. e.Select(v => v / e.Sum())]);
            p.CopyTo(sm, s * 5);
            var sv = Vector<double>.Build.Dense(p);
            refs[s].Add(Matrix<double>.Build.DenseOfDiagonalVector(sv) - sv.OuterProduct(sv));
        }
        factors.Add(DiagonalMinusRankOneFactor<T>.Softmax(C(sm), 5, k));
        // F3: per-sample dense 5×4
        var d3 = Rounded(R(k * 20));
        factors.Add(DenseFactor<T>.PerSample(C(d3), 5, 4, k));
        for (int s = 0; s < k; s++) refs[s].Add(Matrix<double>.Build.DenseOfRowMajor(5, 4, d3.AsSpan(s * 20, 20).ToArray()));
        // F4: per-sample diagonal 4
        var g4 = Rounded(R(k * 4));
        factors.Add(new DiagonalFactor<T>(C(g4), 4, k));
        for (int s = 0; s < k; s++) refs[s].Add(Matrix<double>.Build.DenseOfDiagonalArray(g4.AsSpan(s * 4, 4).ToArray()));
        // F5: per-sample diag(d) − aᵀb 4
        var (dd, aa, bb) = (Rounded(R(k * 4)), Rounded(R(k * 4)), Rounded(R(k * 4)));
        factors.Add(new DiagonalMinusRankOneFactor<T>(C(dd), C(aa), C(bb), 4, k));
        for (int s = 0; s < k; s++)
        {
            Vector<double> V(double[] a) => Vector<double>.Build.Dense(a.AsSpan(s * 4, 4).ToArray());
            refs[s].Add(Matrix<double>.Build.DenseOfDiagonalVector(V(dd)) - V(aa).OuterProduct(V(bb)));
        }
        // F6: per-sample selection 4×8 (4 units, 2 pieces): unit u takes column i·4 + u
        var sel = new int[k * 4];
        for (int s = 0; s < k; s++)
            for (int u = 0; u < 4; u++)
            {
                int piece = (s + u) % 2;
                sel[s * 4 + u] = piece * 4 + u;
            }
        factors.Add(new SelectionFactor<T>(sel, 4, 8, k));
        for (int s = 0; s < k; s++)
        {
            var p = Matrix<double>.Build.Dense(4, 8);
            for (int u = 0; u < 4; u++) p[u, sel[s * 4 + u]] = 1;
            refs[s].Add(p);
        }
        // F7: identity 8, F8: shared dense 8×6
        factors.Add(new IdentityFactor<T>(8));
        foreach (var r in refs) r.Add(Matrix<double>.Build.DenseIdentity(8));
        var w8 = Rounded(R(48));
        factors.Add(DenseFactor<T>.Shared(C(w8), 8, 6));
        foreach (var r in refs) r.Add(Matrix<double>.Build.DenseOfRowMajor(8, 6, w8));
        return (factors, [.. refs.Select(r => r.ToArray())]);
    }

    // The reference product in double errs by ≤ S·ε/2·B (Higham §3.5, first order, S = Σ rows + columns = 88 bounding every
    // inner dimension's sum), the product under test in T by ≤ S·u_T/2·B with u_T its spacing at 1: S·(ε + u_T)·B bounds
    // both, with B = max |F_1|⋯|F_q| (≤ 1·1·…·8·… for these entries in [−1, 1]; computed).
    private static double Tolerance<T>(Matrix<double>[] refs) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        double u = typeof(T) == typeof(float) ? EpsFloat : Eps;
        int s = refs.Sum(m => m.RowCount + m.ColumnCount);
        double b = Math.Max(1, refs.Select(m => m.PointwiseAbs()).Aggregate((a, c) => a * c).Enumerate().Max());
        return s * (Eps + u) * b;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Batched_products_in_double_equal_each_samples_product(int k) => BatchedProducts<double>(k);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void Batched_products_in_float_equal_each_samples_product(int k) => BatchedProducts<float>(k);

    private static void BatchedProducts<T>(int k) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var (f, refs) = Batch<T>(k, 17 + k);
        int m = f[0].Rows, n = f[^1].Cols;
        foreach (var order in new[] { JacobianOrder.Auto, JacobianOrder.FromOutput, JacobianOrder.FromInput })
        {
            var all = new T[k * m * n];
            ChainProduct.Materialize(f, k, order, all);
            for (int s = 0; s < k; s++)
            {
                var expected = refs[s].Aggregate((a, b) => a * b);
                Equal(expected, (ReadOnlySpan<T>)all.AsSpan(s * m * n, m * n), Tolerance<T>(refs[s]), $"{typeof(T).Name} k = {k} {order} sample {s}");
                // The factors of one sample alone give the same product.
                var single = new T[m * n];
                ChainProduct.Materialize(f.Select(x => x.Sample(s)).ToList(), 1, order, single);
                Equal(expected, (ReadOnlySpan<T>)single, Tolerance<T>(refs[s]), $"{typeof(T).Name} Sample({s}) {order}");
            }
        }
        // J_s·v_s and U_s·J_s (q = 2 rows per sample) for every sample at once.
        var v = TestData.Random(k, n, 3);
        var vt = v.ToRowMajorArray().Select(T.CreateTruncating).ToArray();
        var jv = new T[k * m];
        ChainProduct.ApplyLeft(f, vt, k, jv);
        const int q = 2;
        var u = TestData.Random(k * q, m, 4);
        var ut = u.ToRowMajorArray().Select(T.CreateTruncating).ToArray();
        var uj = new T[k * q * n];
        ChainProduct.ApplyRight(f, ut, q, k, uj);
        for (int s = 0; s < k; s++)
        {
            var j = refs[s].Aggregate((a, b) => a * b);
            // v and u are rounded to T (u_T/2 relative) and summed over ≤ max(m, n) terms: the tolerance times that width.
            double tol = Tolerance<T>(refs[s]) * Math.Max(m, n) * 2;
            var vs = Vector<double>.Build.Dense([.. vt.AsSpan(s * n, n).ToArray().Select(x => double.CreateTruncating(x))]);
            Equal((j * vs).ToRowMatrix(), (ReadOnlySpan<T>)jv.AsSpan(s * m, m), tol, $"{typeof(T).Name} J·v sample {s}");
            var us = Matrix<double>.Build.DenseOfRowMajor(q, m, [.. ut.AsSpan(s * q * m, q * m).ToArray().Select(x => double.CreateTruncating(x))]);
            Equal(us * j, (ReadOnlySpan<T>)uj.AsSpan(s * q * n, q * n), tol, $"{typeof(T).Name} U·J sample {s}");
        }
    }

    [Fact]
    public void A_per_sample_factor_refuses_another_number_of_samples()
    {
        var f = new DiagonalFactor<double>(new double[3 * 4], 4, 3);
        var ex = Assert.Throws<ArgumentException>(() => ChainProduct.Materialize<double>([f], 2, JacobianOrder.Auto, new double[2 * 16]));
        Assert.Contains("3 sample", ex.Message);
        Assert.Contains("2 were asked", ex.Message);
    }
}
