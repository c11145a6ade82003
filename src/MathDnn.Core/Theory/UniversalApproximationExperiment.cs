using System.Collections.Immutable;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.LeastSquares;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// Sizes of the universal-approximation experiment: the hidden widths n, the number of fitting points and of
/// evaluation points on [−1, 1], the steepness factor s (hidden slopes s·n), and the ridge λ of the output fit.
/// </summary>
/// <param name="Widths">The hidden widths n (default 1, 2, 4, …, 256).</param>
/// <param name="FitPoints">The fitting grid's points on [−1, 1] (default 1000).</param>
/// <param name="EvaluationPoints">The evaluation grid's points (default 4001).</param>
/// <param name="Steepness">s: the hidden slopes are s·n (default 2).</param>
/// <param name="Ridge">λ of the output layer's ridge fit (default 1e-10).</param>
public sealed record UniversalApproximationOptions(ImmutableArray<int> Widths = default, int FitPoints = 1000, int EvaluationPoints = 4001, double Steepness = 2.0, double Ridge = 1e-10)
{
    /// <summary>The hidden widths, [1, 2, 4, …, 256] when not given.</summary>
    public ImmutableArray<int> WidthsOrDefault => Widths.IsDefault ? [1, 2, 4, 8, 16, 32, 64, 128, 256] : Widths;
}

/// <summary>One width: the sup error ‖G − f‖∞ and the mean squared error on the evaluation grid, and Barron's bound (2rC_f)²/n.</summary>
/// <param name="Width">n.</param>
/// <param name="SupError">‖G − f‖∞ on the evaluation grid.</param>
/// <param name="MeanSquaredError">The mean of (G − f)² on it.</param>
/// <param name="BarronBound">(2rC_f)²/n.</param>
public sealed record ApproximationPoint(int Width, double SupError, double MeanSquaredError, double BarronBound);

/// <summary>The result of <see cref="UniversalApproximationExperiment.Run"/>.</summary>
/// <param name="Target">The target's formula, "sin(πx)".</param>
/// <param name="BarronConstant">C_f = π.</param>
/// <param name="Points">One point per width.</param>
/// <param name="SupSlope">The log–log slope of the sup error against n.</param>
/// <param name="MeanSquaredSlope">The log–log slope of the mean squared error against n.</param>
public sealed record UniversalApproximationResult(string Target, double BarronConstant, ImmutableArray<ApproximationPoint> Points, double SupSlope, double MeanSquaredSlope) : ITheoryResult
{
    /// <inheritdoc/>
    public string Name => "universal";
    /// <inheritdoc/>
    public string Statement => "Cybenko 1989 (004): sums G(x) = Σ aᵢσ(wᵢx + bᵢ) are dense in C([−1, 1]); Barron 1993 (004): the best n-term MISE is ≤ (2rC_f)²/n";

    /// <summary>The error falls with n at least at Barron's rate (mean squared slope ≤ −1), the sup error falls too, and the MSE stays under (2rC_f)²/n.</summary>
    public bool Holds => MeanSquaredSlope <= -1 && SupSlope < 0 && Points.All(p => p.MeanSquaredError <= p.BarronBound);

    /// <inheritdoc/>
    public string Verdict =>
        $"One-hidden-layer sigmoid networks fitted to {Target} on [−1, 1]: sup error {Points[0].SupError:G3} (n = {Points[0].Width}) → {Points[^1].SupError:G3} (n = {Points[^1].Width}), " +
        $"log–log slope {SupSlope:F2}; mean squared error {Points[0].MeanSquaredError:G3} → {Points[^1].MeanSquaredError:G3}, slope {MeanSquaredSlope:F2} " +
        $"(Barron's rate: −1); MSE ≤ (2rC_f)²/n = {4 * BarronConstant * BarronConstant:G4}/n at every n: {Points.All(p => p.MeanSquaredError <= p.BarronBound)}.";

    /// <summary>The sup and mean squared errors against n, with Barron's (2rC_f)²/n (log–log).</summary>
    public ImmutableArray<Plot> Plots =>
    [
        new("One-hidden-layer sigmoid networks against the width", "n", "error", true, true,
        [
            Series.Of("sup |G − f|", Points.Select(p => (double)p.Width), Points.Select(p => p.SupError)),
            Series.Of("mean squared error", Points.Select(p => (double)p.Width), Points.Select(p => p.MeanSquaredError)),
            Series.Of("Barron (2rC_f)²/n", Points.Select(p => (double)p.Width), Points.Select(p => p.BarronBound)),
        ]),
    ];
}

