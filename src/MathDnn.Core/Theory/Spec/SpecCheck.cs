using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// One executable statement of the spec: what is checked, on how many fresh random instances, and the tolerance on
/// the error each instance returns (with the reason for that tolerance). The instance function receives its own
/// seeded generator and returns the error of one instance (0 for exact identities that hold).
/// </summary>
public sealed record SpecCheck(string Statement, string What, int Instances, double Tolerance, Func<Draw, double> Instance);

/// <summary>
/// The outcome of a check: the largest error over its instances, and whether it is within the tolerance;
/// <see cref="Failure"/> says why a check failed, <see cref="Detail"/> describes its worst instance when the check
/// reports one (the theory checks do).
/// </summary>
public sealed record CheckResult(string Statement, string What, int Instances, double LargestError, double Tolerance, bool Passed, string? Failure, string? Detail = null)
{
    /// <summary>Runs <paramref name="check"/> on <paramref name="instances"/> instances drawn from (seed, index).</summary>
    public static CheckResult Of(SpecCheck check, int seed, int index, int instances)
    {
        var draw = new Draw(seed, index);
        double worst = 0;
        for (int i = 0; i < instances; i++)
        {
            double e;
            try
            {
                e = check.Instance(draw);
            }
            catch (Exception ex)
            {
                return new CheckResult(check.Statement, check.What, i + 1, double.PositiveInfinity, check.Tolerance, false,
                    $"instance {i + 1} threw {ex.GetType().Name}: {ex.Message}");
            }
            if (double.IsNaN(e)) e = double.PositiveInfinity;
            worst = Math.Max(worst, e);
        }
        return new CheckResult(check.Statement, check.What, instances, worst, check.Tolerance, worst <= check.Tolerance, null);
    }
}

/// <summary>Seeded random instances for the checks (<see cref="Rng"/>: the same seed gives the same instances everywhere).</summary>
public sealed class Draw
{
    private Rng rng;

    /// <summary>The instances of check <paramref name="index"/> under <paramref name="seed"/>, from <c>Rng.Derive(seed, index)</c>.</summary>
    public Draw(int seed, long index) => rng = Rng.Derive(seed, index);

    /// <summary>A number uniform on [<paramref name="a"/>, <paramref name="b"/>).</summary>
    public double U(double a, double b) => rng.Uniform(a, b);

    /// <summary>Uniform integer in [lo, hi].</summary>
    public int Int(int lo, int hi) => lo + rng.NextInt(hi - lo + 1);

    /// <summary>A row of <paramref name="n"/> entries uniform on [−scale, scale).</summary>
    public Vector<double> Vec(int n, double scale) => Vector<double>.Build.Dense(n, _ => rng.Uniform(-scale, scale));

    /// <summary>A rows×cols matrix of entries uniform on [−scale, scale).</summary>
    public Matrix<double> Mat(int rows, int cols, double scale) => Matrix<double>.Build.Dense(rows, cols, (_, _) => rng.Uniform(-scale, scale));

    /// <summary>Entries uniform on ±[margin, scale]: at least <paramref name="margin"/> away from 0.</summary>
    public Vector<double> AwayFromZero(int n, double scale, double margin) =>
        Vector<double>.Build.Dense(n, _ => (rng.NextDouble() < 0.5 ? -1 : 1) * rng.Uniform(margin, scale));

    /// <summary><paramref name="n"/> labels uniform in [0, <paramref name="classes"/>).</summary>
    public int[] Labels(int n, int classes) => Enumerable.Range(0, n).Select(_ => rng.NextInt(classes)).ToArray();

    /// <summary>A rows×classes matrix of one-hot rows, each class uniform.</summary>
    public Matrix<double> OneHot(int rows, int classes)
    {
        var y = Matrix<double>.Build.Dense(rows, classes);
        for (int i = 0; i < rows; i++) y[i, rng.NextInt(classes)] = 1;
        return y;
    }

    /// <summary>A non-negative int seed drawn from the stream (the top 31 bits of a draw).</summary>
    public int Seed() => (int)(rng.NextUInt64() >> 33);
}
