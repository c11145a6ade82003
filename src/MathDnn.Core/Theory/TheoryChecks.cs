using System.Collections.Immutable;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// The outcome of one named check on a seed: how many instances were drawn, the largest relative error (for an
/// inequality: the largest (left − right)/scale, see <see cref="InequalityCheck"/>; for an estimate: its relative
/// deviation), the tolerance it is compared with, whether the check passed, and the worst instance or the
/// counterexample in words.
/// </summary>
/// <param name="Instances">The instances drawn.</param>
/// <param name="LargestError">The largest relative error (or excess) seen.</param>
/// <param name="Tolerance">What it is compared with.</param>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Detail">The worst instance or the counterexample, in words.</param>
public sealed record TheoryCheckOutcome(int Instances, double LargestError, double Tolerance, bool Passed, string Detail);

/// <summary>
/// One row of the verification table: the statement (e.g. "003 Def 6.1"), what is checked, and the check itself, a pure
/// function seed ↦ outcome (same seed, same outcome).
/// </summary>
/// <param name="Statement">The statement, e.g. "003 Def 6.1".</param>
/// <param name="Description">What is checked.</param>
/// <param name="Run">seed ↦ outcome, pure.</param>
public sealed record TheoryCheck(string Statement, string Description, Func<int, TheoryCheckOutcome> Run);

/// <summary>
/// Every check of the theory toolkit as a named, seeded function, for the <c>mathdnn verify</c> table: 003 Section 6 on
/// softmax cross-entropy (convex, ½-smooth) and on the mean squared error of a linear model (convex, L = 2λ_max(XᵀX)/n),
/// the non-convexity of a one-hidden-layer network's objective in θ (a counterexample must be found), the smoothness and
/// Lipschitz estimators against exact values, and per loss of the catalogue the convexity verdict (003 Def 6.1) and the
/// loss-function axiom verdict (000 Def 3.1) of <see cref="LossVerdicts"/>. The FsCheck properties check the same
/// statements with shrinking; these run without FsCheck.
/// </summary>
public static class TheoryChecks
{
    /// <summary>Instances per check: enough that a counterexample region of a few percent is hit with near certainty.</summary>
    public const int Instances = 300;

    /// <summary>Every check, in table order.</summary>
    public static ImmutableArray<TheoryCheck> All { get; } = Build();

    private static ImmutableArray<TheoryCheck> Build()
    {
        var checks = new List<TheoryCheck>();

        // ---- softmax cross-entropy in the logits: convex and ½-smooth (Hessian diag(p) − pᵀp) ----
        static (SmoothFunction F, Vector<double> X, Vector<double> Y, double Tau) Softmax(ref Rng rng)
        {
            int m = 2 + rng.NextInt(7);
            var f = TheoryFunctions.SoftmaxCrossEntropy(TheorySampling.OneHot(ref rng, m));
            return (f, TheorySampling.Uniform(ref rng, m, 5), TheorySampling.Uniform(ref rng, m, 5), rng.NextDouble());
        }
        AddSection(checks, "softmax cross-entropy in the logits (m = 2..8, |z| ≤ 5)", Softmax);

        // ---- mean squared error of a linear model: convex and L-smooth with L = 2λ_max(XᵀX)/n ----
        static (SmoothFunction F, Vector<double> X, Vector<double> Y, double Tau) Linear(ref Rng rng)
        {
            int d = 1 + rng.NextInt(5), n = d + 1 + rng.NextInt(20);
            var f = TheoryFunctions.LinearLeastSquares(TheorySampling.Uniform(ref rng, n, d, 2), TheorySampling.Uniform(ref rng, n, 2));
            return (f, TheorySampling.Uniform(ref rng, d, 3), TheorySampling.Uniform(ref rng, d, 3), rng.NextDouble());
        }
        AddSection(checks, "mean squared error of a linear model, L = 2λ_max(XᵀX)/n", Linear);

        checks.Add(new("003 Def 6.1", "a one-hidden-layer network's objective in θ is NOT convex: a counterexample is found", NetworkCounterexample));

        checks.Add(new("003 Def 6.2", "power iteration on Hessian–vector products finds ‖H‖₂ = λ_max(diag(p) − pᵀp) of softmax cross-entropy", SoftmaxEstimate));
        checks.Add(new("003 Def 6.2", "power iteration finds L = 2λ_max(XᵀX)/n of the mean squared error of a linear model", LinearEstimate));
        checks.Add(new("003 Thm 1.3", "network Lipschitz bounds: sampled max ‖J_N(x)‖₂ ≤ product of the layers' constants", LipschitzOrder));
        checks.Add(new("003 Prop 4.1", "network Lipschitz bounds meet for one dense layer: both are ‖W‖₂", LipschitzDense));

        foreach (var verdict in LossVerdicts.All)
        {
            var v = verdict;
            checks.Add(new("004 loss table", $"{v.Loss.Name} is {(v.Convex ? "" : "NOT ")}convex in its output (003 Def 6.1): {v.ConvexityReason}", seed => LossConvexity(v, seed)));
        }
        foreach (var verdict in LossVerdicts.All)
        {
            var v = verdict;
            checks.Add(new("000 Def 3.1", $"{v.Loss.Name} {(v.SatisfiesAxiom ? "satisfies" : "does NOT satisfy")} the loss-function axiom: {v.AxiomReason}", seed => LossAxiomCheck(v, seed)));
        }
        return [.. checks];
    }

