using MathDnn.Activations;
using MathDnn.Calculus;
using MathDnn.Layers;
using MathDnn.LeastSquares;
using MathDnn.Losses;
using MathDnn.Metrics;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// The table behind <c>mathdnn verify</c>: every numbered statement of the spec that the library implements, run on
/// fresh random instances through the library's public API. Each row names the statement (e.g. <c>003 Prop 2.2</c>),
/// what is checked, the number of instances, and a tolerance derived next to it.
/// </summary>
public static class SpecChecks
{
    // Central differences (FiniteDifferences, h = ε^{1/3}·max(1, |x|)) err by ≈ ε|f|/h + h²|f'''|/6 ≈ 4e-11·(|f| +
    // |f'''|·max(1, |x|)³). Instances keep |x| ≤ 5 and values and third derivatives O(1–100) (the activations' |f'''| ≤ 2
    // with |f| ≤ 15 at |x| ≤ 5), so an entry errs by ≲ 4e-11·(100 + 2·125) ≈ 1.4e-8; the error reported is
    // |analytic − numeric| / max(1, |analytic|) and 1e-6 leaves ≥ 50×. The F# properties that state a row run it
    // (Verify.Spec), so the rows draw over their generators' ranges: widths 1–16, entries up to ±5.
    private const double CentralDifferences = 1e-6;

    // δ kept between a point and any kink: the stencil [x − h, x + h] has h ≤ 2e-5 for |x| ≤ 3, so δ = 1e-3 (50·h) keeps
    // it on one side, where the function is smooth.
    private const double Kink = 1e-3;

    // Closed forms of two optimizer steps vs the implementation: both evaluate the same expressions of g₀, g₁ in another
    // order, ≤ ~30 roundings of 2⁻⁵³ on terms bounded by |θ| and η·(ratios ≤ ~2): they differ by ≈ 1e-14·(1 + |θ| + η);
    // the error is |closed − step| / (1 + |closed| + η) and 1e-12 leaves 100×.
    private const double ClosedForm = 1e-12;

    /// <summary>Every check of the spec table, in row order.</summary>
    public static IReadOnlyList<SpecCheck> All { get; } = Build();

