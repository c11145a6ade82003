using System.Collections.Immutable;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// Sizes of the Telgarsky experiment: compositions k = 1..<see cref="MaxK"/>, the k of the classification task
/// (<see cref="TaskK"/>: 2^k + 1 alternating points), the widths of the shallow networks, and their training.
/// </summary>
/// <param name="Seed">The seed of every random draw (default 0).</param>
/// <param name="MaxK">The largest composition k (default 8, ≤ 20).</param>
/// <param name="TaskK">The k of the classification task (default 6, ≤ 20).</param>
/// <param name="ShallowWidths">The shallow widths w (default [1, 2, 4, 8, 16]).</param>
/// <param name="Epochs">Full-batch Adam epochs per shallow network (default 3000).</param>
/// <param name="LearningRate">Adam's η (default 0.02).</param>
public sealed record TelgarskyOptions(int Seed = 0, int MaxK = 8, int TaskK = 6, ImmutableArray<int> ShallowWidths = default, int Epochs = 3000, double LearningRate = 0.02)
{
    /// <summary>The shallow widths, [1, 2, 4, 8, 16] when not given.</summary>
    public ImmutableArray<int> ShallowWidthsOrDefault => ShallowWidths.IsDefault ? [1, 2, 4, 8, 16] : ShallowWidths;
}

/// <summary>The k-fold composition f^(k) of the exact network: its neurons, whether it equals m^(k) at all 2^{k+1} + 1 dyadic points i/2^{k+1}, and its counted linear pieces on [0, 1] (the theorem: 2^k).</summary>
/// <param name="K">k.</param>
/// <param name="Neurons">3k.</param>
/// <param name="DyadicPoints">2^{k+1} + 1, the points compared.</param>
/// <param name="EqualsTentMap">Whether f^(k) = m^(k) bitwise at all of them.</param>
/// <param name="Pieces">The counted linear pieces on [0, 1].</param>
/// <param name="ExpectedPieces">2^k.</param>
public sealed record TentComposition(int K, int Neurons, int DyadicPoints, bool EqualsTentMap, int Pieces, int ExpectedPieces);

/// <summary>A shallow (one hidden ReLU layer) network trained on the task: its width, classification error, pieces on [0, 1], and the lower bound ½ − (w + 1)/n.</summary>
/// <param name="Width">w.</param>
/// <param name="Error">The classification error R(F) on the task.</param>
/// <param name="Pieces">Its counted linear pieces on [0, 1].</param>
/// <param name="LowerBound">½ − (w + 1)/n.</param>
/// <param name="BoundHolds">Whether Error ≥ LowerBound.</param>
public sealed record ShallowFit(int Width, double Error, int Pieces, double LowerBound, bool BoundHolds);

/// <summary>The result of <see cref="TelgarskyExperiment.Run"/>.</summary>
/// <param name="Compositions">One entry per k = 1..MaxK.</param>
/// <param name="TaskK">The task's k.</param>
/// <param name="TaskPoints">n = 2^k + 1.</param>
/// <param name="DeepNeurons">3k, the neurons of f^(k).</param>
/// <param name="DeepError">f^(k)'s error on the task (0).</param>
/// <param name="Shallow">One fit per shallow width.</param>
public sealed record TelgarskyResult(ImmutableArray<TentComposition> Compositions, int TaskK, int TaskPoints, int DeepNeurons, double DeepError, ImmutableArray<ShallowFit> Shallow) : ITheoryResult
{
    /// <inheritdoc/>
    public string Name => "telgarsky";
    /// <inheritdoc/>
    public string Statement => "Telgarsky 2015 (004): f(x) = σ(2σ(x) − 4σ(x − ½)) is the tent map m on [0, 1]; f^(k) = m^(k) has 2^k linear pieces and classifies the 2^k + 1 alternating points exactly, while a network with t pieces errs on at least ½ − t/n of them";

    /// <summary>Every f^(k) equals m^(k) at the dyadic points and has 2^k pieces, the deep network classifies the task exactly, and every shallow error is at least ½ − (w + 1)/n.</summary>
    public bool Holds =>
        Compositions.All(c => c.EqualsTentMap && c.Pieces == c.ExpectedPieces) && DeepError == 0 && Shallow.All(s => s.BoundHolds);

    /// <inheritdoc/>
    public string Verdict =>
        $"f^(k) = m^(k) at every dyadic point i/2^(k+1) for k = 1..{Compositions.Length}: {Compositions.All(c => c.EqualsTentMap)}; pieces " +
        string.Join(", ", Compositions.Select(c => $"{c.Pieces}")) + $" (2^k: {Compositions.All(c => c.Pieces == c.ExpectedPieces)}). " +
        $"Task k = {TaskK} ({TaskPoints} points): deep network ({DeepNeurons} neurons) error {DeepError:G3}; shallow " +
        string.Join(", ", Shallow.Select(s => $"width {s.Width}: error {s.Error:G3} ≥ bound {s.LowerBound:G3}{(s.BoundHolds ? "" : " FAILS")}")) + ".";