    private delegate (SmoothFunction F, Vector<double> X, Vector<double> Y, double Tau) Sampler(ref Rng rng);

    private static void AddSection(List<TheoryCheck> checks, string what, Sampler sample)
    {
        checks.Add(new("003 Def 6.1", $"{what}: convex", seed => Holds(seed, sample, s => Convexity.Chord(s.F.Function, s.X, s.Y, s.Tau))));
        checks.Add(new("003 Prop 6.1", $"{what}: first-order convexity", seed => Holds(seed, sample, s => Convexity.FirstOrder(s.F.Function, s.X, s.Y))));
        checks.Add(new("003 Def 6.2", $"{what}: L-smooth", seed => Holds(seed, sample, s => Smoothness.GradientLipschitz(s.F.Function, s.F.L, s.X, s.Y))));
        checks.Add(new("003 Prop 6.2", $"{what}: descent lemma", seed => Holds(seed, sample, s => Smoothness.DescentLemma(s.F.Function, s.F.L, s.X, s.Y))));
        checks.Add(new("003 Prop 6.3", $"{what}: co-coercive", seed => Holds(seed, sample, s => Smoothness.CoCoercivity(s.F.Function, s.F.L, s.X, s.Y))));
    }

    /// <summary>Every instance holds; the outcome reports the largest relative excess (left − right)/scale.</summary>
    private static TheoryCheckOutcome Holds(int seed, Sampler sample, Func<(SmoothFunction F, Vector<double> X, Vector<double> Y, double Tau), InequalityCheck> check)
    {
        var rng = new Rng(seed);
        InequalityCheck? worst = null;
        double worstRelative = double.NegativeInfinity;
        bool all = true;
        for (int i = 0; i < Instances; i++)
        {
            var c = check(sample(ref rng));
            all &= c.Holds;
            double relative = c.Scale > 0 ? c.Excess / c.Scale : c.Excess;
            if (relative > worstRelative) (worstRelative, worst) = (relative, c);
        }
        return new TheoryCheckOutcome(Instances, Math.Max(0, worstRelative), InequalityCheck.DefaultRelativeTolerance, all, worst!.ToString());
    }

    /// <summary>Searches for a violated instance; passes when one is found (its relative excess exceeds the tolerance).</summary>
    private static TheoryCheckOutcome Counterexample(int instances, Func<int, InequalityCheck> draw)
    {
        InequalityCheck? worst = null;
        double worstRelative = double.NegativeInfinity;
        int drawn = 0;
        for (int i = 0; i < instances; i++)
        {
            var c = draw(i);
            drawn++;
            double relative = c.Scale > 0 ? c.Excess / c.Scale : c.Excess;
            if (relative > worstRelative) (worstRelative, worst) = (relative, c);
            if (!c.Holds) break;
        }
        bool found = !worst!.Holds;
        return new TheoryCheckOutcome(drawn, worstRelative, InequalityCheck.DefaultRelativeTolerance, found,
            found ? $"counterexample: {worst}" : $"no counterexample in {drawn} instances; closest: {worst}");
    }

