using MathDnn.Activations;
using MathDnn.Calculus;
using MathDnn.Jacobians;
using MathDnn.Layers;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Jacobians;

/// <summary>
/// <see cref="LinearMap"/>, a chain of structured factors (003 Thm 1.3): dense (003 Prop 4.1), diagonal (003 Props 2.1,
/// 5.1), diagonal minus rank one (softmax, 003 Prop 2.2), identity, and maxout's selection, each against the dense matrix
/// it stands for, built here independently.
/// </summary>
public class LinearMapTests
{
    private const double Eps = 1.0 / 4503599627370496.0; // 2⁻⁵²

    /// <summary>
    /// A chain from a spec: "D3x5" dense 3×5, "G4" diagonal 4, "R4" diag(d) − aᵀb of size 4, "I4" identity 4, "S3x9"
    /// maxout's selection P ∈ M_{3,9} (3 units, 3 pieces) — with its reference matrices, leftmost first.
    /// </summary>
    internal static (LinearMap Map, Matrix<double>[] Factors) Chain(string spec, int seed)
    {
        LinearMap? map = null;
        var refs = new List<Matrix<double>>();
        foreach (var token in spec.Split(' '))
        {
            seed++;
            var (f, r) = Factor(token, seed);
            map = map is null ? f : map * f;
            refs.Add(r);
        }
        return (map!, [.. refs]);
    }

    internal static (LinearMap Map, Matrix<double> Reference) Factor(string token, int seed)
    {
        char kind = token[0];
        var dims = token[1..].Split('x').Select(int.Parse).ToArray();
        int n = dims[0];
        switch (kind)
        {
            case 'D':
                var a = TestData.Random(dims[0], dims[1], seed);
                return (LinearMap.Dense(a), a.Clone());
            case 'G':
                var d = TestData.RandomVector(n, seed);
                return (LinearMap.Diagonal(d), Matrix<double>.Build.DenseOfDiagonalVector(d));
            case 'R':
                var (dd, av, bv) = (TestData.RandomVector(n, seed), TestData.RandomVector(n, seed + 1000), TestData.RandomVector(n, seed + 2000));
                return (LinearMap.DiagonalMinusRankOne(dd, av, bv), Matrix<double>.Build.DenseOfDiagonalVector(dd) - av.OuterProduct(bv));
            case 'I':
                return (LinearMap.Identity(n), Matrix<double>.Build.DenseIdentity(n));
            case 'S':
                return Selection(dims[0], dims[1] / dims[0], seed);
            default:
                throw new ArgumentException(token);
        }
    }

    /// <summary>
    /// Maxout's selection P ∈ M_{m, k·m} (004) at a random input, taken from a one-layer maxout network's input Jacobian
    /// map (P·W); the reference puts the 1 of row u at column i*·m + u, i* = argmax_i z_{i·m+u} (lowest on a tie) with
    /// z = W·x + b computed here from the network's W and b.
    /// </summary>
    internal static (LinearMap Map, Matrix<double> Reference) Selection(int units, int pieces, int seed)
    {
        const int inputs = 3;
        var net = Network.Create(inputs, [new Maxout(inputs, units, pieces)], seed: seed);
        var x = TestData.RandomVector(inputs, seed + 1);
        var map = net.InputJacobianMap(x);
        Assert.Equal(2, map.FactorCount);
        var z = net.Parameters.Weights(0) * x + net.Parameters.Bias(0);
        var p = Matrix<double>.Build.Dense(units, units * pieces);
        for (int u = 0; u < units; u++)
        {
            int best = 0;
            for (int i = 1; i < pieces; i++) if (z[i * units + u] > z[best * units + u]) best = i;
            p[u, best * units + u] = 1;
        }
        return (map.Factor(0), p);
    }

    private static Matrix<double> Product(Matrix<double>[] f) => f.Aggregate((a, b) => a * b);