    /// <summary>The pieces of f^(k) against 2^k (log y), and the shallow errors against their bound and the deep error.</summary>
    public ImmutableArray<Plot> Plots =>
    [
        new("Linear pieces of f^(k)", "k", "pieces", false, true,
        [
            Series.Of("counted", Compositions.Select(c => (double)c.K), Compositions.Select(c => (double)c.Pieces)),
            Series.Of("2^k", Compositions.Select(c => (double)c.K), Compositions.Select(c => (double)c.ExpectedPieces)),
        ]),
        new($"Shallow networks on the {TaskPoints} alternating points", "width", "classification error", true, false,
        [
            Series.Of("trained", Shallow.Select(s => (double)s.Width), Shallow.Select(s => s.Error)),
            Series.Of("lower bound ½ − (w + 1)/n", Shallow.Select(s => (double)s.Width), Shallow.Select(s => s.LowerBound)),
            Series.Of($"deep f^({TaskK})", Shallow.Select(s => (double)s.Width), Shallow.Select(_ => DeepError)),
        ]),
    ];
}

/// <summary>
/// Telgarsky's theorem (004) as an experiment.
/// <para>
/// The tent map m(x) = 2x on [0, ½], 2(1 − x) on [½, 1] is computed exactly by the ReLU network
/// f(x) = σ(2σ(x) − 4σ(x − ½)) (004 slide; spec README): 𝕃(1 → 2) with W = (1, 1)ᵀ, b = (0, −½), ReLU, 𝕃(2 → 1) with
/// W = (2, −4), b = 0, ReLU — 3 neurons. Its k-fold composition f^(k) (3k neurons, 2k dense layers) is compared with
/// m^(k) at every dyadic point i/2^{k+1}: both are computed exactly in floating point there (only multiplications by 2
/// and 4 and subtractions of ½ of dyadic numbers with fewer than 53 significant bits), so equality is bitwise.
/// Linear pieces are counted as 1 + the number of slope changes on the grid i/2^{k+3}, which contains every breakpoint
/// j/2^k of m^(k).
/// </para>
/// <para>
/// Classification (the theorem's task): n = 2^k + 1 points xᵢ = i/2^k with labels yᵢ = m^(k)(xᵢ) = i mod 2, and
/// R(F) = (1/n)#{i : 1[F(xᵢ) ≥ ½] ≠ yᵢ}. f^(k) has R = 0. For any F affine on each of t intervals, 1[F ≥ ½] is constant
/// on at most 2t intervals (each affine piece crosses ½ at most once); an interval holding j consecutive alternating
/// points misclassifies at least ⌊j/2⌋ ≥ (j − 1)/2 of them, so R(F) ≥ (n − 2t)/(2n) = ½ − t/n (Telgarsky's counting
/// argument). A one-hidden-layer ReLU network of width w is affine on at most w + 1 intervals of ℝ, hence the bound
/// ½ − (w + 1)/n for the shallow networks, which are trained here (sigmoid output, binary cross-entropy, full-batch Adam)
/// and counted exactly from their breakpoints −bᵢ/wᵢ.
/// </para>
/// </summary>
public static class TelgarskyExperiment
{
    /// <summary>The tent map m of 004 (Telgarsky's slide).</summary>
    public static double Tent(double x) => x <= 0.5 ? 2 * x : 2 * (1 - x);

    /// <summary>m^(k), the k-fold composition of the tent map.</summary>
    public static double Tent(double x, int k)
    {
        for (int i = 0; i < k; i++) x = Tent(x);
        return x;
    }

    /// <summary>f^(k): k copies of the exact 3-neuron ReLU network f(x) = σ(2σ(x) − 4σ(x − ½)), composed.</summary>
    public static Network TentNetwork(int k)
    {
        if (k < 1) throw new ArgumentException($"Telgarsky: the number of compositions k must be ≥ 1, got {k}.");
        var layers = new List<Layer>();
        var theta = new List<double>();
        for (int i = 0; i < k; i++)
        {
            layers.AddRange([new Dense(1, 2), new Relu(), new Dense(2, 1), new Relu()]);
            theta.AddRange([1, 1, 0, -0.5]); // W = (1, 1)ᵀ, b = (0, −½): σ(x), σ(x − ½)
            theta.AddRange([2, -4, 0]);     // W = (2, −4), b = 0: σ(2σ(x) − 4σ(x − ½))
        }
        var (layout, _) = Network.LayoutOf(1, layers);
        return Network.Create(1, layers, Parameters.FromArray(layout, theta.ToArray()));
    }

