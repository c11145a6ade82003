using System.Collections.Immutable;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// Sizes of the Robbins–Monro experiment: dimension d, steps T, independent runs averaged, curvature μ, gradient noise σ,
/// and the constant schedule's η.
/// </summary>
/// <param name="Seed">The seed of every random draw (default 0).</param>
/// <param name="Dimension">d (default 10).</param>
/// <param name="Steps">T (default 5000, ≥ 100).</param>
/// <param name="Runs">Independent runs averaged (default 40).</param>
/// <param name="Mu">μ &gt; 0, the curvature (default 1).</param>
/// <param name="Noise">σ ≥ 0, the gradient noise (default 1).</param>
/// <param name="ConstantRate">η of the constant schedule (default 0.1; 0 &lt; ημ &lt; 2).</param>
public sealed record RobbinsMonroOptions(int Seed = 0, int Dimension = 10, int Steps = 5000, int Runs = 40, double Mu = 1.0, double Noise = 1.0, double ConstantRate = 0.1);

/// <summary>
/// One schedule's run: its verdict on 004's conditions, the mean squared error E‖x_t − x*‖² at the recorded steps, the
/// final error, and the slope of log error against log t over the last two decades of steps.
/// </summary>
/// <param name="Schedule">The schedule's name.</param>
/// <param name="Formula">η_t as text.</param>
/// <param name="Conditions">Its verdict on 004's conditions.</param>
/// <param name="Steps">The recorded steps t.</param>
/// <param name="MeanSquaredError">E‖x_t − x*‖² at those steps, averaged over the runs.</param>
/// <param name="FinalError">E‖x_T − x*‖².</param>
/// <param name="TailSlope">The slope of log error against log t over the last two decades.</param>
public sealed record ScheduleRun(string Schedule, string Formula, RobbinsMonro Conditions, ImmutableArray<double> Steps, ImmutableArray<double> MeanSquaredError, double FinalError, double TailSlope);

/// <summary>The result of <see cref="RobbinsMonroExperiment.Run"/>.</summary>
/// <param name="Schedules">One run per schedule.</param>
/// <param name="ConstantPlateau">The predicted plateau ησ²d/(μ(2 − ημ)) of the constant schedule.</param>
/// <param name="Options">The options run.</param>
public sealed record RobbinsMonroResult(ImmutableArray<ScheduleRun> Schedules, double ConstantPlateau, RobbinsMonroOptions Options) : ITheoryResult
{
    /// <inheritdoc/>
    public string Name => "robbins-monro";
    /// <inheritdoc/>
    public string Statement => "004 learning-rate conditions Σ η_t = ∞, Σ η_t² < ∞ (Robbins & Monro 1951): SGD on a noisy strongly convex problem";

    /// <summary>The schedule meeting both conditions (1/t) drives the error to 0 at rate ~1/t; the constant one plateaus at ησ²d/(μ(2 − ημ)).</summary>
    public bool Holds
    {
        get
        {
            var constant = Schedules.Single(s => s.Schedule == "constant");
            var satisfied = Schedules.Where(s => s.Conditions.Satisfied).ToList();
            return satisfied.Count > 0 && satisfied.All(s => s.TailSlope < -0.8 && s.FinalError < constant.FinalError / 10)
                && Math.Abs(constant.TailSlope) < 0.2 && !constant.Conditions.Satisfied;
        }
    }

    /// <inheritdoc/>
    public string Verdict =>
        string.Join(" ", Schedules.Select(s =>
            $"{s.Schedule} ({s.Formula}): conditions {(s.Conditions.Satisfied ? "met" : "not met")} (Σ η = ∞: {s.Conditions.SumDiverges}, Σ η² < ∞: {s.Conditions.SumOfSquaresConverges}); " +
            $"final E‖x_T − x*‖² = {s.FinalError:G3}, tail slope {s.TailSlope:F2}.")) +
        $" Predicted constant plateau ησ²d/(μ(2 − ημ)) = {ConstantPlateau:G4}.";

    /// <summary>E‖x_t − x*‖² against t for every schedule (log–log).</summary>
    public ImmutableArray<Plot> Plots =>
    [
        new("SGD on a noisy strongly convex problem", "t", "E‖x_t − x*‖²", true, true,
            [.. Schedules.Select(s => new Series($"{s.Schedule} ({s.Formula})", s.Steps, s.MeanSquaredError))]),
    ];
}