    /// <summary>
    /// Any association of F_1⋯F_q errs by ≤ (Σ inner dims)·ε/2·max(|F_1|⋯|F_q|) to first order (Higham §3.5); the reference
    /// product errs as much: 4·S·ε·B with S = Σ (rows + columns) of the factors bounds both with a factor 2 to spare.
    /// </summary>
    internal static double Tolerance(Matrix<double>[] f)
    {
        int s = f.Sum(m => m.RowCount + m.ColumnCount);
        double b = Math.Max(1, f.Select(m => m.PointwiseAbs()).Aggregate((a, c) => a * c).Enumerate().Max());
        return 4 * s * Eps * b;
    }

    public static IEnumerable<object[]> Chains() => new[]
    {
        "D3x5", "G4", "R4", "I4", "S3x9", "S2x4",
        "D4x6 G6 D6x3", "R5 D5x7 G7 D7x2", "S3x9 D9x4 G4 R4 I4 D4x6", "I3 I3", "D2x30 D30x2 D2x30", "D30x2 D2x30 D30x2",
        "G5 R5 G5", "R6 S6x12 I12 D12x3", "D4x3 S3x6 D6x8 G8", "S4x8 D8x5 S5x10", "D1x7 G7 R7 D7x1",
        "R3 D3x300", "D300x3 R3", "G3 D3x300 S300x600",
    }.Select(s => new object[] { s });

    private static readonly JacobianOrder[] Orders = [JacobianOrder.Auto, JacobianOrder.FromOutput, JacobianOrder.FromInput];

