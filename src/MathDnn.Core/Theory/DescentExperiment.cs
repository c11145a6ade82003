using System.Collections.Immutable;
using MathDnn.Kernels;
using MathDnn.LeastSquares;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>Sizes of the descent experiment: steps T, samples n, dimension d, the divergent step factor c (η = c/L, c &gt; 2).</summary>
/// <param name="Seed">The seed of every random draw (default 0).</param>
/// <param name="Steps">T, the gradient steps per run (default 200, ≥ 1).</param>
/// <param name="Samples">n, the rows of X (default 100, ≥ max(2, d)).</param>
/// <param name="Dimension">d, the columns of X (default 10).</param>
/// <param name="DivergentFactor">c of the divergent run η = c/L (default 2.5, finite and &gt; 2).</param>
public sealed record DescentOptions(int Seed = 0, int Steps = 200, int Samples = 100, int Dimension = 10, double DivergentFactor = 2.5);

/// <summary>One gradient-descent run: the gap f(x_t) − f* and the bound L‖x₀ − x*‖²/(2t) at t = 1..T.</summary>
/// <param name="Problem">The problem's name ("least squares", "logistic regression").</param>
/// <param name="L">Its smoothness constant L.</param>
/// <param name="StepSize">η = 1/L.</param>
/// <param name="Optimum">f* = f(x*).</param>
/// <param name="InitialDistanceSquared">‖x₀ − x*‖² (x₀ = 0).</param>
/// <param name="Gap">f(x_t) − f* for t = 1..T.</param>
/// <param name="Bound">L‖x₀ − x*‖²/(2t) for t = 1..T.</param>
/// <param name="BoundHolds">Whether the gap is at most the bound at every t.</param>
/// <param name="WorstRatio">The largest gap/bound.</param>
/// <param name="WorstStep">The t where it occurs.</param>
public sealed record DescentRun(
    string Problem, double L, double StepSize, double Optimum, double InitialDistanceSquared,
    ImmutableArray<double> Gap, ImmutableArray<double> Bound, bool BoundHolds, double WorstRatio, int WorstStep);

/// <summary>A run with η = c/L, c &gt; 2: the gap series (until it leaves the doubles) and the measured per-step growth.</summary>
/// <param name="Problem">The problem's name.</param>
/// <param name="L">Its smoothness constant L.</param>
/// <param name="StepSize">η = c/L.</param>
/// <param name="Gap">f(x_t) − f* from t = 0, until it leaves the doubles.</param>
/// <param name="Diverged">Whether the gap grew without bound.</param>
/// <param name="GrowthPerStep">The measured growth factor of the gap per step.</param>
/// <param name="PredictedGrowthPerStep">(ηL − 1)² = (c − 1)².</param>
public sealed record DivergentRun(string Problem, double L, double StepSize, ImmutableArray<double> Gap, bool Diverged, double GrowthPerStep, double PredictedGrowthPerStep);

/// <summary>The result of <see cref="DescentExperiment.Run"/>.</summary>
/// <param name="Convergent">The runs with η = 1/L.</param>
/// <param name="Divergent">The run with η = c/L.</param>
public sealed record DescentResult(ImmutableArray<DescentRun> Convergent, DivergentRun Divergent) : ITheoryResult
{
    /// <inheritdoc/>
    public string Name => "descent";
    /// <inheritdoc/>
    public string Statement => "Gradient descent with η = 1/L on a convex L-smooth f: f(x_t) − f* ≤ L‖x₀ − x*‖²/(2t) (from 003 Props 6.1–6.2); with η > 2/L it diverges";
    /// <summary>Every convergent run stays under L‖x₀ − x*‖²/(2t) at every t, and the divergent run diverges.</summary>
    public bool Holds => Convergent.All(r => r.BoundHolds) && Divergent.Diverged;

    /// <inheritdoc/>
    public string Verdict =>
        string.Join(" ", Convergent.Select(r => $"{r.Problem}: L = {r.L:G4}, bound {(r.BoundHolds ? "holds" : "FAILS")} at every t (largest gap/bound {r.WorstRatio:G3} at t = {r.WorstStep});")) +
        $" {Divergent.Problem} with η = {Divergent.StepSize * Divergent.L:G3}/L: {(Divergent.Diverged ? "diverges" : "does NOT diverge")}, gap ×{Divergent.GrowthPerStep:G4} per step (predicted (ηL − 1)² = {Divergent.PredictedGrowthPerStep:G4}).";

