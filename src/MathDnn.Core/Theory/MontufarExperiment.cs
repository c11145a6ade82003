using System.Collections.Immutable;
using MathDnn.Activations;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// Sizes of the Montúfar experiment: depths L = 1..<see cref="MaxDepth"/> of width <see cref="Width"/> (so 4L neurons at
/// the default width 4), random networks per depth, grid points per axis, and the half-width R of the box [−R, R]² the
/// random networks are counted on.
/// </summary>
/// <param name="Seed">The seed of every random draw (default 0).</param>
/// <param name="MaxDepth">The largest depth L (default 5).</param>
/// <param name="Width">The width of every hidden layer (default 4; even, ≥ 4).</param>
/// <param name="RandomNetworks">Random networks per depth (default 4).</param>
/// <param name="Grid">Grid points per axis (default 256).</param>
/// <param name="Box">R of the box [−R, R]² for the random networks (default 2).</param>
public sealed record MontufarOptions(int Seed = 0, int MaxDepth = 5, int Width = 4, int RandomNetworks = 4, int Grid = 256, double Box = 2.0);

/// <summary>
/// One depth L: the constructed folding network's count on ]0, 1[² (expected 4^L), the shallow maximum Σ_{j≤2} C(N, j) at
/// the same N = L·width neurons, Montúfar et al.'s lower bound on the deep maximum, the layer-product upper bound, and
/// the mean counts of random deep and shallow networks.
/// </summary>
/// <param name="Depth">L.</param>
/// <param name="Neurons">N = L·width.</param>
/// <param name="Constructed">The folding network's counted regions on ]0, 1[².</param>
/// <param name="ConstructedExpected">4^L.</param>
/// <param name="ShallowMaximum">Σ_{j≤2} C(N, j), the most a shallow network of N units can have.</param>
/// <param name="MontufarLowerBound">Montúfar et al.'s lower bound on the deep maximum.</param>
/// <param name="DeepUpperBound">Π_l Σ_{j≤2} C(width, j).</param>
/// <param name="RandomDeepMean">The mean count of the random deep networks.</param>
/// <param name="RandomShallowMean">The mean count of the random shallow networks.</param>
/// <param name="RandomDeepMax">The largest count of a random deep network.</param>
/// <param name="RandomShallowMax">The largest count of a random shallow network.</param>
public sealed record RegionCount(int Depth, int Neurons, int Constructed, long ConstructedExpected, long ShallowMaximum, long MontufarLowerBound,
    long DeepUpperBound, double RandomDeepMean, double RandomShallowMean, int RandomDeepMax, int RandomShallowMax);

/// <summary>The result of <see cref="MontufarExperiment.Run"/>.</summary>
/// <param name="Width">The hidden width.</param>
/// <param name="GridPoints">Grid points per axis.</param>
/// <param name="Box">R of the random networks' box.</param>
/// <param name="Depths">One count per depth.</param>
public sealed record MontufarResult(int Width, int GridPoints, double Box, ImmutableArray<RegionCount> Depths) : ITheoryResult
{
    /// <inheritdoc/>
    public string Name => "montufar";
    /// <inheritdoc/>
    public string Statement => "Montúfar, Pascanu, Cho & Bengio 2014 (004): a deep ReLU network can have exponentially many more linear regions than a shallow one with as many neurons";

    /// <summary>The folding network has exactly 4^L regions, which exceeds the shallow maximum 1 + 2L + 8L² (width 4) from L = 4 on at equal neurons; no random count exceeds its upper bound.</summary>
    public bool Holds =>
        Depths.All(d => d.Constructed == d.ConstructedExpected && d.RandomShallowMax <= d.ShallowMaximum && d.RandomDeepMax <= d.DeepUpperBound)
        && Depths.Where(d => d.Depth >= 4).All(d => d.Constructed > d.ShallowMaximum);

    /// <inheritdoc/>
    public string Verdict =>
        $"Deep beats the shallow maximum at equal neurons from L = {Depths.Where(d => d.Constructed > d.ShallowMaximum).Select(d => d.Depth).DefaultIfEmpty(0).Min()}: " +
        string.Join(" ", Depths.Select(d =>
            $"L = {d.Depth} ({d.Neurons} neurons): folding network {d.Constructed} regions (4^L = {d.ConstructedExpected}), shallow maximum {d.ShallowMaximum}, " +
            $"Montúfar lower bound {d.MontufarLowerBound}, random deep {d.RandomDeepMean:G3} (≤ {d.DeepUpperBound}), random shallow {d.RandomShallowMean:G3};")) +
        $" counted from activation patterns on a {GridPoints}×{GridPoints} grid.";

