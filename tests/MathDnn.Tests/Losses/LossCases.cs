using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Losses;

/// <summary>Seeded sample points for the loss tests: a target of the loss's encoding and an output in its domain.</summary>
internal static class LossCases
{
    /// <summary>
    /// Distance from the FD stencil to a kink: the step is h = ε^{1/3}·max(1,|o|) ≤ 1.9e-5 for |o| ≤ 3, so δ = 1e-3 ≫ h
    /// keeps [o − h, o + h] on one side of every kink (and the second derivative bounded on it).
    /// </summary>
    public const double KinkMargin = 1e-3;

    /// <summary>The catalogue names, for theories.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var n in LossCatalogue.Names) data.Add(n);
            return data;
        }
    }

    /// <summary>Losses defined only on probabilities in ]0,1[ (the unfused cross-entropies).</summary>
    public static bool TakesProbabilities(Loss loss) => loss is CategoricalCrossEntropy or BinaryCrossEntropy;

    /// <summary>A target row of the loss's encoding, drawn from the seeded stream.</summary>
    public static Vector<double> Target(Loss loss, int m, ref Rng rng)
    {
        var t = Vector<double>.Build.Dense(m);
        switch (loss.Encoding)
        {
            case TargetEncoding.OneHot: t[rng.NextInt(m)] = 1; break;
            case TargetEncoding.PlusMinusOne: for (int j = 0; j < m; j++) t[j] = rng.NextInt(2) == 0 ? -1 : 1; break;
            case TargetEncoding.UnitInterval: for (int j = 0; j < m; j++) t[j] = rng.NextDouble(); break;
            default: for (int j = 0; j < m; j++) t[j] = rng.Uniform(-3, 3); break;
        }
        return t;
    }

    /// <summary>An output row in the loss's domain: logits in [−3, 3], or probabilities in [0.05, 0.95].</summary>
    public static Vector<double> Output(Loss loss, int m, ref Rng rng)
    {
        var r = rng;
        var o = TakesProbabilities(loss)
            ? Vector<double>.Build.Dense(m, _ => r.Uniform(0.05, 0.95))
            : Vector<double>.Build.Dense(m, _ => r.Uniform(-3, 3));
        rng = r;
        return o;
    }

    /// <summary>The distance from o to the nearest kink of the loss (<see cref="LossCatalogue.KinkDistance"/>).</summary>
    public static double KinkDistance(Loss loss, Vector<double> o, Vector<double> y) => LossCatalogue.KinkDistance(loss, o.ToArray(), y.ToArray());

    /// <summary>A 2-row batch (rows from the seeded stream) of outputs and targets.</summary>
    public static (Matrix<double> Outputs, Matrix<double> Targets) Batch(Loss loss, int m, int seed)
    {
        var rng = new Rng(seed);
        var o0 = Output(loss, m, ref rng); var t0 = Target(loss, m, ref rng);
        var o1 = Output(loss, m, ref rng); var t1 = Target(loss, m, ref rng);
        return (Matrix<double>.Build.DenseOfRowVectors(o0, o1), Matrix<double>.Build.DenseOfRowVectors(t0, t1));
    }
}