/// <summary>
/// Cybenko's and Barron's theorems (004) as an experiment. Target f(x) = sin(πx) on [−1, 1] (r = 1); its Fourier
/// representation is two point masses ½ at ω = ±π, so Barron's constant C_f = ∫|ω||f̂(ω)|dω = π and the bound is
/// (2rC_f)²/n = 4π²/n. For each width n the network G = 𝕃(n → 1) ∘ σ ∘ 𝕃(1 → n) has hidden units σ(s·n·(x − cᵢ)) with
/// centres cᵢ = −1 + (2i − 1)/n (i = 1..n: Cybenko's construction, steps of width 2/n smoothed by the sigmoid) and its
/// output layer (a₀, a) fitted by least squares (ridge λ, normal equations, 002 Section 10) on a uniform grid; the errors are
/// measured on a finer grid through the network itself. Barron's bound holds for the best network of width n, so this
/// fitted one — no better than the best — staying under it is consistent with the theorem, and the fitted slopes are
/// the rates this construction achieves.
/// </summary>
public static class UniversalApproximationExperiment
{
    /// <summary>Fits the one-hidden-layer sigmoid network of every width to sin(πx) and measures its errors (defaults: <see cref="UniversalApproximationOptions"/>; deterministic).</summary>
    /// <exception cref="ArgumentException">A width is below 1, there are fewer than 2 fitting or evaluation points, the steepness is not positive, or λ &lt; 0.</exception>
    public static UniversalApproximationResult Run(UniversalApproximationOptions? options = null)
    {
        var o = options ?? new UniversalApproximationOptions();
        var widths = o.WidthsOrDefault;
        if (widths.IsEmpty || widths.Any(n => n < 1) || o.FitPoints < 2 || o.EvaluationPoints < 2 || !(o.Steepness > 0) || !(o.Ridge >= 0))
            throw new ArgumentException("Universal approximation: widths ≥ 1, at least 2 fitting and evaluation points, steepness > 0 and λ ≥ 0 are needed.");
        static double Target(double x) => Math.Sin(Math.PI * x);
        const double barron = Math.PI; // C_f for sin(πx)
        var fit = Grid(o.FitPoints, centred: true);
        var eval = Grid(o.EvaluationPoints, centred: false);
        var yFit = Vector<double>.Build.Dense(o.FitPoints, i => Target(fit[i, 0]));
        var points = ImmutableArray.CreateBuilder<ApproximationPoint>();
        foreach (int n in widths)
        {
            double slope = o.Steepness * n;
            var w = Matrix<double>.Build.Dense(n, 1, slope);
            var b = Vector<double>.Build.Dense(n, i => -slope * (-1 + (2.0 * i + 1) / n));
            var hidden = Network.Create(1, [new Dense(1, n), new Sigmoid()],
                Parameters.FromVector(Network.LayoutOf(1, [new Dense(1, n), new Sigmoid()]).Layout, Vector<double>.Build.DenseOfEnumerable(w.ToRowMajorArray().Concat(b))));
            // Features: the hidden layer's outputs and a column of ones for a₀.
            var features = hidden.Forward(fit).Append(Matrix<double>.Build.Dense(o.FitPoints, 1, 1.0));
            var coefficients = Ridge.SolveNormalEquations(features, yFit, o.Ridge);
            var layers = new Layer[] { new Dense(1, n), new Sigmoid(), new Dense(n, 1) };
            var theta = w.ToRowMajorArray().Concat(b).Concat(coefficients.Take(n)).Append(coefficients[n]);
            var net = Network.Create(1, layers, Parameters.FromVector(Network.LayoutOf(1, layers).Layout, Vector<double>.Build.DenseOfEnumerable(theta)));
            var g = net.Forward(eval);
            double sup = 0, mse = 0;
            for (int i = 0; i < eval.RowCount; i++)
            {
                double e = g[i, 0] - Target(eval[i, 0]);
                sup = Math.Max(sup, Math.Abs(e));
                mse += e * e;
            }
            points.Add(new ApproximationPoint(n, sup, mse / eval.RowCount, 4 * barron * barron / n));
        }
        var p = points.ToImmutable();
        return new UniversalApproximationResult("sin(πx)", barron, p,
            RobbinsMonroExperiment.LogLogSlope([.. p.Select(q => (Math.Log(q.Width), Math.Log(q.SupError)))]),
            RobbinsMonroExperiment.LogLogSlope([.. p.Select(q => (Math.Log(q.Width), Math.Log(q.MeanSquaredError)))]));
    }

    /// <summary>k points of [−1, 1] as a k×1 batch: cell centres (centred) or the k equally spaced points from −1 to 1.</summary>
    private static Matrix<double> Grid(int k, bool centred) =>
        Matrix<double>.Build.Dense(k, 1, (i, _) => centred ? -1 + 2.0 * (i + 0.5) / k : -1 + 2.0 * i / (k - 1));
}