/// <summary>
/// 004's learning-rate conditions as an experiment. f(x) = (μ/2)‖x − x*‖² on ℝᵈ, and SGD (004 Algorithm 8.1,
/// <see cref="Optim.Sgd"/>) sees the noisy gradient ĝ = μ(x − x*) + σξ, ξ ~ N(0, I), from x₀ = 0. Three schedules
/// (<see cref="Lr"/>): constant η (Σ η² = ∞: the noise never averages out; per coordinate the error variance settles at
/// v = (1 − ημ)²v + η²σ², i.e. v = ησ²/(μ(2 − ημ))), 1/t: η_t = 1/(1 + t) (both conditions; with μ = 1, v_t = σ²/t exactly
/// from t = 1: (t + 1)²v_{t+1} = t²v_t + σ²), and 1/√t: η_t = 1/√(1 + t) (Σ η² = ∞: the conditions fail, the error still
/// decays but only like η_t σ²/(2μ) ~ t^{−1/2}). The verdicts are the schedules' own <see cref="Schedule.Conditions"/>.
/// </summary>
public static class RobbinsMonroExperiment
{
    /// <summary>Runs SGD under the constant, 1/t and 1/√t schedules, averaging the squared error over the runs (defaults: <see cref="RobbinsMonroOptions"/>).</summary>
    /// <exception cref="ArgumentException">The dimension or runs is below 1, steps below 100, μ ≤ 0, σ &lt; 0, or ημ is not in ]0, 2[.</exception>
    public static RobbinsMonroResult Run(RobbinsMonroOptions? options = null)
    {
        var o = options ?? new RobbinsMonroOptions();
        if (o.Dimension < 1 || o.Steps < 100 || o.Runs < 1)
            throw new ArgumentException($"Robbins–Monro experiment: need dimension ≥ 1, steps ≥ 100 and runs ≥ 1, got {o.Dimension}, {o.Steps}, {o.Runs}.");
        if (!(o.Mu > 0) || !(o.Noise >= 0) || !(o.ConstantRate > 0 && o.ConstantRate * o.Mu < 2))
            throw new ArgumentException($"Robbins–Monro experiment: need μ > 0, σ ≥ 0 and 0 < ημ < 2, got μ = {o.Mu}, σ = {o.Noise}, η = {o.ConstantRate}.");
        var schedules = new (string Name, string Formula, Schedule Schedule)[]
        {
            ("constant", $"η_t = {o.ConstantRate:G3}", Lr.Constant(o.ConstantRate)),
            ("1/t", "η_t = 1/(1 + t)", Lr.InverseTime(1.0, 1.0)),
            ("1/√t", "η_t = 1/√(1 + t)", Lr.InverseTime(1.0, 1.0, power: 0.5)),
        };
        var checkpoints = Checkpoints(o.Steps);
        var runs = schedules.Select((s, k) => RunSchedule(s.Name, s.Formula, s.Schedule, checkpoints, o, k)).ToImmutableArray();
        double plateau = o.ConstantRate * o.Noise * o.Noise * o.Dimension / (o.Mu * (2 - o.ConstantRate * o.Mu));
        return new RobbinsMonroResult(runs, plateau, o);
    }

    /// <summary>About 10 steps per decade, log-spaced, always including 1 and T.</summary>
    private static int[] Checkpoints(int steps) =>
        [.. Enumerable.Range(0, (int)(10 * Math.Log10(steps)) + 1).Select(i => (int)Math.Round(Math.Pow(10, i / 10.0)))
            .Append(steps).Where(t => t >= 1 && t <= steps).Distinct().Order()];

    private static ScheduleRun RunSchedule(string name, string formula, Schedule schedule, int[] checkpoints, RobbinsMonroOptions o, int index)
    {
        var layout = new ParameterLayout([new ParameterBlock(0, "W", 1, o.Dimension, 0)]);
        var starRng = new Rng(o.Seed);
        var star = Parameters.FromArray(layout, [.. Enumerable.Range(0, o.Dimension).Select(_ => starRng.NextNormal())]);
        var sums = new double[checkpoints.Length];
        var sgd = Optim.Sgd(schedule);
        for (int r = 0; r < o.Runs; r++)
        {
            // The same noise stream for every schedule (common random numbers): run r of each schedule sees the same ξ's.
            var rng = Rng.Derive(o.Seed, r + 1);
            var theta = Parameters.Zeros(layout);
            var state = sgd.Init(theta);
            int next = 0;
            var noise = new double[o.Dimension];
            for (int t = 1; t <= o.Steps; t++)
            {
                for (int j = 0; j < noise.Length; j++) noise[j] = o.Noise * rng.NextNormal();
                var g = (theta - star).Scale(o.Mu) + Parameters.FromArray(layout, noise);
                (theta, state) = sgd.Step(theta, g, state);
                if (t == checkpoints[next])
                {
                    var e = theta - star;
                    sums[next++] += e.Dot(e);
                }
            }
        }
        var mse = sums.Select(s => s / o.Runs).ToImmutableArray();
        return new ScheduleRun(name, formula, schedule.Conditions, [.. checkpoints.Select(t => (double)t)], mse, mse[^1], TailSlope(checkpoints, mse));
    }

    /// <summary>The least-squares slope of log error against log t over the checkpoints in [T/100, T].</summary>
    private static double TailSlope(int[] t, ImmutableArray<double> error)
    {
        var points = t.Select((s, i) => (X: Math.Log(s), Y: Math.Log(error[i]))).Where(p => p.X >= Math.Log(t[^1] / 100.0)).ToArray();
        return LogLogSlope(points);
    }

    /// <summary>The least-squares slope of Y against X.</summary>
    internal static double LogLogSlope(IReadOnlyList<(double X, double Y)> points)
    {
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double sxy = points.Sum(p => (p.X - mx) * (p.Y - my)), sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxy / sxx;
    }
}