    /// <summary>Region counts against depth: the folding network, the shallow maximum, Montúfar's lower bound and the random networks (log y).</summary>
    public ImmutableArray<Plot> Plots =>
    [
        new("Linear regions of ReLU networks with 2-D input", "depth L (width " + Width + ")", "regions", false, true,
        [
            Series.Of("deep folding network (]0,1[²)", Depths.Select(d => (double)d.Depth), Depths.Select(d => (double)d.Constructed)),
            Series.Of("shallow maximum, same neurons", Depths.Select(d => (double)d.Depth), Depths.Select(d => (double)d.ShallowMaximum)),
            Series.Of("Montúfar et al. 2014 lower bound (deep maximum)", Depths.Select(d => (double)d.Depth), Depths.Select(d => (double)d.MontufarLowerBound)),
            Series.Of($"random deep ([−{Box}, {Box}]²)", Depths.Select(d => (double)d.Depth), Depths.Select(d => d.RandomDeepMean)),
            Series.Of($"random shallow ([−{Box}, {Box}]²)", Depths.Select(d => (double)d.Depth), Depths.Select(d => d.RandomShallowMean)),
        ]),
    ];
}

/// <summary>
/// Montúfar et al. 2014 (004) as an experiment on ReLU networks with 2-D input (d = 2).
/// <para>
/// Counting: a ReLU network is affine on each set of inputs sharing an activation pattern (which hidden units have a
/// positive pre-activation); the number of distinct patterns among the cell centres of a G×G grid is the number of
/// linear regions that contain a grid point (a lower bound of the regions meeting the box).
/// </para>
/// <para>
/// Bounds: N hyperplanes in general position cut ℝ² into at most Σ_{j=0}^{2} C(N, j) regions (Zaslavsky), the maximum of a
/// shallow network with N units. Montúfar et al. 2014 show the maximum of a deep network with L hidden layers of width
/// n ≥ d is at least (Π_{i=1}^{L−1} ⌊n/d⌋^d)·Σ_{j=0}^{d} C(n, j) — the slide's O(C(n, d)^{d(ℓ−1)}n^d) growth, exponential in L.
/// Upper bound: within one region of the first l − 1 layers the map is affine from ℝ², so layer l's n units add at most
/// Σ_{j≤2} C(n, j) pieces to it: regions ≤ Π_l Σ_{j≤2} C(n, j).
/// </para>
/// <para>
/// The deep folding network (Montúfar's identification of symmetric pieces, built from Telgarsky's tent map, see
/// <see cref="TelgarskyExperiment"/>): layer l has units σ(u), σ(u − ½), σ(v), σ(v − ½) of (u, v) = (m^{(l−1)}(x₁),
/// m^{(l−1)}(x₂)) — the next layer forms m(u) = 2σ(u) − 4σ(u − ½). Its units switch where m^{(l−1)}(xᵢ) = ½, i.e. at the
/// odd multiples of 1/2^l, so after L layers ]0, 1[² is cut into (2^L)² = 4^L squares: 4L neurons, 4^L regions, more
/// than the shallow maximum 1 + 4L + C(4L, 2) = 1 + 2L + 8L² from L = 4 on (64 &lt; 79 at L = 3,
/// 256 &gt; 137 at L = 4). The random networks have He-normal weights and N(0, 1) biases.
/// </para>
/// </summary>
public static class MontufarExperiment
{
    /// <summary>Counts the linear regions of the folding network and of random deep and shallow networks at every depth (defaults: <see cref="MontufarOptions"/>).</summary>
    /// <exception cref="ArgumentException">The depth, the random networks or the grid is too small, the width is odd or below 4, R ≤ 0, or depth·width exceeds 128 neurons.</exception>
    public static MontufarResult Run(MontufarOptions? options = null)
    {
        var o = options ?? new MontufarOptions();
        if (o.MaxDepth < 1 || o.Width < 4 || o.Width % 2 != 0 || o.RandomNetworks < 1 || o.Grid < 2 || !(o.Box > 0))
            throw new ArgumentException("Montúfar experiment: need depth ≥ 1, an even width ≥ 4 (two units per coordinate and fold), ≥ 1 random network, grid ≥ 2 and R > 0.");
        if (o.MaxDepth * o.Width > 128)
            throw new ArgumentException($"Montúfar experiment: activation patterns are held in 128 bits; {o.MaxDepth}×{o.Width} neurons is too many.");
        var depths = ImmutableArray.CreateBuilder<RegionCount>();
        for (int depth = 1; depth <= o.MaxDepth; depth++)
        {
            int neurons = depth * o.Width;
            int constructed = CountRegions(Folding(depth, o.Width), o.Grid, 0, 1);
            var deep = new List<int>();
            var shallow = new List<int>();
            for (int r = 0; r < o.RandomNetworks; r++)
            {
                var rng = Rng.Derive(o.Seed, 1000L * depth + r);
                deep.Add(CountRegions(RandomNetwork(Enumerable.Repeat(o.Width, depth).ToArray(), ref rng), o.Grid, -o.Box, o.Box));
                shallow.Add(CountRegions(RandomNetwork([neurons], ref rng), o.Grid, -o.Box, o.Box));
            }
            depths.Add(new RegionCount(depth, neurons, constructed, 1L << (2 * depth), ArrangementBound(neurons),
                MontufarLowerBound(depth, o.Width), (long)Math.Pow(ArrangementBound(o.Width), depth),
                deep.Average(), shallow.Average(), deep.Max(), shallow.Max()));
        }
        return new MontufarResult(o.Width, o.Grid, o.Box, depths.ToImmutable());
    }