    /// <summary>The gaps against the bound at η = 1/L (log–log), and the divergent gap (log y).</summary>
    public ImmutableArray<Plot> Plots =>
    [
        new("Gradient descent with η = 1/L", "t", "f(x_t) − f*", true, true,
            [.. Convergent.SelectMany(r => new[]
            {
                Series.Of($"{r.Problem}: gap", Enumerable.Range(1, r.Gap.Length).Select(t => (double)t), r.Gap),
                Series.Of($"{r.Problem}: L‖x₀ − x*‖²/(2t)", Enumerable.Range(1, r.Bound.Length).Select(t => (double)t), r.Bound),
            })]),
        new($"Gradient descent with η = {Divergent.StepSize * Divergent.L:G3}/L > 2/L", "t", "f(x_t) − f*", false, true,
            [Series.Of(Divergent.Problem, Enumerable.Range(0, Divergent.Gap.Length).Select(t => (double)t), Divergent.Gap)]),
    ];
}

/// <summary>
/// The descent theorem as an experiment. For a convex L-smooth f, gradient descent x_{t+1} = x_t − η∇f(x_t) with η = 1/L
/// (004 Algorithm 8.1 with the whole data set, <see cref="Optim.Sgd"/>) satisfies f(x_t) − f* ≤ L‖x₀ − x*‖²/(2t) for every
/// t ≥ 1: the descent lemma 003 Prop 6.2 gives f(x_{t+1}) ≤ f(x_t) − ‖∇f(x_t)‖²/(2L), convexity 003 Prop 6.1 gives
/// f(x_t) − f* ≤ ∇f(x_t)·(x_t − x*)ᵀ, and the two telescope. With η &gt; 2/L it diverges on a quadratic: the error along the
/// top eigenvector of the Hessian is multiplied by 1 − ηL each step, so the gap by (ηL − 1)² &gt; 1.
/// Problems (seeded): least squares f(β) = (1/n)‖Xβ − y‖² (Hessian (2/n)XᵀX, so L = 2λ_max(XᵀX)/n, x* by QR) and
/// logistic regression f(w) = (1/n)Σᵢ [softplus(xᵢ·wᵀ) − yᵢ xᵢ·wᵀ] on noisy labels (Hessian (1/n)Xᵀdiag(p(1 − p))X ≼
/// XᵀX/(4n), so L = λ_max(XᵀX)/(4n); x* by Newton's method). x₀ = 0.
/// </summary>
public static class DescentExperiment
{
    /// <summary>Runs gradient descent with η = 1/L on seeded least-squares and logistic-regression problems, and with η = c/L, c &gt; 2, on the least-squares one (defaults: <see cref="DescentOptions"/>).</summary>
    /// <exception cref="ArgumentException">steps &lt; 1, samples &lt; max(2, dimension), or c is not finite and &gt; 2.</exception>
    public static DescentResult Run(DescentOptions? options = null)
    {
        var o = options ?? new DescentOptions();
        if (o.Steps < 1 || o.Samples < 2 || o.Dimension < 1 || o.Samples < o.Dimension)
            throw new ArgumentException($"Descent experiment: need steps ≥ 1 and samples ≥ max(2, dimension), got steps {o.Steps}, samples {o.Samples}, dimension {o.Dimension}.");
        if (!(o.DivergentFactor > 2) || double.IsInfinity(o.DivergentFactor))
            throw new ArgumentException($"Descent experiment: the divergent factor c (η = c/L) must be finite and > 2, got {o.DivergentFactor}.");
        var (x, yReg, yCls) = Data(o);
        var ls = TheoryFunctions.LinearLeastSquares(x, yReg);
        var lsStar = OrdinaryLeastSquares.Solve(x, yReg);
        var logistic = TheoryFunctions.LogisticRegression(x, yCls);
        var logisticStar = NewtonLogistic(x, yCls);
        var convergent = ImmutableArray.Create(
            Converge("least squares", ls.Function, ls.L, lsStar, o.Steps),
            Converge("logistic regression", logistic.Function, logistic.L, logisticStar, o.Steps));
        return new DescentResult(convergent, Diverge("least squares", ls.Function, ls.L, lsStar, o.DivergentFactor, o.Steps));
    }

    /// <summary>X with entries N(0,1) and column j scaled by 1/(1 + j) (κ(X) ≈ d, so descent takes many steps), regression targets Xβ + noise, and noisy labels.</summary>
    private static (Matrix<double> X, Vector<double> Regression, Vector<double> Labels) Data(DescentOptions o)
    {
        var rng = new Rng(o.Seed);
        var x = Matrix<double>.Build.Dense(o.Samples, o.Dimension, (_, j) => rng.NextNormal() / (1 + j));
        var beta = Vector<double>.Build.Dense(o.Dimension, _ => rng.NextNormal());
        var score = x * beta;
        var regression = score.Map(s => s + 0.1 * rng.NextNormal());
        // Labels drawn from the logistic model itself: not linearly separable (with n ≫ d), so the minimiser exists.
        var labels = score.Map(s => rng.NextDouble() < Activations.Sigmoid.Logistic(s) ? 1.0 : 0.0);
        return (x, regression, labels);
    }

