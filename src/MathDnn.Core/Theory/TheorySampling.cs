using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>Seeded instances for <see cref="TheoryChecks"/> (the property kit draws its own with FsCheck).</summary>
internal static class TheorySampling
{
    public static Vector<double> Uniform(ref Rng rng, int n, double scale)
    {
        var v = Vector<double>.Build.Dense(n);
        for (int i = 0; i < n; i++) v[i] = rng.Uniform(-scale, scale);
        return v;
    }

    public static Matrix<double> Uniform(ref Rng rng, int rows, int columns, double scale)
    {
        var m = Matrix<double>.Build.Dense(rows, columns);
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) m[i, j] = rng.Uniform(-scale, scale);
        return m;
    }

    public static Vector<double> OneHot(ref Rng rng, int m)
    {
        var v = Vector<double>.Build.Dense(m);
        v[rng.NextInt(m)] = 1;
        return v;
    }

    /// <summary>A target of the loss's encoding.</summary>
    public static Vector<double> Target(Loss loss, ref Rng rng, int m)
    {
        switch (loss.Encoding)
        {
            case TargetEncoding.OneHot: return OneHot(ref rng, m);
            case TargetEncoding.PlusMinusOne:
                var s = Vector<double>.Build.Dense(m);
                for (int i = 0; i < m; i++) s[i] = rng.NextDouble() < 0.5 ? -1 : 1;
                return s;
            case TargetEncoding.UnitInterval:
                var u = Vector<double>.Build.Dense(m);
                for (int i = 0; i < m; i++) u[i] = rng.NextDouble();
                return u;
            default: return Uniform(ref rng, m, 3);
        }
    }

    /// <summary>An output in the loss's domain: probabilities in [0.02, 0.98] or reals in [−4, 4].</summary>
    public static Vector<double> Output(LossVerdict verdict, ref Rng rng, int m)
    {
        var v = Vector<double>.Build.Dense(m);
        for (int i = 0; i < m; i++) v[i] = verdict.TakesProbabilities ? rng.Uniform(0.02, 0.98) : rng.Uniform(-4, 4);
        return v;
    }
}