    [Theory]
    [MemberData(nameof(Chains))]
    public void ToMatrix_in_every_order_is_the_product_of_the_factors_003_Thm_1_3(string spec)
    {
        var (map, f) = Chain(spec, 10);
        var expected = Product(f);
        Assert.Equal(expected.RowCount, map.Rows);
        Assert.Equal(expected.ColumnCount, map.Columns);
        Assert.Equal(f.Length, map.FactorCount);
        foreach (var order in Orders)
        {
            Equal(expected, map.ToMatrix(order), Tolerance(f), $"{spec} ToMatrix({order})");
            var plan = map.Plan(order);
            Assert.Equal(order, plan.Order);
            Assert.True(plan.Cost > 0, plan.ToString());
            Assert.True(map.Plan().Cost <= plan.Cost, $"Auto {map.Plan()} vs {plan}");
        }
        Equal(expected, map.ToMatrix(), Tolerance(f), $"{spec} ToMatrix()");
        for (int i = 0; i < f.Length; i++) Equal(f[i], map.Factor(i).ToMatrix(), 0, $"{spec} factor {i}");
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void Jvp_and_Vjp_are_A_times_v_and_u_times_A_and_adjoint_003_Thm_1_3(string spec)
    {
        var (map, f) = Chain(spec, 20);
        var a = Product(f);
        // A·v sums n products of entries with |v_j| ≤ 1 on top of A's error: the matrix tolerance times n (resp. m).
        double tol = Tolerance(f) * Math.Max(a.RowCount, a.ColumnCount);
        for (int t = 0; t < 3; t++)
        {
            var v = TestData.RandomVector(a.ColumnCount, 40 + t);
            var u = TestData.RandomVector(a.RowCount, 50 + t);
            var av = map.Jvp(v);
            var ua = map.Vjp(u);
            Equal(a * v, av, tol, $"{spec} Jvp");
            Equal(u * a, ua, tol, $"{spec} Vjp");
            // ⟨u, A·vᵀ⟩ = ⟨u·A, v⟩: each side errs by ≤ tol per entry, weighted by the other vector (‖·‖₁).
            double lhs = u * av, rhs = ua * v;
            Assert.True(Math.Abs(lhs - rhs) <= tol * (u.L1Norm() + v.L1Norm()), $"{spec}: ⟨u, Av⟩ = {lhs:G17}, ⟨uA, v⟩ = {rhs:G17}");
        }
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void Jvp_and_Vjp_on_matrices_act_row_by_row(string spec)
    {
        var (map, f) = Chain(spec, 30);
        var a = Product(f);
        double tol = Tolerance(f) * Math.Max(a.RowCount, a.ColumnCount);
        for (int k = 1; k <= 4; k++)
        {
            var v = TestData.Random(k, a.ColumnCount, 60 + k);
            var u = TestData.Random(k, a.RowCount, 70 + k);
            var av = map.Jvp(v);
            var ua = map.Vjp(u);
            Assert.Equal(k, av.RowCount);
            Assert.Equal(a.RowCount, av.ColumnCount);
            Assert.Equal(k, ua.RowCount);
            Assert.Equal(a.ColumnCount, ua.ColumnCount);
            Equal(v * a.Transpose(), av, tol, $"{spec} V·Aᵀ");
            Equal(u * a, ua, tol, $"{spec} U·A");
            for (int r = 0; r < k; r++)
            {
                Equal(map.Jvp(v.Row(r)), av.Row(r), tol, $"{spec} row {r} of V·Aᵀ");
                Equal(map.Vjp(u.Row(r)), ua.Row(r), tol, $"{spec} row {r} of U·A");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void Transpose_is_the_reversed_chain_of_transposed_factors(string spec)
    {
        var (map, f) = Chain(spec, 40);
        var t = map.Transpose();
        Assert.Equal(map.Columns, t.Rows);
        Assert.Equal(map.Rows, t.Columns);
        Assert.Equal(map.FactorCount, t.FactorCount);
        var expected = Product(f).Transpose();
        foreach (var order in Orders)
        {
            Equal(map.ToMatrix(order).Transpose(), t.ToMatrix(order), 2 * Tolerance(f), $"{spec} Aᵀ ({order})");
            Equal(expected, t.ToMatrix(order), Tolerance(f), $"{spec} Aᵀ vs reference ({order})");
        }
        Equal(map.ToMatrix(), t.Transpose().ToMatrix(), 2 * Tolerance(f), $"{spec} (Aᵀ)ᵀ");
        // u·Aᵀ = (A·uᵀ)ᵀ and Aᵀ·wᵀ = (w·A)ᵀ, on vectors and row by row on matrices.
        double tol = 2 * Tolerance(f) * Math.Max(map.Rows, map.Columns);
        var u = TestData.RandomVector(map.Columns, 3);
        Equal(map.Jvp(u), t.Vjp(u), tol, $"{spec} Aᵀ Vjp");
        var w = TestData.RandomVector(map.Rows, 4);
        Equal(map.Vjp(w), t.Jvp(w), tol, $"{spec} Aᵀ Jvp");
        var wm = TestData.Random(3, map.Rows, 5);
        var um = TestData.Random(3, map.Columns, 6);
        Equal(map.Vjp(wm), t.Jvp(wm), tol, $"{spec} Aᵀ Jvp(W)");
        Equal(map.Jvp(um), t.Vjp(um), tol, $"{spec} Aᵀ Vjp(U)");
        for (int i = 0; i < f.Length; i++) Equal(f[f.Length - 1 - i].Transpose(), t.Factor(i).ToMatrix(), 0, $"{spec} factor {i} of Aᵀ");
    }

    [Fact]
    public void Compose_operator_and_Then_multiply_in_the_written_order()
    {
        var (a, fa) = Chain("D3x5 G5", 1);
        var (b, fb) = Chain("R5 D5x2", 2);
        var (c, fc) = Chain("D2x4", 3);
        var ab = Product(fa) * Product(fb);
        double tol = Tolerance([.. fa, .. fb]);
        Equal(ab, LinearMap.Compose(a, b).ToMatrix(), tol, "Compose(A, B)");
        Equal(ab, (a * b).ToMatrix(), tol, "A * B");
        Equal(ab, b.Then(a).ToMatrix(), tol, "B.Then(A)");
        Assert.Equal(4, (a * b).FactorCount);
        Assert.Equal([.. a.Structure, .. b.Structure], (a * b).Structure);
        var abc = ab * Product(fc);
        double tol3 = Tolerance([.. fa, .. fb, .. fc]);
        Equal(abc, ((a * b) * c).ToMatrix(), tol3, "(AB)C");
        Equal(abc, (a * (b * c)).ToMatrix(), tol3, "A(BC)");
        Equal(abc, c.Then(b).Then(a).ToMatrix(), tol3, "C.Then(B).Then(A)");
        // Composition keeps every factor's structure: the chain is concatenated, nothing multiplied.
        Assert.Equal(["dense 3×5", "diagonal 5"], a.Structure);
        Assert.Contains("rank one", b.Structure[0]);
    }

    [Fact]
    public void Composed_functions_linearise_to_the_chain_of_their_parts_003_Thm_1_3()
    {
        var net = Networks.JacobianOracle.Net(5);
        var x = Networks.JacobianOracle.Batch(5, 1).Row(0);
        var expected = Networks.JacobianOracle.InputJacobian(net, x);
        double tol = Networks.JacobianOracle.InputTolerance64(net, x);
        var f = net.AsFunction();
        Equal(expected, f.Linearize(x).ToMatrix(), tol, "network Linearize");
        Equal(expected, f.Jacobian(x), tol, "network Jacobian");
        // tanh ∘ N: J = diag(tanh′(N(x)))·J_N(x), the chain kept: one more factor than N's.
        var tanh = new Tanh();
        var g = DifferentiableFunction.Compose(tanh.AsFunction(net.OutputSize), f);
        var map = g.Linearize(x);
        Assert.Equal(net.InputJacobianMap(x).FactorCount + 1, map.FactorCount);
        var outer = tanh.Jacobian(net.Apply(x));
        Equal(outer * expected, map.ToMatrix(), 2 * tol, "tanh ∘ N");
        Equal(outer * expected, g.Jacobian(x), 2 * tol, "tanh ∘ N Jacobian");
        var v = TestData.RandomVector(net.InputSize, 1);
        Equal(outer * expected * v, g.JacobianVectorProduct(x, v), 2 * tol * net.InputSize, "tanh ∘ N J·v");
    }

    [Fact]
    public void Factor_structures_are_named()
    {
        Assert.Equal("dense 3×5", Factor("D3x5", 1).Map.Structure.Single());
        Assert.Equal("diagonal 4", Factor("G4", 1).Map.Structure.Single());
        Assert.Equal("identity 4", Factor("I4", 1).Map.Structure.Single());
        Assert.Contains("rank one", Factor("R4", 1).Map.Structure.Single());
        Assert.Contains("selection", Factor("S3x9", 1).Map.Structure.Single());
        Assert.Contains("softmax", new Softmax().JacobianMap(TestData.RandomVector(4, 1)).Structure.Single());
    }

    [Fact]
    public void Activation_Jacobian_maps_are_the_dense_Jacobians_003_Props_2_1_and_2_2()
    {
        var z = TestData.RandomVector(6, 9, scale: 2);
        foreach (Activation act in new Activation[] { new Relu(), new LeakyRelu(0.2), new Elu(), new Sigmoid(), new Tanh(), new Identity(), new Softmax() })
        {
            var map = act.JacobianMap(z);
            // One factor: ToMatrix writes it, with at most one rounding per entry (s_i − s_i² vs s_i(1 − s_i)) of entries ≤ 1.
            Equal(act.Jacobian(z), map.ToMatrix(), 4 * Eps, act.Name);
            Assert.Equal(1, map.FactorCount);
        }
    }

    [Fact]
    public void Shape_errors_name_both_shapes()
    {
        var a = LinearMap.Dense(TestData.Random(3, 4, 1));
        var b = LinearMap.Dense(TestData.Random(5, 2, 2));
        var ex = Assert.Throws<ArgumentException>(() => LinearMap.Compose(a, b));
        Assert.Contains("3×4", ex.Message);
        Assert.Contains("5×2", ex.Message);
        Assert.Throws<ArgumentException>(() => a * b);
        Assert.Throws<ArgumentException>(() => b.Then(b));
        var jvp = Assert.Throws<ArgumentException>(() => a.Jvp(TestData.Random(2, 3, 3)));
        Assert.Contains("3×4", jvp.Message);
        Assert.Contains("2×3", jvp.Message);
        var vjp = Assert.Throws<ArgumentException>(() => a.Vjp(TestData.Random(2, 4, 3)));
        Assert.Contains("3×4", vjp.Message);
        Assert.Contains("2×4", vjp.Message);
        var v = Assert.Throws<ArgumentException>(() => a.Jvp(TestData.RandomVector(3, 1)));
        Assert.Contains("1×4", v.Message);
        Assert.Contains("1×3", v.Message);
        var u = Assert.Throws<ArgumentException>(() => a.Vjp(TestData.RandomVector(4, 1)));
        Assert.Contains("1×3", u.Message);
        Assert.Contains("1×4", u.Message);
        var r1 = Assert.Throws<ArgumentException>(() => LinearMap.DiagonalMinusRankOne(TestData.RandomVector(3, 1), TestData.RandomVector(4, 2), TestData.RandomVector(3, 3)));
        Assert.Contains("1×3", r1.Message);
        Assert.Contains("1×4", r1.Message);
        Assert.Throws<ArgumentException>(() => LinearMap.Identity(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Factor(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Factor(-1));
        Assert.Throws<ArgumentException>(() => a.ToMatrix((JacobianOrder)3));
        Assert.Throws<ArgumentException>(() => a.Plan((JacobianOrder)3));
    }

    [Fact]
    public void Maps_copy_their_arguments_and_never_change_them()
    {
        var m = TestData.Random(3, 4, 1);
        var mCopy = m.Clone();
        var d = TestData.RandomVector(4, 2);
        var dCopy = d.Clone();
        var (rd, ra, rb) = (TestData.RandomVector(4, 3), TestData.RandomVector(4, 4), TestData.RandomVector(4, 5));
        var (rdc, rac, rbc) = (rd.Clone(), ra.Clone(), rb.Clone());
        var map = LinearMap.Dense(m) * LinearMap.Diagonal(d) * LinearMap.DiagonalMinusRankOne(rd, ra, rb) * LinearMap.Identity(4);
        var before = map.ToMatrix();
        // Changing the arguments afterwards does not reach the map.
        m[0, 0] += 1;
        d[1] += 1;
        rd[2] += 1;
        ra[3] += 1;
        rb[0] += 1;
        Identical(before, map.ToMatrix(), "after the arguments changed");
        m[0, 0] -= 1; d[1] -= 1; rd[2] -= 1; ra[3] -= 1; rb[0] -= 1;
        Assert.Equal(mCopy, m);
        Assert.Equal(dCopy, d);
        Assert.Equal((rdc, rac, rbc), (rd, ra, rb));

        var v = TestData.RandomVector(4, 6);
        var u = TestData.RandomVector(3, 7);
        var vm = TestData.Random(5, 4, 8);
        var um = TestData.Random(5, 3, 9);
        var (vc, uc, vmc, umc) = (v.Clone(), u.Clone(), vm.Clone(), um.Clone());
        var results = (map.Jvp(v), map.Vjp(u), map.Jvp(vm), map.Vjp(um));
        _ = map.Transpose().ToMatrix(JacobianOrder.FromInput);
        _ = map.Plan(JacobianOrder.FromOutput);
        Assert.Equal(vc, v);
        Assert.Equal(uc, u);
        Identical(vmc, vm, "V");
        Identical(umc, um, "U");
        // Deterministic: the same call twice gives the same bits, and the map itself did not change.
        Assert.Equal(results.Item1, map.Jvp(v));
        Assert.Equal(results.Item2, map.Vjp(u));
        Identical(results.Item3, map.Jvp(vm), "Jvp(V)");
        Identical(results.Item4, map.Vjp(um), "Vjp(U)");
        foreach (var order in Orders) Identical(map.ToMatrix(order), map.ToMatrix(order), order.ToString());
        Identical(before, map.ToMatrix(), "after applying");
    }
}