    /// <summary>A 2 → 3 → 1 tanh network with squared error on 4 samples, the objective in θ (|θ| = 13).</summary>
    internal static RealFunction OneHiddenLayerObjective(ref Rng rng)
    {
        var net = Network.Create(2, [new Dense(2, 3), new Tanh(), new Dense(3, 1)], Initialization.GlorotUniform, seed: rng.NextInt(int.MaxValue));
        return TheoryFunctions.NetworkObjective(net, TheorySampling.Uniform(ref rng, 4, 2, 2), TheorySampling.Uniform(ref rng, 4, 1, 2), new SquaredError());
    }

    private static TheoryCheckOutcome NetworkCounterexample(int seed)
    {
        var rng = new Rng(seed);
        var f = OneHiddenLayerObjective(ref rng);
        return Counterexample(Instances, _ =>
            Convexity.Chord(f, TheorySampling.Uniform(ref rng, f.Dimension, 3), TheorySampling.Uniform(ref rng, f.Dimension, 3), rng.NextDouble()));
    }

    // Power iteration stops at a residual r ≤ 1e-6·λ; for a symmetric H some eigenvalue lies within r of the Rayleigh
    // quotient (Bauer–Fike), and the central-difference products add ≈ 1e-9 relative: 1e-5 leaves a factor 10.
    private const double EstimateTolerance = 1e-5;

    private static TheoryCheckOutcome SoftmaxEstimate(int seed)
    {
        var rng = new Rng(seed);
        double worst = 0;
        string detail = "";
        const int count = 20;
        for (int i = 0; i < count; i++)
        {
            int m = 2 + rng.NextInt(7);
            var f = TheoryFunctions.SoftmaxCrossEntropy(TheorySampling.OneHot(ref rng, m)).Function;
            var z = TheorySampling.Uniform(ref rng, m, 3);
            var p = new Softmax().Apply(z);
            var h = Matrix<double>.Build.DenseOfDiagonalVector(p) - p.OuterProduct(p);
            double exact = h.Evd().EigenValues.Select(e => Math.Abs(e.Real)).Max();
            var estimate = Smoothness.Estimate(f, z, seed: seed + i);
            double error = Math.Abs(estimate.L - exact) / exact;
            if (error >= worst) (worst, detail) = (error, $"{estimate}; exact λ_max = {exact:G10}");
        }
        return new TheoryCheckOutcome(count, worst, EstimateTolerance, worst <= EstimateTolerance, detail);
    }

    private static TheoryCheckOutcome LinearEstimate(int seed)
    {
        var rng = new Rng(seed);
        double worst = 0;
        string detail = "";
        const int count = 20;
        for (int i = 0; i < count; i++)
        {
            int d = 1 + rng.NextInt(5), n = d + 1 + rng.NextInt(20);
            var f = TheoryFunctions.LinearLeastSquares(TheorySampling.Uniform(ref rng, n, d, 2), TheorySampling.Uniform(ref rng, n, 2));
            var estimate = Smoothness.Estimate(f.Function, TheorySampling.Uniform(ref rng, d, 3), seed: seed + i);
            double error = Math.Abs(estimate.L - f.L) / f.L;
            if (error >= worst) (worst, detail) = (error, $"{estimate}; 2λ_max(XᵀX)/n = {f.L:G10}");
        }
        return new TheoryCheckOutcome(count, worst, EstimateTolerance, worst <= EstimateTolerance, detail);
    }

    private static TheoryCheckOutcome LipschitzOrder(int seed)
    {
        var rng = new Rng(seed);
        Activation[] activations = [new Relu(), new Tanh(), new Sigmoid(), new LeakyRelu(0.2), new Elu(1.5)];
        double worst = double.NegativeInfinity;
        string detail = "";
        const int count = 20;
        for (int i = 0; i < count; i++)
        {
            int depth = 1 + rng.NextInt(3), input = 1 + rng.NextInt(6);
            var layers = new List<Layer>();
            int width = input;
            for (int k = 0; k < depth; k++)
            {
                int next = 1 + rng.NextInt(8);
                layers.Add(new Dense(width, next));
                layers.Add(activations[rng.NextInt(activations.Length)]);
                width = next;
            }
            layers.Add(new Dense(width, 1 + rng.NextInt(4)));
            var net = Network.Create(input, layers, seed: rng.NextInt(int.MaxValue));
            var bounds = LipschitzBounds.Of(net, TheorySampling.Uniform(ref rng, 50, input, 3));
            // Lower ≤ Upper exactly in real arithmetic; both are products/SVDs with relative rounding ≲ 1e-13: excess is relative.
            double excess = (bounds.Lower - bounds.Upper) / bounds.Upper;
            if (excess > worst) (worst, detail) = (excess, $"{net}: lower {bounds.Lower:G6} ≤ upper {bounds.Upper:G6}");
        }
        return new TheoryCheckOutcome(count, Math.Max(0, worst), 1e-12, worst <= 1e-12, detail);
    }