    /// <summary>
    /// The one check of <see cref="All"/> for <paramref name="statement"/> (e.g. <c>"003 Prop 2.2"</c>) whose description
    /// contains <paramref name="what"/> (ordinal, case-sensitive; empty when the statement has a single row). Throws an
    /// <see cref="ArgumentException"/> listing the candidates when none or several match.
    /// </summary>
    public static SpecCheck Find(string statement, string what = "")
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(what);
        var rows = All.Where(c => c.Statement == statement).ToList();
        var hits = rows.Where(c => c.What.Contains(what, StringComparison.Ordinal)).ToList();
        if (hits.Count == 1) return hits[0];
        string candidates = rows.Count == 0 ? "the table has no row for it" : "its rows: " + string.Join("; ", rows.Select(c => $"\"{c.What}\""));
        throw new ArgumentException(
            $"SpecChecks.Find: {(hits.Count == 0 ? "no" : hits.Count.ToString())} row{(hits.Count == 1 ? "" : "s")} of \"{statement}\" match \"{what}\"; {candidates}.",
            hits.Count == 0 && rows.Count == 0 ? nameof(statement) : nameof(what));
    }

    /// <summary>
    /// The row that checks <paramref name="loss"/>'s gradient ∇ₒξ against central differences: 003 Prop 3.1 for the
    /// categorical cross-entropy, the loss's own row of the 004 table (or 002) for every other loss of
    /// <see cref="LossCatalogue.All"/>. Throws an <see cref="ArgumentException"/> for a loss the table does not hold.
    /// </summary>
    public static SpecCheck ForLoss(Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss is CategoricalCrossEntropy) return Find("003 Prop 3.1");
        return All.FirstOrDefault(c => c.Statement == LossStatement(loss) && c.What.StartsWith(LossRowName(loss), StringComparison.Ordinal))
            ?? throw new ArgumentException($"SpecChecks.ForLoss: the table has no gradient row for {loss.Name}.", nameof(loss));
    }

    private static string LossRowName(Loss loss) => $"{loss.Name}: gradient ∇ₒξ vs central differences";

    /// <summary>Runs every check (check i draws from <c>Rng.Derive(seed, i)</c>); <paramref name="instances"/> overrides the per-check counts.</summary>
    public static IReadOnlyList<CheckResult> Run(int seed, int? instances = null) =>
        All.Select((c, i) => CheckResult.Of(c, seed, i, instances ?? c.Instances)).ToList();

    /// <summary>
    /// The whole verification table of <c>mathdnn verify</c>: the rows of <see cref="Run"/> (check i draws from
    /// <c>Rng.Derive(seed, i)</c>; <paramref name="instances"/> overrides their counts), then those of
    /// <see cref="TheoryRows.Run"/> (each with its own instance count). Each row holds the statement, what is checked,
    /// the largest error measured, its tolerance and the verdict.
    /// </summary>
    public static IReadOnlyList<CheckResult> Verify(int seed, int? instances = null) =>
        Run(seed, instances).Concat(TheoryRows.Run(seed)).ToList();

    // How the CLI's model head (MathDnn.Cli.Models.Head) ends a network for a loss and encodes its targets: both use
    // ClassifierHead.
    private sealed record LossHead(Loss Loss, bool Regression, int Classes, int OutputWidth)
    {
        public Activation? OutputActivation => Regression ? null : ClassifierHead.OutputActivation(Loss);

        public Matrix<double> Targets(IReadOnlyList<int> labels) => ClassifierHead.Targets(Loss, labels, OutputWidth);
    }

    private static List<SpecCheck> Build()
    {
        var checks = new List<SpecCheck>
        {
            // ---- 003 Section 1: differential calculus ----
            new("003 Prop 1.2", "sum rule J_{f+g} = J_f + J_g (f = tanh∘𝕃, g = σ∘𝕃), and central differences", 50, CentralDifferences, d =>
            {
                int n = d.Int(1, 5), m = d.Int(1, 5);
                var f = Dense.AsFunction(d.Mat(m, n, 1), d.Vec(m, 1)).Then(new Tanh().AsFunction(m));
                var g = Dense.AsFunction(d.Mat(m, n, 1), d.Vec(m, 1)).Then(new Sigmoid().AsFunction(m));
                var s = f + g;
                var a = d.Vec(n, 2);
                var j = s.Jacobian(a);
                return Math.Max(Diff(j, f.Jacobian(a) + g.Jacobian(a)), Fd(j, FiniteDifferences.Jacobian(s, a)));
            }),
            new("003 Thm 1.3", "chain rule: Jacobian of ℓ₅∘…∘ℓ₁ (𝕃, tanh, 𝕃, σ, 𝕃, softmax) = product of the layers' Jacobians, vs central differences", 50, CentralDifferences, d =>
            {
                int n = d.Int(1, 5), h1 = d.Int(1, 6), h2 = d.Int(1, 6), m = d.Int(1, 5);
                var net = RandomNetwork(d, n, [new Dense(n, h1), new Tanh(), new Dense(h1, h2), new Sigmoid(), new Dense(h2, m), new Softmax()]);
                var a = d.Vec(n, 2);
                return Fd(net.InputJacobian(a), FiniteDifferences.Jacobian(net.AsFunction(), a));
            }),

            // ---- 003 Section 2 and 002 Section 5: activations ----
            new("003 Prop 2.1", "ReLU Jacobian = diag(𝟙_{ℝ++}(z)), 0 at z = 0 (003 Assumption 1) exactly; central differences for |zᵢ| ≥ 1e-3", 50, CentralDifferences, d =>
            {
                int m = d.Int(1, 16);
                var relu = new Relu();
                var z = d.AwayFromZero(m, 5, Kink);
                var zk = z.Clone();
                zk[d.Int(0, m - 1)] = 0;
                double exact = Diff(relu.Jacobian(zk), Matrix<double>.Build.DenseOfDiagonalVector(zk.Map(v => v > 0 ? 1.0 : 0.0)));
                return Math.Max(exact, Fd(relu.Jacobian(z), FiniteDifferences.Jacobian(relu.AsFunction(m), z)));
            }),
            new("003 Prop 2.2", "softmax Jacobian 𝓢ᵢ(δᵢⱼ − 𝓢ⱼ) vs central differences", 50, CentralDifferences, d =>
            {
                int m = d.Int(1, 16);
                var z = d.Vec(m, 5);
                var softmax = new Softmax();
                return Fd(softmax.Jacobian(z), FiniteDifferences.Jacobian(softmax.AsFunction(m), z));
            }),
            // Rows: Σⱼ 𝓢ᵢ(δᵢⱼ − 𝓢ⱼ) = 𝓢ᵢ(1 − Σⱼ𝓢ⱼ) with Σ𝓢 = 1 ± mε, and the m + 1 roundings of the sum of terms ≤ 1
            // add ε each: ≤ 2(m + 1)ε ≈ 7.5e-15 for m ≤ 16; symmetry is exact (𝓢ᵢ·𝓢ⱼ = 𝓢ⱼ·𝓢ᵢ in IEEE arithmetic).
            // 2e-14 bounds both.
            new("003 Prop 2.2", "softmax Jacobian is symmetric and its rows sum to 0", 100, 2e-14, d =>
            {
                int m = d.Int(1, 16);
                var j = new Softmax().Jacobian(d.Vec(m, 5));
                double rows = Enumerable.Range(0, m).Max(i => Math.Abs(j.Row(i).Sum()));
                return Math.Max(Diff(j, j.Transpose()), rows);
            }),
            // 𝓢(z) = e^{z − max z}/Σ: each of the m ≤ 8 quotients is rounded twice (exp, division) and the sum once more:
            // |Σ𝓢ᵢ − 1| ≤ (2m + 1)·ε ≈ 3.8e-15 < 1e-14.
            new("003 Def 2.2", "softmax rows lie in ]0, 1[ (|z| ≤ 3) or [0, 1] (|z| ≤ 1000, still finite) and sum to 1", 100, 1e-14, d =>
            {
                int m = d.Int(2, 8);
                bool huge = d.Int(0, 1) == 1;
                var s = new Softmax().Apply(d.Vec(m, huge ? 1000 : 3));
                bool inRange = s.All(v => double.IsFinite(v) && (huge ? v is >= 0 and <= 1 : v is > 0 and < 1));
                return inRange ? Math.Abs(s.Sum() - 1) : double.PositiveInfinity;
            }),
            Activation("002 eq. 4", "sigmoid", _ => new Sigmoid(), margin: 0),
            Activation("002 eqs. 6–7", "tanh", _ => new Tanh(), margin: 0),
            new("002 Section 5.1", "linear unit: Jacobian = I exactly, and central differences", 50, CentralDifferences, d =>
            {
                int m = d.Int(1, 16);
                var id = new Identity();
                var z = d.Vec(m, 5);
                return Math.Max(Diff(id.Jacobian(z), Matrix<double>.Build.DenseIdentity(m)), Fd(id.Jacobian(z), FiniteDifferences.Jacobian(id.AsFunction(m), z)));
            }),
            new("004 activations", "leaky ReLU max(αz, z), α = 0.1 or k/100: Jacobian diag(1 or α; α at 0) exactly; central differences for |zᵢ| ≥ 1e-3", 50, CentralDifferences, d =>
            {
                int m = d.Int(1, 16);
                double alpha = d.Int(0, 1) == 0 ? 0.1 : d.Int(1, 99) / 100.0;
                var leaky = new LeakyRelu(alpha);
                var z = d.AwayFromZero(m, 5, Kink);
                var zk = z.Clone();
                zk[d.Int(0, m - 1)] = 0;
                double exact = Diff(leaky.Jacobian(zk), Matrix<double>.Build.DenseOfDiagonalVector(zk.Map(v => v > 0 ? 1.0 : alpha)));
                return Math.Max(exact, Fd(leaky.Jacobian(z), FiniteDifferences.Jacobian(leaky.AsFunction(m), z)));
            }),
            Activation("004 activations", "ELU (α = 1 or k/100, k ≤ 300)", d => new Elu(d.Int(0, 1) == 0 ? 1.0 : d.Int(1, 300) / 100.0), margin: Kink),
            new("004 activations", "maxout (k pieces): input and parameter Jacobians vs central differences, away from ties", 50, CentralDifferences, d =>
            {
                int n = d.Int(1, 16), m = d.Int(1, 16), k = d.Int(2, 4);
                var net = RandomNetwork(d, n, [new Maxout(n, m, k)]);
                var w = net.Parameters.Weights(0);
                var b = net.Parameters.Bias(0);
                for (int attempt = 0; attempt < 100; attempt++)
                {
                    var x = d.Vec(n, 2);
                    var z = w * x + b; // piece-major: row i·m + j is unit j of piece i
                    bool clear = Enumerable.Range(0, m).All(j =>
                    {
                        var pieces = Enumerable.Range(0, k).Select(i => z[i * m + j]).OrderByDescending(v => v).ToArray();
                        return pieces[0] - pieces[1] >= Kink;
                    });
                    if (clear)
                        return Math.Max(Fd(net.InputJacobian(x), FiniteDifferences.Jacobian(net.AsFunction(), x)),
                            Fd(net.ParameterJacobian(x), FiniteDifferences.Jacobian(net.AsFunctionOfParameters(x), net.Parameters.ToVector())));
                }
                throw new InvalidOperationException("no input without ties in 100 draws");
            }),

            // Every operation is exact on [0, 1]: 2x, x − ½ (Sterbenz, x ≥ ¼; below, the sign alone matters), 2a − 4b whose
            // exact value 2 − 2x is representable, and 2·min(x, 1 − x) with 1 − x exact for x ≥ ½. So the error is 0.
            new("004 Telgarsky slide", "the ReLU network σ(2σ(x) − 4σ(x − ½)) is the tent map m on [0, 1], and k of them composed are m^k", 100, 0, d =>
            {
                int k = d.Int(1, 6);
                var layers = new List<Layer>();
                for (int i = 0; i < k; i++) layers.AddRange([new Dense(1, 2), new Relu(), new Dense(2, 1), new Relu()]);
                var net = Network.Create(1, layers, Initialization.Zeros);
                var theta = new double[net.ParameterCount];
                for (int i = 0; i < k; i++) // per block: W₁ = (1, 1)ᵀ, b₁ = (0, −½), W₂ = (2, −4), b₂ = 0
                    new double[] { 1, 1, 0, -0.5, 2, -4, 0 }.CopyTo(theta, 7 * i);
                net = net.WithParameters(Parameters.FromArray(net.Parameters.Layout, theta));
                double x = d.U(0, 1);
                return Math.Abs(net.Apply(Vector<double>.Build.Dense(1, x))[0] - TelgarskyExperiment.Tent(x, k));
            }),

            // ---- 003 Section 3: the loss ----
            new("003 Prop 3.1", "categorical cross-entropy: ∇ξ(y, y*) = −y*/y exactly, and central differences (y ∈ [0.05, 0.95]ᵐ)", 50, CentralDifferences, d =>
            {
                int m = d.Int(2, 8);
                var y = Vector<double>.Build.Dense(m, _ => d.U(0.05, 0.95));
                var t = d.OneHot(1, m).Row(0);
                var loss = new CategoricalCrossEntropy();
                var g = loss.Gradient(y, t);
                double exact = Diff(g, -t.PointwiseDivide(y));
                return Math.Max(exact, Fd(g, FiniteDifferences.Gradient(v => loss.Value(v, t), y)));
            }),
        };

        // ---- the 004 loss table and the other catalogued losses ----
        foreach (var loss in LossCatalogue.All.Where(l => l is not CategoricalCrossEntropy))
            checks.Add(new(LossStatement(loss), $"{LossRowName(loss)}{(LossCatalogue.HasKinks(loss) ? " (1e-3 from kinks)" : "")}", 50, CentralDifferences,
                d => LossInstance(d, loss)));

        checks.AddRange(
        [
            // ---- 003 Section 4: the dense layer ----
            new("003 Prop 4.1", "dense layer: J_𝕃(·, W, b)(y) = W exactly, and central differences", 50, CentralDifferences, d =>
            {
                int n = d.Int(1, 16), m = d.Int(1, 16);
                var w = d.Mat(m, n, 2);
                var f = Dense.AsFunction(w, d.Vec(m, 2));
                var y = d.Vec(n, 3);
                return Math.Max(Diff(f.Jacobian(y), w), Fd(f.Jacobian(y), FiniteDifferences.Jacobian(f, y)));
            }),
            new("003 Prop 4.2", "dense layer: Jacobian w.r.t. row i* of W = y at row i*, zeros elsewhere, exactly; central differences", 50, CentralDifferences, d =>
            {
                int n = d.Int(1, 16), m = d.Int(1, 16), row = d.Int(0, m - 1);
                var w = d.Mat(m, n, 2);
                var y = d.Vec(n, 3);
                var f = Dense.AsFunctionOfRow(y, w, d.Vec(m, 2), row);
                var j = f.Jacobian(w.Row(row));
                return Math.Max(Diff(j, Dense.RowJacobian(y, m, row)), Fd(j, FiniteDifferences.Jacobian(f, w.Row(row))));
            }),
            new("003 Prop 4.3", "dense layer: Jacobian w.r.t. b = Iₘ exactly, and central differences", 50, CentralDifferences, d =>
            {
                int n = d.Int(1, 16), m = d.Int(1, 16);
                var f = Dense.AsFunctionOfBias(d.Vec(n, 3), d.Mat(m, n, 2));
                var b = d.Vec(m, 2);
                return Math.Max(Diff(f.Jacobian(b), Matrix<double>.Build.DenseIdentity(m)), Fd(f.Jacobian(b), FiniteDifferences.Jacobian(f, b)));
            }),

            // ---- 003 Section 5: simplified gradients, the network and its objective ----
            // Multiplying by 1 or 0 and adding zeros is exact in any order: u·J_𝓡 and u ⊙ 𝟙 are bit-identical.
            new("003 Prop 5.1", "ReLU backward pass u·J_𝓡(z) = u ⊙ 𝟙_{ℝ++}(z), without a matrix product, exactly", 100, 0, d =>
            {
                int m = d.Int(1, 16);
                var z = d.Vec(m, 5);
                z[d.Int(0, m - 1)] = 0;
                var u = d.Vec(m, 5);
                var relu = new Relu();
                var backward = relu.Backward(z, u);
                return Math.Max(Diff(backward, u.PointwiseMultiply(z.Map(v => v > 0 ? 1.0 : 0.0))), Diff(backward, relu.Jacobian(z).LeftMultiply(u)));
            }),
            // dY = δ·W (the kernel) and u·J_y = u·W (MathNet) sum the same m ≤ 16 products in possibly different orders:
            // ≤ 2mε·Σₖ|uₖWₖⱼ| apart, checked entry by entry through Within.
            new("003 Prop 5.2", "∇ w.r.t. row i* of W of F∘𝕃 = ∇F(z)_{i*}·y (F = squared error): backward pass exactly, central differences; db = u, dY = u·W", 50, CentralDifferences, d =>
            {
                int n = d.Int(1, 16), m = d.Int(1, 16), row = d.Int(0, m - 1);
                var w = d.Mat(m, n, 1);
                var b = d.Vec(m, 1);
                var y = d.Vec(n, 2);
                var t = d.Vec(m, 2);
                var se = new SquaredError();
                var z = Dense.Apply(y, w, b);
                var upstream = se.Gradient(z, t);                 // ∇F(z) = 2(z − t)
                var formula = y * upstream[row];                   // 003 Prop 5.2
                var (dw, db, dy) = Dense.Backward(y.ToRowMatrix(), w, upstream.ToRowMatrix());
                var f = Dense.AsFunctionOfRow(y, w, b, row);
                var numeric = FiniteDifferences.Gradient(v => se.Value(f.Apply(v), t), w.Row(row));
                // One sample: every entry of dW = ∇F(z)ᵀ·y is a single product, so all its rows (row i* is the formula) are exact.
                double exact = Math.Max(Math.Max(Diff(dw.Row(row), formula), Diff(dw, upstream.OuterProduct(y))), Diff(db, upstream));
                var uw = w.LeftMultiply(upstream);
                var bound = w.PointwiseAbs().LeftMultiply(upstream.PointwiseAbs()) * (2 * m * Epsilon);
                double dyRatio = Enumerable.Range(0, n).Max(j => Math.Abs(dy[0, j] - uw[j]) / Math.Max(bound[j], double.Epsilon));
                return Math.Max(exact, Math.Max(Fd(formula, numeric), Within(dyRatio, 1, CentralDifferences)));
            }),
            // The fused gradient against the product ∇ξ(𝓢)·J_𝓢, whose only non-zero row t (yₜ = 1) is (−1/𝓢ₜ)·𝓢ₜ(δₜⱼ − 𝓢ⱼ).
            // With u = ε/2, each computed 𝓢ᵢ = e^{zᵢ−max}/Σ errs by ≤ (m + 1)u relative. For j ≠ t both sides are 𝓢ⱼ up to
            // three roundings: ≤ 3u apart. At j = t the fused entry is −Σ_{i≠t} 𝓢ᵢ (≤ (2m − 1)u·(1 − 𝓢ₜ) from exact) and
            // the product −(1 − 𝓢ₜ) after four roundings (≤ (m + 1)u + 3u): ≤ (3m + 3)u = 1.5(m + 1)ε apart, the bound
            // stated in the row's tolerance by Within.
            new("003 Prop 5.3", "∇(ξ(·, y*)∘𝓢)(z) = 𝓢(z) − y*: central differences of the composition, and the fused softmax cross-entropy = ∇ξ(𝓢)·J_𝓢 within 1.5(m + 1)ε", 50, CentralDifferences, d =>
            {
                int m = d.Int(2, 16);
                var z = d.Vec(m, 5);
                var t = d.OneHot(1, m).Row(0);
                var softmax = new Softmax();
                var cce = new CategoricalCrossEntropy();
                var fused = new SoftmaxCrossEntropy().Gradient(z, t);
                var numeric = FiniteDifferences.Gradient(v => cce.Value(softmax.Apply(v), t), z);
                var product = softmax.Jacobian(z).LeftMultiply(cce.Gradient(softmax.Apply(z), t));
                return Math.Max(Fd(fused, numeric), Within(Diff(fused, product), 1.5 * (m + 1) * Epsilon, CentralDifferences));
            }),
            new("003 Def 5.1", "corollary: 𝒩_c+ of sizes (m₀, …, m_p) has Σₖ mₖ(mₖ₋₁ + 1) parameters", 100, 0, d =>
            {
                var sizes = Enumerable.Range(0, d.Int(2, 6)).Select(_ => d.Int(1, 30)).ToArray();
                long formula = Enumerable.Range(1, sizes.Length - 1).Sum(k => (long)sizes[k] * (sizes[k - 1] + 1));
                var net = Network.MultiClass(sizes, d.Seed());
                return new long[] { net.ParameterCount, net.Parameters.Count, net.Parameters.ToVector().Count }.Max(c => Math.Abs(c - formula));
            }),
            // The same dot products summed in another order (the engine's kernel vs MathNet's): ≤ n·ε·Σ|terms| per entry
            // with n ≤ 8 terms of size ≲ 10 (He-initialised weights), ≈ 2e-14, and softmax is 1-Lipschitz: 1e-12 bounds it.
            new("003 Def 5.1", "𝒩_c+(x) = 𝓢∘𝕃⁽ᵖ⁾∘(𝓡∘𝕃)⁽ᵖ⁻¹⁾(x), composed by hand from 003 Defs 2.1, 2.2, 4.1", 50, 1e-12, d =>
            {
                var sizes = Enumerable.Range(0, d.Int(2, 5)).Select(_ => d.Int(1, 8)).ToArray();
                var net = Network.MultiClass(sizes, d.Seed());
                var x = d.Vec(sizes[0], 2);
                var a = x;
                for (int k = 1; k < sizes.Length; k++)
                {
                    var z = Dense.Apply(a, net.Parameters.Weights(2 * (k - 1)), net.Parameters.Bias(2 * (k - 1)));
                    a = k < sizes.Length - 1 ? new Relu().Apply(z) : new Softmax().Apply(z);
                }
                return Diff(net.Apply(x), a);
            }),
            new("003 Def 5.2", "∇_θ𝒪 by backpropagation (𝒩 with tanh hidden layers, categorical cross-entropy, sum) vs central differences", 40, CentralDifferences, d =>
            {
                int n = d.Int(1, 4), h = d.Int(1, 5), k = d.Int(2, 4);
                var net = RandomNetwork(d, n, [new Dense(n, h), new Tanh(), new Dense(h, k), new Softmax()]);
                return ObjectiveError(net, new CategoricalCrossEntropy(), d.Mat(d.Int(1, 4), n, 2), null, d);
            }),
            new("003 Def 5.2", "∇_θ𝒪 by backpropagation for 𝒩_c+ itself (ReLU, pre-activations ≥ 1e-3 from 0) vs central differences", 40, CentralDifferences, d =>
            {
                var sizes = Enumerable.Range(0, d.Int(3, 4)).Select(_ => d.Int(1, 5)).ToArray();
                sizes[^1] = Math.Max(2, sizes[^1]);
                var net = Network.MultiClass(sizes, d.Seed());
                net = net.WithParameters(Parameters.FromVector(net.Parameters.Layout, d.Vec(net.ParameterCount, 1)));
                for (int attempt = 0; attempt < 200; attempt++)
                {
                    var x = d.Mat(d.Int(1, 3), sizes[0], 2);
                    if (MinReluMargin(net, x) >= Kink) return ObjectiveError(net, new CategoricalCrossEntropy(), x, null, d);
                }
                throw new InvalidOperationException("no batch with every pre-activation 1e-3 away from the ReLU kink in 200 draws");
            }),
            new("003 Def 5.2", "∇_θ𝒪 by backpropagation for every catalogued loss, on the network `train` builds for it, vs central differences", LossCatalogue.All.Count * 4, CentralDifferences, d =>
            {
                var loss = LossCatalogue.All[d.Int(0, LossCatalogue.All.Count - 1)];
                return AnyLossObjectiveError(d, loss);
            }),
            // Mean and sum are the same sums with every upstream term scaled by 1/k (one rounding each): they differ by
            // ≤ c·ε·Σ|terms| ≈ 10·2.2e-16·40 ≈ 1e-13 relative to max(1, |g|); 1e-12 leaves 10×.
            new("003 Def 5.2", "the mean objective (004 Algorithm 8.1) is the sum of 003 Def 5.2 over k, value and gradient", 50, 1e-12, d =>
            {
                int n = d.Int(1, 4), h = d.Int(1, 5), c = d.Int(2, 4), k = d.Int(1, 6);
                var net = RandomNetwork(d, n, [new Dense(n, h), new Tanh(), new Dense(h, c), new Softmax()]);
                var x = d.Mat(k, n, 2);
                var t = d.OneHot(k, c);
                var (vs, gs) = new Objective(new CategoricalCrossEntropy(), Reduction.Sum).ValueAndGradient(net, x, t);
                var (vm, gm) = new Objective(new CategoricalCrossEntropy(), Reduction.Mean).ValueAndGradient(net, x, t);
                return Math.Max(Math.Abs(k * vm - vs) / Math.Max(1, Math.Abs(vs)), Fd(gs.ToVector(), gm.ToVector() * k));
            }),

            // ---- optimizers: closed forms of the first two steps on random θ₀, g₀, g₁ ----
            Steps("004 Algorithm 8.1", "gradient descent θ ← θ − ηg: two steps equal the closed form", (d, eta, _) =>
                (Optim.Sgd(eta), (t0, g0, g1) => { var t1 = t0 - eta * g0; return (t1, t1 - eta * g1); })),
            Steps("002 Section 7.4", "momentum, PyTorch and Sutskever/Keras conventions: θ₂ = θ₀ − η(1 + μ)g₀ − ηg₁", (d, eta, _) =>
            {
                double mu = d.U(0, 0.99);
                return (new Momentum(eta, mu, Convention(d)), (t0, g0, g1) => (t0 - eta * g0, t0 - eta * (1 + mu) * g0 - eta * g1));
            }),
            Steps("002 Section 7.4", "Nesterov momentum, both conventions: θ₁ = θ₀ − η(1 + μ)g₀, θ₂ = θ₁ − η((1 + μ)g₁ + μ²g₀)", (d, eta, _) =>
            {
                double mu = d.U(0, 0.99);
                return (new Momentum(eta, mu, Convention(d), nesterov: true), (t0, g0, g1) =>
                {
                    var t1 = t0 - eta * (1 + mu) * g0;
                    return (t1, t1 - eta * ((1 + mu) * g1 + mu * mu * g0));
                });
            }),
            Steps("003 abstract", "Keras SGD with decay and momentum (train's default): η_t = η/(1 + decay·t), θ₂ = θ₀ − η(1 + μ)g₀ − η₁g₁", (d, eta, _) =>
            {
                double mu = d.U(0, 0.99), decay = d.U(0, 0.1);
                return (Optim.KerasSgd(eta, mu, decay), (t0, g0, g1) => (t0 - eta * g0, t0 - eta * (1 + mu) * g0 - eta / (1 + decay) * g1));
            }),
            Steps("002 eq. 9", "RMSprop, ε inside (002 eq. 9) or outside the root R: v₁ = (1 − β)g₀², θ₁ = θ₀ − ηg₀/R(v₁), …", (d, eta, _) =>
            {
                double beta = d.U(0, 0.99), eps = d.U(1e-8, 1e-2);
                var placement = d.Int(0, 1) == 0 ? EpsilonPlacement.InsideRoot : EpsilonPlacement.OutsideRoot;
                Vector<double> R(Vector<double> v) => placement == EpsilonPlacement.InsideRoot ? (v + eps).PointwiseSqrt() : v.PointwiseSqrt() + eps;
                return (Optim.RmsProp(eta, beta, eps, placement), (t0, g0, g1) =>
                {
                    var v1 = (1 - beta) * g0.PointwisePower(2);
                    var t1 = t0 - eta * g0.PointwiseDivide(R(v1));
                    var v2 = beta * v1 + (1 - beta) * g1.PointwisePower(2);
                    return (t1, t1 - eta * g1.PointwiseDivide(R(v2)));
                });
            }),
            Steps("002 Section 7.6", "Adam as Kingma & Ba (moments with and without bias correction; 002 eq. 13 is garbled): two steps", (d, eta, n) =>
            {
                double b1 = d.U(0, 0.99), b2 = d.Int(0, 1) == 0 ? 0.999 : d.U(0, 0.99), eps = d.U(1e-8, 1e-3);
                bool bias = d.Int(0, 1) == 0;
                return (new Adam(eta, b1, b2, eps, bias), (t0, g0, g1) => AdamClosedForm(eta, b1, b2, eps, bias, 0, Vector<double>.Build.Dense(n), t0, g0, g1));
            }),
            Steps("002 Section 7.6", "AdamW: Adam's two steps plus the decoupled decay η·λ·M⊙θ (M a 0/1 mask)", (d, eta, n) =>
            {
                double lambda = d.U(0, 1);
                var mask = Vector<double>.Build.Dense(n, _ => d.Int(0, 1));
                var layout = new ParameterLayout([new ParameterBlock(0, "W", 1, n, 0)]);
                return (Optim.AdamW(eta, lambda, Parameters.FromVector(layout, mask)),
                    (t0, g0, g1) => AdamClosedForm(eta, 0.9, 0.999, 1e-8, true, lambda, mask, t0, g0, g1));
            }),
            Steps("002 Section 7", "AdaGrad: s₁ = s₀ + g₀², θ₁ = θ₀ − ηg₀/(√s₁ + ε), s₂ = s₁ + g₁², …", (d, eta, _) =>
            {
                double eps = d.U(1e-10, 1e-3), s0 = d.U(0, 1);
                return (new AdaGrad(eta, eps, s0), (t0, g0, g1) =>
                {
                    var s1 = s0 + g0.PointwisePower(2);
                    var t1 = t0 - eta * g0.PointwiseDivide(s1.PointwiseSqrt() + eps);
                    var s2 = s1 + g1.PointwisePower(2);
                    return (t1, t1 - eta * g1.PointwiseDivide(s2.PointwiseSqrt() + eps));
                });
            }),
            // One full-batch epoch takes one step with the mean gradient, summed in the shuffled order: the two sums agree
            // to ≈ k·ε·Σ|terms| ≲ 1e-13 relative to max(1, |θ|); 1e-12 leaves 10×.
            new("002 Section 7.1", "batch gradient descent: one epoch of the trainer with the whole set is θ − η·∇(mean objective)", 50, 1e-12, d =>
            {
                int n = d.Int(1, 4), h = d.Int(1, 5), c = d.Int(2, 4), k = d.Int(1, 8);
                var net = RandomNetwork(d, n, [new Dense(n, h), new Tanh(), new Dense(h, c), new Softmax()]);
                var data = new Dataset(d.Mat(k, n, 2), d.OneHot(k, c));
                double eta = d.U(0.01, 0.5);
                var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Sgd(eta)) { BatchSize = 0, Seed = d.Seed() };
                var (after, _, _) = Trainer.Epoch(net, options.Optimizer.Init(net.Parameters), data, options, 1);
                var g = new Objective(new CategoricalCrossEntropy(), Reduction.Mean).Gradient(net, data.Inputs, data.Targets);
                return Fd(after.Parameters.ToVector(), (net.Parameters - eta * g).ToVector());
            }),
            // f(x) = ½xAxᵀ − bxᵀ is computed with ≤ 2n² + n roundings on terms of total size S = ½|x||A||x|ᵀ + |b||x|ᵀ:
            // rounding ≤ 60ε·S ≈ 1.3e-14·S for n ≤ 5; a violation is reported relative to 1 + S, and 1e-12 leaves ≥ 50×.
            new("003 Props 6.1–6.3", "GD with η = 1/L on a convex L-smooth quadratic: f(x_t) decreases and f(x_t) − f* ≤ L‖x₀ − x*‖²/(2t)", 50, 1e-12,
                QuadraticRate),

            // ---- 002 Sections 8–9: metrics and least squares ----
            // micro p = r = ΣTP/n and accuracy = correct/n are one division of the same two integers: equal exactly.
            new("002 Section 8.1", "micro precision = recall = accuracy exactly, for single-label data", 100, 0, d =>
            {
                int k = d.Int(1, 6), n = d.Int(1, 60);
                var report = ClassificationReport.Of(d.Labels(n, k), d.Labels(n, k), k);
                return Math.Max(Math.Abs(report.Micro.Precision - report.Accuracy), Math.Abs(report.Micro.Recall - report.Accuracy));
            }),
            // F = 2pr/(p + r) takes four correctly rounded operations: a relative error ≤ 4·ε/2 = 2ε, so F lies in
            // [min(p, r)·(1 − 2ε), max(p, r)·(1 + 2ε)]; the error is how far it lies outside (0 inside).
            new("002 Section 8.1", "each class's F-score and the micro-averaged one lie between min(p, r) and max(p, r), up to 2ε", 100, 0, d =>
            {
                int k = d.Int(1, 6), n = d.Int(1, 60);
                var report = ClassificationReport.Of(d.Labels(n, k), d.Labels(n, k), k);
                return report.PerClass.Append(report.Micro).Max(s =>
                {
                    double lo = Math.Min(s.Precision, s.Recall) * (1 - 2 * Epsilon), hi = Math.Max(s.Precision, s.Recall) * (1 + 2 * Epsilon);
                    return Math.Max(0, Math.Max(lo - s.FScore, s.FScore - hi));
                });
            }),
            // Householder QR is backward stable: ‖Xᵀr‖ ≤ √p·(n + 1)(p + 1)·ε·‖X‖·(‖y‖ + ‖X‖‖β‖) (derivation in the F#
            // least-squares properties). The error reported is ‖Xᵀr‖ divided by that bound: at most 1.
            new("002 eq. 20", "least squares by QR: the residual is orthogonal to the columns of X (‖Xᵀr‖ / its rounding bound), X and y scaled by 1e-3, 1 or 1e3", 50, 1, d =>
            {
                int p = d.Int(1, 5), n = d.Int(p + 1, p + 15);
                double[] scales = [1e-3, 1, 1e3];
                var x = d.Mat(n, p, 1) * scales[d.Int(0, 2)];
                var y = d.Vec(n, 1) * scales[d.Int(0, 2)];
                if (x.ConditionNumber() > 1e4) return 0; // ill-conditioned draws are outside the statement's premise
                var beta = OrdinaryLeastSquares.Solve(x, y);
                var r = OrdinaryLeastSquares.Residual(x, y, beta);
                double sMax = OrdinaryLeastSquares.SingularValues(x)[0];
                double bound = Math.Sqrt(p) * (n + 1.0) * (p + 1.0) * OrdinaryLeastSquares.Epsilon * sMax * (y.L2Norm() + sMax * beta.L2Norm());
                return x.TransposeThisAndMultiply(r).L2Norm() / bound;
            }),
        ]);
        return checks;
    }

    // ---- helpers ----

    /// <summary>max |a − d| / max(1, |a|) over the entries (the mixed error central differences are judged by).</summary>
    internal static double Fd(Matrix<double> analytic, Matrix<double> numeric)
    {
        if (analytic.RowCount != numeric.RowCount || analytic.ColumnCount != numeric.ColumnCount) return double.PositiveInfinity;
        double worst = 0;
        for (int i = 0; i < analytic.RowCount; i++)
            for (int j = 0; j < analytic.ColumnCount; j++)
                worst = Math.Max(worst, Math.Abs(analytic[i, j] - numeric[i, j]) / Math.Max(1, Math.Abs(analytic[i, j])));
        return double.IsNaN(worst) ? double.PositiveInfinity : worst;
    }

    internal static double Fd(Vector<double> analytic, Vector<double> numeric) => Fd(analytic.ToRowMatrix(), numeric.ToRowMatrix());

    /// <summary>ε = 2⁻⁵², the spacing of doubles at 1 (the library's one constant for it).</summary>
    private const double Epsilon = OrdinaryLeastSquares.Epsilon;

    /// <summary>
    /// An error with a bound of its own, stated in a row's tolerance: ≤ <paramref name="tolerance"/> exactly when
    /// <paramref name="error"/> ≤ <paramref name="bound"/> (so a row can check a tight rounding bound beside its main one).
    /// </summary>
    private static double Within(double error, double bound, double tolerance) => error <= bound ? 0 : tolerance * (1 + error / bound);

    /// <summary>max |a − b| (for identities that hold exactly or to rounding).</summary>
    internal static double Diff(Matrix<double> a, Matrix<double> b) =>
        a.RowCount != b.RowCount || a.ColumnCount != b.ColumnCount ? double.PositiveInfinity : (a - b).Enumerate().Select(Math.Abs).DefaultIfEmpty(0).Max();

    internal static double Diff(Vector<double> a, Vector<double> b) => Diff(a.ToRowMatrix(), b.ToRowMatrix());

    /// <summary>A network of these layers with every parameter uniform on [−1, 1].</summary>
    private static Network RandomNetwork(Draw d, int inputs, Layer[] layers)
    {
        var net = Network.Create(inputs, layers, Initialization.Zeros);
        return net.WithParameters(Parameters.FromVector(net.Parameters.Layout, d.Vec(net.ParameterCount, 1)));
    }

    private static SpecCheck Activation(string statement, string name, Func<Draw, ElementwiseActivation> make, double margin) =>
        new(statement, $"{name}: diagonal Jacobian diag(f′(zᵢ)) vs central differences{(margin > 0 ? " (|zᵢ| ≥ 1e-3)" : "")}", 50, CentralDifferences, d =>
        {
            var f = make(d);
            int m = d.Int(1, 16);
            var z = margin > 0 ? d.AwayFromZero(m, 5, margin) : d.Vec(m, 5);
            return Fd(f.Jacobian(z), FiniteDifferences.Jacobian(f.AsFunction(m), z));
        });

    private static string LossStatement(Loss loss) => loss switch
    {
        SoftmaxCrossEntropy => "003 Prop 5.3",
        BinaryCrossEntropy or SigmoidBinaryCrossEntropy => "002 eq. 1",
        SquaredError => "002 eq. 3",
        MeanSquaredError => "002 eq. 15",
        _ => "004 loss table",
    };

    /// <summary>
    /// One loss gradient instance (the F# loss-gradient property runs these rows, SpecChecks.ForLoss): logits in [−3, 3], or probabilities in [0.05, 0.95] for the
    /// binary cross-entropy on probabilities; targets of the loss's encoding; outputs 1e-3 away from kinks.
    /// </summary>
    private static double LossInstance(Draw d, Loss loss)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int m = d.Int(2, 8);
            var o = loss is BinaryCrossEntropy ? Vector<double>.Build.Dense(m, _ => d.U(0.05, 0.95)) : d.Vec(m, 3);
            var y = loss.Encoding switch
            {
                TargetEncoding.OneHot => d.OneHot(1, m).Row(0),
                TargetEncoding.PlusMinusOne => Vector<double>.Build.Dense(m, _ => d.Int(0, 1) == 0 ? -1.0 : 1.0),
                TargetEncoding.UnitInterval => Vector<double>.Build.Dense(m, _ => d.U(0, 1)),
                _ => d.Vec(m, 3),
            };
            if (LossCatalogue.KinkDistance(loss, o.ToArray(), y.ToArray()) <= Kink) continue;
            return Fd(loss.Gradient(o, y), FiniteDifferences.Gradient(v => loss.Value(v, y), o));
        }
        throw new InvalidOperationException("no output 1e-3 away from the kinks in 1000 draws");
    }

    /// <summary>max over θ of the error of ∇_θ𝒪 (backpropagation) against central differences of θ ↦ 𝒪.</summary>
    private static double ObjectiveError(Network net, Loss loss, Matrix<double> x, Matrix<double>? targets, Draw d)
    {
        var t = targets ?? d.OneHot(x.RowCount, net.OutputSize);
        var objective = new Objective(loss, Reduction.Sum);
        var (_, g) = objective.ValueAndGradient(net, x, t);
        var f = objective.AsFunctionOfParameters(net, x, t);
        return Fd(g.ToVector(), FiniteDifferences.Gradient(theta => f.Apply(theta)[0], net.Parameters.ToVector()));
    }

    /// <summary>
    /// A small network with a tanh hidden layer ending as the CLI's model head ends it (<see cref="LossHead"/>) for <paramref name="loss"/> (softmax for
    /// the σ-losses and cross-entropy, sigmoid for binary cross-entropy, raw otherwise), targets in the loss's encoding,
    /// outputs 1e-3 away from the loss's kinks.
    /// </summary>
    private static double AnyLossObjectiveError(Draw d, Loss loss)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int n = d.Int(1, 4), h = d.Int(1, 5), classes = d.Int(2, 4), k = d.Int(1, 3);
            bool regression = loss.Encoding == TargetEncoding.Real && d.Int(0, 1) == 1;
            var head = regression ? new LossHead(loss, true, 0, d.Int(1, 3))
                : new LossHead(loss, false, classes, classes == 2 && loss.Encoding == TargetEncoding.UnitInterval ? 1 : classes);
            var layers = new List<Layer> { new Dense(n, h), new Tanh(), new Dense(h, head.OutputWidth) };
            if (head.OutputActivation is { } a) layers.Add(a);
            var net = RandomNetwork(d, n, [.. layers]);
            var x = d.Mat(k, n, 2);
            var t = regression ? d.Mat(k, head.OutputWidth, 2) : head.Targets(d.Labels(k, classes));
            if (LossCatalogue.HasKinks(loss))
            {
                var o = net.Forward(x);
                if (Enumerable.Range(0, k).Any(i => LossCatalogue.KinkDistance(loss, o.Row(i).ToArray(), t.Row(i).ToArray()) <= Kink)) continue;
            }
            return ObjectiveError(net, loss, x, t, d);
        }
        throw new InvalidOperationException($"{loss.Name}: no network output 1e-3 away from the kinks in 200 draws");
    }

    /// <summary>The smallest |pre-activation| of the ReLU layers of a dense/activation network on a batch.</summary>
    private static double MinReluMargin(Network net, Matrix<double> x)
    {
        double min = double.PositiveInfinity;
        var a = x;
        for (int k = 0; k < net.Layers.Length; k++)
        {
            switch (net.Layers[k])
            {
                case Dense:
                    a = Dense.Apply(a, net.Parameters.Weights(k), net.Parameters.Bias(k));
                    if (k + 1 < net.Layers.Length && net.Layers[k + 1] is Relu)
                        min = Math.Min(min, a.Enumerate().Min(Math.Abs));
                    break;
                case Activation act:
                    a = act.Apply(a);
                    break;
            }
        }
        return min;
    }

    private delegate (Vector<double> Theta1, Vector<double> Theta2) ClosedFormSteps(Vector<double> theta0, Vector<double> g0, Vector<double> g1);

    /// <summary>An optimizer with hyperparameters drawn from <paramref name="d"/> for learning rate η on n parameters, and the closed form of its first two steps.</summary>
    private delegate (Optimizer Optimizer, ClosedFormSteps Closed) StepsCase(Draw d, double eta, int n);

    private static MomentumConvention Convention(Draw d) => d.Int(0, 1) == 0 ? MomentumConvention.PyTorch : MomentumConvention.Sutskever;

    /// <summary>Two steps of an optimizer on random θ₀, g₀, g₁ against their closed form.</summary>
    private static SpecCheck Steps(string statement, string what, StepsCase make) =>
        new(statement, what, 100, ClosedForm, d =>
        {
            int n = d.Int(1, 6);
            double eta = d.U(0.001, 0.5);
            var layout = new ParameterLayout([new ParameterBlock(0, "W", 1, n, 0)]);
            Parameters P(Vector<double> v) => Parameters.FromVector(layout, v);
            var (t0, g0, g1) = (d.Vec(n, 3), d.Vec(n, 2), d.Vec(n, 2));
            var (opt, closed) = make(d, eta, n);
            var (p1, s1) = opt.Step(P(t0), P(g0), opt.Init(P(t0)));
            var (p2, _) = opt.Step(p1, P(g1), s1);
            var (e1, e2) = closed(t0, g0, g1);
            double Err(Vector<double> expected, Parameters actual) =>
                Enumerable.Range(0, n).Max(i => Math.Abs(expected[i] - actual[i]) / (1 + Math.Abs(expected[i]) + eta));
            return Math.Max(Err(e1, p1), Err(e2, p2));
        });

    /// <summary>Kingma &amp; Ba's first two Adam steps, with or without bias correction (the decoupled term η·λ·M⊙θ added for AdamW).</summary>
    private static (Vector<double>, Vector<double>) AdamClosedForm(double eta, double b1, double b2, double eps, bool bias, double lambda,
        Vector<double> mask, Vector<double> t0, Vector<double> g0, Vector<double> g1)
    {
        // m₁ = (1−β₁)g₀, v₁ = (1−β₂)g₀²; m₂ = β₁m₁ + (1−β₁)g₁, v₂ = β₂v₁ + (1−β₂)g₁²; m̂ₜ = mₜ/(1−β₁ᵗ), v̂ₜ = vₜ/(1−β₂ᵗ)
        // (m̂ₜ = mₜ, v̂ₜ = vₜ without bias correction).
        double C1(int t) => bias ? 1 - Math.Pow(b1, t) : 1;
        double C2(int t) => bias ? 1 - Math.Pow(b2, t) : 1;
        var m1 = (1 - b1) * g0;
        var v1 = (1 - b2) * g0.PointwisePower(2);
        var t1 = t0 - eta * ((m1 / C1(1)).PointwiseDivide((v1 / C2(1)).PointwiseSqrt() + eps) + lambda * mask.PointwiseMultiply(t0));
        var m2 = b1 * m1 + (1 - b1) * g1;
        var v2 = b2 * v1 + (1 - b2) * g1.PointwisePower(2);
        var t2 = t1 - eta * ((m2 / C1(2)).PointwiseDivide((v2 / C2(2)).PointwiseSqrt() + eps) + lambda * mask.PointwiseMultiply(t1));
        return (t1, t2);
    }

    /// <summary>
    /// GD with η = 1/L on f(x) = ½xAxᵀ − bxᵀ, A = MᵀM (+0.1 at A₁₁) convex and λ_max(A)-smooth, b = x*A: f(x_t) is
    /// non-increasing and f(x_t) − f* ≤ L‖x₀ − x*‖²/(2t) for t = 1..50 (003 Props 6.1–6.3 give the descent lemma and
    /// co-coercivity behind this rate). Returns the largest violation relative to 1 + the rounding scale of f.
    /// </summary>
    private static double QuadraticRate(Draw d)
    {
        int n = d.Int(1, 5), r = d.Int(1, n + 1);
        var m = d.Mat(r, n, 1);
        var a = m.TransposeThisAndMultiply(m);
        a[0, 0] += 0.1;
        var xStar = d.Vec(n, 2);
        var b = a.LeftMultiply(xStar);
        double L = a.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Max(c => c.Real);
        (double F, double Scale) Fx(Vector<double> x) =>
            (0.5 * a.LeftMultiply(x).DotProduct(x) - b.DotProduct(x), 0.5 * a.PointwiseAbs().LeftMultiply(x.PointwiseAbs()).DotProduct(x.PointwiseAbs()) + b.PointwiseAbs().DotProduct(x.PointwiseAbs()));
        var layout = new ParameterLayout([new ParameterBlock(0, "W", 1, n, 0)]);
        var x0 = d.Vec(n, 3);
        var opt = Optim.Sgd(1 / L);
        var theta = Parameters.FromVector(layout, x0);
        var state = opt.Init(theta);
        double fStar = Fx(xStar).F, r0 = (x0 - xStar).L2Norm(), worst = 0;
        var (previous, _) = Fx(x0);
        for (int t = 1; t <= 50; t++)
        {
            var x = theta.ToVector();
            (theta, state) = opt.Step(theta, Parameters.FromVector(layout, a.LeftMultiply(x) - b), state);
            var (f, scale) = Fx(theta.ToVector());
            double s = 1 + scale + Fx(xStar).Scale;
            worst = Math.Max(worst, Math.Max(f - previous, (f - fStar) - L * r0 * r0 / (2 * t)) / s);
            previous = f;
        }
        return Math.Max(0, worst);
    }
}