    /// <summary>Checks f^(k) = m^(k) for k = 1..MaxK and trains the shallow networks on the task of TaskK (defaults: <see cref="TelgarskyOptions"/>).</summary>
    /// <exception cref="ArgumentException">MaxK or TaskK is not in 1..20, a shallow width is below 1, or the epochs are negative.</exception>
    public static TelgarskyResult Run(TelgarskyOptions? options = null)
    {
        var o = options ?? new TelgarskyOptions();
        if (o.MaxK < 1 || o.MaxK > 20 || o.TaskK < 1 || o.TaskK > 20)
            throw new ArgumentException($"Telgarsky: k must be in 1..20 (dyadic grids of 2^(k+3) points), got MaxK = {o.MaxK}, TaskK = {o.TaskK}.");
        var widths = o.ShallowWidthsOrDefault;
        if (widths.IsEmpty || widths.Any(w => w < 1) || o.Epochs < 0)
            throw new ArgumentException("Telgarsky: shallow widths must be ≥ 1 and epochs ≥ 0.");
        var compositions = Enumerable.Range(1, o.MaxK).Select(Composition).ToImmutableArray();

        int n = (1 << o.TaskK) + 1;
        var x = Matrix<double>.Build.Dense(n, 1, (i, _) => (double)i / (1 << o.TaskK));
        var y = Matrix<double>.Build.Dense(n, 1, (i, _) => Tent(x[i, 0], o.TaskK));
        var deep = TentNetwork(o.TaskK).Forward(x);
        double deepError = Error(deep, y, threshold: 0.5);

        var data = new Dataset(x, y);
        var shallow = ImmutableArray.CreateBuilder<ShallowFit>();
        foreach (int w in widths)
        {
            var net = Network.Create(1, [new Dense(1, w), new Relu(), new Dense(w, 1), new Sigmoid()], seed: o.Seed + w);
            var fit = Trainer.Fit(net, data, new TrainingOptions(new BinaryCrossEntropy(), Optim.Adam(o.LearningRate)) { BatchSize = 0, Epochs = o.Epochs, Seed = o.Seed });
            double error = Error(fit.Model.Forward(x), y, threshold: 0.5);
            double bound = 0.5 - (w + 1.0) / n;
            shallow.Add(new ShallowFit(w, error, ShallowPieces(fit.Model), bound, error >= bound));
        }
        return new TelgarskyResult(compositions, o.TaskK, n, 3 * o.TaskK, deepError, shallow.ToImmutable());
    }

    private static TentComposition Composition(int k)
    {
        var net = TentNetwork(k);
        int dyadic = (1 << (k + 1)) + 1;
        var points = Matrix<double>.Build.Dense(dyadic, 1, (i, _) => (double)i / (1 << (k + 1)));
        var values = net.Forward(points);
        bool equal = true;
        for (int i = 0; i < dyadic; i++)
            equal &= BitConverter.DoubleToInt64Bits(values[i, 0]) == BitConverter.DoubleToInt64Bits(Tent(points[i, 0], k));
        // Pieces: slope changes on the grid i/2^(k+3) (exact dyadic values, so slopes are exact).
        int fine = 1 << (k + 3);
        var grid = Matrix<double>.Build.Dense(fine + 1, 1, (i, _) => (double)i / fine);
        var g = net.Forward(grid);
        int pieces = 1;
        for (int i = 1; i < fine; i++)
            if ((g[i + 1, 0] - g[i, 0]) != (g[i, 0] - g[i - 1, 0])) pieces++;
        return new TentComposition(k, 3 * k, dyadic, equal, pieces, 1 << k);
    }

    /// <summary>The fraction of rows where 1[output ≥ threshold] differs from the 0/1 label.</summary>
    private static double Error(Matrix<double> outputs, Matrix<double> labels, double threshold)
    {
        int wrong = 0;
        for (int i = 0; i < outputs.RowCount; i++)
            if ((outputs[i, 0] >= threshold ? 1.0 : 0.0) != labels[i, 0]) wrong++;
        return (double)wrong / outputs.RowCount;
    }

    /// <summary>1 + the number of distinct breakpoints −bᵢ/wᵢ in ]0, 1[ of hidden units with wᵢ ≠ 0 and output weight ≠ 0 (≤ w + 1).</summary>
    private static int ShallowPieces(Network net)
    {
        var w = net.Parameters.Weights(0);
        var b = net.Parameters.Bias(0);
        var a = net.Parameters.Weights(2);
        var breaks = new SortedSet<double>();
        for (int i = 0; i < w.RowCount; i++)
        {
            if (w[i, 0] == 0 || a[0, i] == 0) continue;
            double t = -b[i] / w[i, 0];
            if (t > 0 && t < 1) breaks.Add(t);
        }
        return breaks.Count + 1;
    }
}