    private static TheoryCheckOutcome LipschitzDense(int seed)
    {
        var rng = new Rng(seed);
        double worst = 0;
        string detail = "";
        const int count = 20;
        for (int i = 0; i < count; i++)
        {
            int n = 1 + rng.NextInt(6), m = 1 + rng.NextInt(6);
            var net = Network.Create(n, [new Dense(n, m)], Initialization.GlorotUniform, rng.NextInt(int.MaxValue));
            var bounds = LipschitzBounds.Of(net, TheorySampling.Uniform(ref rng, 3, n, 1));
            // J_N(x) = W at every x: both bounds are the same SVD of the same matrix, equal to rounding (≲ 1e-14 relative).
            double error = Math.Abs(bounds.Upper - bounds.Lower) / bounds.Upper;
            if (error >= worst) (worst, detail) = (error, $"{net}: lower {bounds.Lower:G17}, upper {bounds.Upper:G17}");
        }
        return new TheoryCheckOutcome(count, worst, 1e-12, worst <= 1e-12, detail);
    }

    private static TheoryCheckOutcome LossConvexity(LossVerdict verdict, int seed)
    {
        var rng = new Rng(seed);
        InequalityCheck Draw()
        {
            int m = 2 + rng.NextInt(4);
            var target = TheorySampling.Target(verdict.Loss, ref rng, m);
            var f = RealFunction.From(verdict.Loss.AsFunction(target));
            return Convexity.Chord(f, TheorySampling.Output(verdict, ref rng, m), TheorySampling.Output(verdict, ref rng, m), rng.NextDouble());
        }
        return verdict.Convex ? AllHold(Draw) : Counterexample(Instances, _ => Draw());
    }

    private static TheoryCheckOutcome LossAxiomCheck(LossVerdict verdict, int seed)
    {
        var rng = new Rng(seed);
        InequalityCheck Draw()
        {
            int m = 2 + rng.NextInt(4);
            var target = TheorySampling.Target(verdict.Loss, ref rng, m);
            double a = rng.NextDouble(), b = rng.NextDouble();
            var (s, t) = (Math.Min(a, b), Math.Max(a, b));
            if (verdict.TakesProbabilities)
            {
                // ε = p − y* with p in the domain: y* + sε = (1 − s)y* + s·p lies in ]0,1[ᵐ for s ∈ ]0, 1].
                var direction = TheorySampling.Output(verdict, ref rng, m) - target;
                return LossAxiom.AlongRay(verdict.Loss, target, direction, Math.Max(s, 1e-3), Math.Max(t, 1e-3));
            }
            return LossAxiom.AlongRay(verdict.Loss, target, TheorySampling.Uniform(ref rng, m, 3), 2 * s, 2 * t);
        }
        return verdict.SatisfiesAxiom ? AllHold(Draw) : Counterexample(Instances, _ => Draw());
    }

    private static TheoryCheckOutcome AllHold(Func<InequalityCheck> draw)
    {
        InequalityCheck? worst = null;
        double worstRelative = double.NegativeInfinity;
        bool all = true;
        for (int i = 0; i < Instances; i++)
        {
            var c = draw();
            all &= c.Holds;
            double relative = c.Scale > 0 ? c.Excess / c.Scale : c.Excess;
            if (relative > worstRelative) (worstRelative, worst) = (relative, c);
        }
        return new TheoryCheckOutcome(Instances, Math.Max(0, worstRelative), InequalityCheck.DefaultRelativeTolerance, all, worst!.ToString());
    }
}
