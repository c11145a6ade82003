using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Data;

/// <summary>
/// Seeded synthetic classification sets: the same seed gives bit-identical samples on every platform (they are drawn
/// from <see cref="Rng"/>). Each returns X (n × features, one sample per row), the n labels 0..K−1 and K; samples are
/// listed class by class (splits and training shuffle them). <c>Dataset.FromLabels(x, labels, classes)</c> makes a
/// training set of one.
/// </summary>
public static class Synthetic
{
    /// <summary>The names <see cref="Generate"/> and <see cref="Describe"/> take: spirals, moons, xor, sawtooth.</summary>
    public static readonly string[] Names = ["spirals", "moons", "xor", "sawtooth"];

    /// <summary>Whether <paramref name="name"/> is one of <see cref="Names"/>.</summary>
    /// <param name="name">A set's name (case-sensitive).</param>
    public static bool IsName(string name) => Names.Contains(name);

    /// <summary>One line describing the set: how it is drawn, its size (n × features) and its number of classes.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="name"/> is not one of <see cref="Names"/>.</exception>
    public static string Describe(string name) => name switch
    {
        "spirals" => "3 interleaved spiral arms in the plane, 300 points each (angle noise N(0, 0.2²)); 900 × 2, 3 classes",
        "moons" => "two interleaving half circles, 500 points each (noise N(0, 0.1²) per coordinate); 1000 × 2, 2 classes",
        "xor" => "points uniform on [−1, 1]², class 1 when x₁·x₂ < 0 (the XOR of the signs); 1000 × 2, 2 classes",
        "sawtooth" => "x uniform on [0, 1], class 1 when m³(x) ≥ ½ for the tent map m of 004's Telgarsky slide (4 intervals of width 1/8 alternating with class 0); 1000 × 1, 2 classes",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a synthetic set"),
    };

    /// <summary>The set called <paramref name="name"/>, drawn with <paramref name="seed"/> at its default size: inputs, labels and the number of classes.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="seed">Seeds the generator: the same seed, the same set.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="name"/> is not one of <see cref="Names"/>.</exception>
    public static (Matrix<double> X, int[] Labels, int Classes) Generate(string name, int seed) => name switch
    {
        "spirals" => Spirals(seed),
        "moons" => Moons(seed),
        "xor" => Xor(seed),
        "sawtooth" => Sawtooth(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a synthetic set"),
    };

    /// <summary>
    /// K = 3 arms of n = 300 points: point i of arm c has radius r = i/(n − 1) and angle t = 4c + 4r + 0.2·N(0, 1),
    /// at r·(sin t, cos t) (the classic spiral set of CS231n).
    /// </summary>
    /// <param name="seed">Seeds the angle noise.</param>
    /// <param name="perClass">Points per arm, n.</param>
    /// <param name="classes">Arms, K.</param>
    /// <returns>X, Kn × 2; labels 0..K−1 (arm c on rows cn..cn + n − 1); K.</returns>
    public static (Matrix<double> X, int[] Labels, int Classes) Spirals(int seed, int perClass = 300, int classes = 3)
    {
        var rng = new Rng(seed);
        var x = Matrix<double>.Build.Dense(perClass * classes, 2);
        var labels = new int[perClass * classes];
        for (int c = 0; c < classes; c++)
            for (int i = 0; i < perClass; i++)
            {
                int k = c * perClass + i;
                double r = perClass == 1 ? 0 : (double)i / (perClass - 1);
                double t = 4.0 * c + 4.0 * r + 0.2 * rng.NextNormal();
                x[k, 0] = r * Math.Sin(t);
                x[k, 1] = r * Math.Cos(t);
                labels[k] = c;
            }
        return (x, labels, classes);
    }

    /// <summary>
    /// Two half circles of n = 500 points each: class 0 at (cos θ, sin θ), class 1 at (1 − cos θ, ½ − sin θ), θ uniform on
    /// [0, π], plus N(0, 0.1²) noise on each coordinate (scikit-learn's make_moons).
    /// </summary>
    /// <param name="seed">Seeds θ and the noise.</param>
    /// <param name="perClass">Points per half circle, n.</param>
    /// <param name="noise">The standard deviation of the noise on each coordinate.</param>
    /// <returns>X, 2n × 2; labels 0 then 1; 2.</returns>
    public static (Matrix<double> X, int[] Labels, int Classes) Moons(int seed, int perClass = 500, double noise = 0.1)
    {
        var rng = new Rng(seed);
        var x = Matrix<double>.Build.Dense(2 * perClass, 2);
        var labels = new int[2 * perClass];
        for (int k = 0; k < 2 * perClass; k++)
        {
            int c = k / perClass;
            double theta = Math.PI * rng.NextDouble();
            x[k, 0] = (c == 0 ? Math.Cos(theta) : 1 - Math.Cos(theta)) + noise * rng.NextNormal();
            x[k, 1] = (c == 0 ? Math.Sin(theta) : 0.5 - Math.Sin(theta)) + noise * rng.NextNormal();
            labels[k] = c;
        }
        return (x, labels, 2);
    }

    /// <summary>n = 1000 points uniform on [−1, 1]²; the label is 1 when the signs of the coordinates differ.</summary>
    /// <param name="seed">Seeds the points.</param>
    /// <param name="count">The number of points, n.</param>
    /// <returns>X, n × 2; labels 0 or 1; 2.</returns>
    public static (Matrix<double> X, int[] Labels, int Classes) Xor(int seed, int count = 1000)
    {
        var rng = new Rng(seed);
        var x = Matrix<double>.Build.Dense(count, 2);
        var labels = new int[count];
        for (int k = 0; k < count; k++)
        {
            x[k, 0] = rng.Uniform(-1, 1);
            x[k, 1] = rng.Uniform(-1, 1);
            labels[k] = (x[k, 0] > 0) != (x[k, 1] > 0) ? 1 : 0;
        }
        return (x, labels, 2);
    }

    /// <summary>
    /// n = 1000 points x uniform on [0, 1] labelled by the sawtooth m³ = m∘m∘m of the tent map m(x) = 2x on [0, ½],
    /// 2(1 − x) on [½, 1] (004, Telgarsky slide: m is σ(2σ(x) − 4σ(x − ½)) on [0, 1]): class 1 when m³(x) ≥ ½, i.e. on
    /// [1/16, 3/16], [5/16, 7/16], [9/16, 11/16] and [13/16, 15/16], class 0 in between: the oscillating set a shallow
    /// network needs many units for.
    /// </summary>
    /// <param name="seed">Seeds the points.</param>
    /// <param name="count">The number of points, n.</param>
    /// <param name="depth">The number k of tent maps composed: class 1 when mᵏ(x) ≥ ½.</param>
    /// <returns>X, n × 1; labels 0 or 1; 2.</returns>
    public static (Matrix<double> X, int[] Labels, int Classes) Sawtooth(int seed, int count = 1000, int depth = 3)
    {
        var rng = new Rng(seed);
        var x = Matrix<double>.Build.Dense(count, 1);
        var labels = new int[count];
        for (int k = 0; k < count; k++)
        {
            double v = rng.NextDouble();
            x[k, 0] = v;
            labels[k] = Tent(v, depth) >= 0.5 ? 1 : 0;
        }
        return (x, labels, 2);
    }

    /// <summary>m^k(x) for the tent map m(x) = 2·min(x, 1 − x).</summary>
    /// <param name="x">A point of [0, 1].</param>
    /// <param name="k">How many times m is applied (0: x itself).</param>
    public static double Tent(double x, int k) => MathDnn.Theory.TelgarskyExperiment.Tent(x, k);
}