    private static Parameters Theta(Vector<double> v) => Parameters.FromVector(Layout(v.Count), v);

    private static ParameterLayout Layout(int d) => new([new ParameterBlock(0, "W", 1, d, 0)]);

    private static DescentRun Converge(string problem, RealFunction f, double lipschitz, Vector<double> star, int steps)
    {
        double fStar = f.Value(star);
        var d = star.Count;
        var gd = Optim.Sgd(1 / lipschitz);
        var theta = Parameters.Zeros(Layout(d));
        var state = gd.Init(theta);
        double r0 = star.DotProduct(star); // ‖x₀ − x*‖² with x₀ = 0
        var gaps = ImmutableArray.CreateBuilder<double>(steps);
        var bounds = ImmutableArray.CreateBuilder<double>(steps);
        bool holds = true;
        double worst = double.NegativeInfinity;
        int worstStep = 1;
        for (int t = 1; t <= steps; t++)
        {
            var g = Theta(f.Gradient(theta.ToVector()));
            (theta, state) = gd.Step(theta, g, state);
            double ft = f.Value(theta.ToVector()), gap = ft - fStar, bound = lipschitz * r0 / (2 * t);
            // f(x_t) and f* are each computed with relative error ≤ c·ε (c ≤ 4096, InequalityCheck): allow 1e-12·(|f(x_t)| + |f*|).
            var check = InequalityCheck.Of("descent", "f(x_t) − f* ≤ L‖x₀ − x*‖²/(2t)", gap, bound, Math.Abs(ft) + Math.Abs(fStar),
                InequalityCheck.DefaultRelativeTolerance, $"t = {t}");
            holds &= check.Holds;
            if (gap / bound > worst) (worst, worstStep) = (gap / bound, t);
            gaps.Add(gap);
            bounds.Add(bound);
        }
        return new DescentRun(problem, lipschitz, 1 / lipschitz, fStar, r0, gaps.MoveToImmutable(), bounds.MoveToImmutable(), holds, worst, worstStep);
    }

    private static DivergentRun Diverge(string problem, RealFunction f, double lipschitz, Vector<double> star, double factor, int steps)
    {
        double fStar = f.Value(star), eta = factor / lipschitz;
        var gd = Optim.Sgd(eta);
        var theta = Parameters.Zeros(Layout(star.Count));
        var state = gd.Init(theta);
        var gaps = ImmutableArray.CreateBuilder<double>();
        gaps.Add(f.Value(theta.ToVector()) - fStar);
        for (int t = 1; t <= steps; t++)
        {
            var g = Theta(f.Gradient(theta.ToVector()));
            (theta, state) = gd.Step(theta, g, state);
            double gap = f.Value(theta.ToVector()) - fStar;
            if (!double.IsFinite(gap) || gap > 1e200) break; // leaving the doubles: the divergence is established
            gaps.Add(gap);
        }
        var series = gaps.ToImmutable();
        // Once the top eigenvector dominates, gap_{t+1}/gap_t → (ηL − 1)²: measured over the last 10 recorded steps.
        int last = series.Length - 1, first = Math.Max(0, last - 10);
        double growth = last > first ? Math.Pow(series[last] / series[first], 1.0 / (last - first)) : double.NaN;
        bool diverged = series[last] > 1e6 * series[0];
        return new DivergentRun(problem, lipschitz, eta, series, diverged, growth, (factor - 1) * (factor - 1));
    }

    /// <summary>argmin of the logistic loss by Newton's method (the Hessian is positive definite when X has full rank and the labels are not separable).</summary>
    private static Vector<double> NewtonLogistic(Matrix<double> x, Vector<double> labels)
    {
        int n = x.RowCount, d = x.ColumnCount;
        var w = Vector<double>.Build.Dense(d);
        for (int k = 0; k < 100; k++)
        {
            var p = (x * w).Map(Activations.Sigmoid.Logistic);
            var grad = x.TransposeThisAndMultiply(p - labels) / n;
            var weights = p.PointwiseMultiply(1 - p);
            var h = x.TransposeThisAndMultiply(x.MapIndexed((i, _, v) => v * weights[i])) / n;
            var step = h.Cholesky().Solve(grad);
            w -= step;
            if (step.L2Norm() <= 1e-15 * Math.Max(1, w.L2Norm())) break;
        }
        return w;
    }
}