    /// <summary>Σ_{j=0}^{2} C(N, j) = 1 + N + N(N − 1)/2: the most regions N lines cut the plane into (Zaslavsky).</summary>
    public static long ArrangementBound(int n) => 1 + n + (long)n * (n - 1) / 2;

    /// <summary>Montúfar et al. 2014's lower bound on the maximal number of regions for d = 2: ⌊n/2⌋^{2(L−1)}·Σ_{j≤2} C(n, j).</summary>
    public static long MontufarLowerBound(int depth, int width) => (long)Math.Pow(width / 2, 2 * (depth - 1)) * ArrangementBound(width);

    /// <summary>The number of distinct activation patterns of the network's hidden units at the centres of a G×G grid on [lo, hi]².</summary>
    public static int CountRegions(Network hidden, int grid, double lo, double hi)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.InputSize != 2) throw new ArgumentException($"Region count: the network must take 2-D inputs, it takes {hidden.InputSize}.");
        var denseLayers = Enumerable.Range(0, hidden.Layers.Length).Where(k => hidden.Layers[k] is Dense && k + 1 < hidden.Layers.Length && hidden.Layers[k + 1] is Relu).ToArray();
        int units = denseLayers.Sum(k => hidden.Widths[k + 1]);
        if (units > 128) throw new ArgumentException($"Region count: {units} hidden units exceed the 128-bit patterns.");
        var patterns = new HashSet<UInt128>();
        double step = (hi - lo) / grid;
        var x = new Mat<double>(grid, 2);
        for (int i = 0; i < grid; i++)
        {
            for (int j = 0; j < grid; j++)
            {
                x.Data[2 * j] = lo + (i + 0.5) * step;
                x.Data[2 * j + 1] = lo + (j + 0.5) * step;
            }
            var acts = hidden.ForwardAll(x, hidden.Parameters.Values);
            for (int p = 0; p < grid; p++)
            {
                UInt128 pattern = 0;
                int bit = 0;
                foreach (int k in denseLayers)
                    foreach (var z in acts[k + 1].Row(p))
                    {
                        if (z > 0) pattern |= UInt128.One << bit;
                        bit++;
                    }
                patterns.Add(pattern);
            }
        }
        return patterns.Count;
    }

    /// <summary>The folding network of depth L (see the type): hidden layers only, each 𝕃 then ReLU, width w (two units per coordinate; extra units copy the last ones).</summary>
    public static Network Folding(int depth, int width)
    {
        var layers = new List<Layer>();
        var theta = new List<double>();
        for (int l = 0; l < depth; l++)
        {
            int inputs = l == 0 ? 2 : width;
            layers.Add(new Dense(inputs, width));
            layers.Add(new Relu());
            var w = new double[width, inputs];
            var b = new double[width];
            for (int unit = 0; unit < width; unit++)
            {
                int coordinate = Math.Min(unit / 2, 1), half = unit % 2;
                if (l == 0) w[unit, coordinate] = 1; // u = x_coordinate
                else
                {
                    // u = m(previous u) = 2σ(u) − 4σ(u − ½) from units 2c, 2c + 1 of the previous layer
                    w[unit, 2 * coordinate] = 2;
                    w[unit, 2 * coordinate + 1] = -4;
                }
                b[unit] = half == 1 ? -0.5 : 0;
            }
            for (int r = 0; r < width; r++) for (int c = 0; c < inputs; c++) theta.Add(w[r, c]);
            theta.AddRange(b);
        }
        var (layout, _) = Network.LayoutOf(2, layers);
        return Network.Create(2, layers, Parameters.FromArray(layout, theta.ToArray()));
    }

    /// <summary>Hidden layers of the given widths on 2-D input: He-normal weights N(0, 2/fan-in), biases N(0, 1).</summary>
    public static Network RandomNetwork(int[] widths, ref Rng rng)
    {
        var layers = new List<Layer>();
        var theta = new List<double>();
        int inputs = 2;
        foreach (int w in widths)
        {
            layers.Add(new Dense(inputs, w));
            layers.Add(new Relu());
            for (int i = 0; i < w * inputs; i++) theta.Add(rng.NextNormal() * Math.Sqrt(2.0 / inputs));
            for (int i = 0; i < w; i++) theta.Add(rng.NextNormal());
            inputs = w;
        }
        var (layout, _) = Network.LayoutOf(2, layers);
        return Network.Create(2, layers, Parameters.FromArray(layout, theta.ToArray()));
    }
}
