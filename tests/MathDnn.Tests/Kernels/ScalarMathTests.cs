using MathDnn.Activations;
using MathDnn.Kernels;
using MathDnn.Losses;

namespace MathDnn.Tests.Kernels;

/// <summary>
/// expm1 and log1p near 0 against a double-double reference (<see cref="DoubleDouble"/>: their Taylor and atanh series in
/// ~106 bits), in double and float, and their users (ELU, softplus, the binary cross-entropies). .NET's ExpM1 is exp(x) − 1
/// and its LogP1 log(x + 1), which lose every digit as x → 0 (issue 13, item 14).
/// </summary>
public class ScalarMathTests
{
    private static readonly double EpsDouble = Math.Pow(2, -52), EpsFloat = Math.Pow(2, -23);

    /// <summary>±|x| for |x| = m·10^e, e from −300 to 0, m seeded in [1, 10[: the range where exp(x) − 1 cancels, and beyond.</summary>
    private static IEnumerable<double> NearZero(int minExponent)
    {
        var rng = new Random(14);
        for (int e = minExponent; e <= 0; e++)
            for (int i = 0; i < 3; i++)
            {
                double x = Math.Min(1.0, (1 + 9 * rng.NextDouble()) * Math.Pow(10, e));
                yield return x;
                yield return -x;
            }
    }

    /// <summary>|actual − expected| ≤ ulps·ε·|expected|, naming the function and the point.</summary>
    private static void Relative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected),
            $"{what}: expected {expected:G17}, got {actual:G17} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):G3}, tolerance {tolerance:G3})");

    // Kahan's expm1 (u − 1)·x/log u: u − 1 is exact, exp and log each add ≤ 1 ulp (glibc), and the quotient and the product
    // one rounding each; Higham (§1.14.1) bounds the result by 3.5ε for correctly rounded exp and log: 4ε with 1-ulp ones,
    // plus the 2ε of those two: 6ε. The same in float with float's ε.
    [Fact]
    public void ExpM1_is_accurate_to_a_few_ulps_from_1e_minus_300_to_1()
    {
        foreach (double x in NearZero(-300))
        {
            double expected = DoubleDouble.ExpM1(x).Value;
            Relative(expected, ScalarMath.ExpM1(x), 6 * EpsDouble, $"ExpM1({x:G17})");
        }
        // What .NET's own gives at the point, for contrast: exp(−1e-10) − 1 is off by 8e-8 relative.
        Relative(DoubleDouble.ExpM1(-1e-10).Value, ScalarMath.ExpM1(-1e-10), 6 * EpsDouble, "ExpM1(−1e-10)");
        Assert.True(Math.Abs(double.ExpM1(-1e-10) / DoubleDouble.ExpM1(-1e-10).Value - 1) > 1e-8);
    }

    [Fact]
    public void ExpM1_in_float_is_accurate_to_a_few_float_ulps()
    {
        foreach (double d in NearZero(-37))
        {
            float x = (float)d;
            double expected = DoubleDouble.ExpM1(x).Value;
            Relative(expected, ScalarMath.ExpM1(x), 6 * EpsFloat, $"ExpM1({x:G9}f)");
        }
    }

    // Goldberg's log1p log(u)·x/(u − 1): the same error analysis as expm1 (u − 1 exact, log ≤ 1 ulp, two roundings): 6ε.
    [Fact]
    public void LogP1_is_accurate_to_a_few_ulps_from_1e_minus_300_to_1()
    {
        foreach (double x in NearZero(-300).Where(x => x >= -0.9))
            Relative(DoubleDouble.LogP1(x).Value, ScalarMath.LogP1(x), 6 * EpsDouble, $"LogP1({x:G17})");
        foreach (double d in NearZero(-37).Where(x => x >= -0.9))
        {
            float x = (float)d;
            Relative(DoubleDouble.LogP1(x).Value, ScalarMath.LogP1(x), 6 * EpsFloat, $"LogP1({x:G9}f)");
        }
        Assert.True(Math.Abs(double.LogP1(1e-17)) == 0); // .NET's: log(1 + 1e-17) = log 1 = 0
    }

    [Fact]
    public void The_edges_are_exact()
    {
        Assert.Equal(0.0, ScalarMath.ExpM1(0.0));
        Assert.Equal(double.Epsilon, ScalarMath.ExpM1(double.Epsilon));
        Assert.Equal(-1.0, ScalarMath.ExpM1(-40.0)); // e^{−40} is below ½ ulp of 1
        Assert.Equal(-1.0, ScalarMath.ExpM1(double.NegativeInfinity));
        Assert.Equal(double.PositiveInfinity, ScalarMath.ExpM1(710.0));
        Assert.Equal(double.PositiveInfinity, ScalarMath.ExpM1(double.PositiveInfinity));
        Assert.True(double.IsNaN(ScalarMath.ExpM1(double.NaN)));
        Assert.Equal(double.NegativeInfinity, ScalarMath.LogP1(-1.0));
        Assert.Equal(double.PositiveInfinity, ScalarMath.LogP1(double.PositiveInfinity));
        Assert.True(double.IsNaN(ScalarMath.LogP1(-2.0)));
        Assert.Equal(float.Epsilon, ScalarMath.LogP1(float.Epsilon));
        // Large arguments agree with the BCL, where there is no cancellation: within 4 ulps of exp(x) − 1 and log(1 + x).
        foreach (double x in new[] { 2.0, 10.0, 700.0 })
        {
            Relative(Math.Exp(x) - 1, ScalarMath.ExpM1(x), 4 * EpsDouble, $"ExpM1({x})");
            Relative(Math.Log(1 + x), ScalarMath.LogP1(x), 4 * EpsDouble, $"LogP1({x})");
        }
    }

    // ELU(z) = α·expm1(z) for z < 0: expm1's 6ε and the product by α (½ε; exact for α = 1), against α times the reference.
    [Fact]
    public void Elu_near_0_keeps_its_relative_accuracy()
    {
        foreach (double alpha in new[] { 1.0, 0.3 })
        {
            var elu = new Elu(alpha);
            foreach (double z in NearZero(-300).Where(z => z < 0))
            {
                double expected = (DoubleDouble.ExpM1(z) * alpha).Value;
                Relative(expected, elu.Value(z), 7 * EpsDouble, $"ELU_{alpha}({z:G17})");
                Relative(expected, elu.Apply(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(1, z))[0], 7 * EpsDouble, $"ELU_{alpha} batch({z:G17})");
            }
            foreach (double d in NearZero(-37).Where(z => z < 0))
            {
                float z = (float)d;
                Relative((DoubleDouble.ExpM1(z) * (float)alpha).Value, elu.Value(z), 8 * EpsFloat, $"ELU_{alpha}({z:G9}f)");
            }
        }
        Relative(-9.9999999995000000000e-11, new Elu().Value(-1e-10), 7 * EpsDouble, "ELU(−1e-10)"); // expm1(−1e-10) = −1e-10 + 5e-21 − …
    }

    // softplus(z) = max(z, 0) + log1p(e^{−|z|}) near 0 is log 2 + z/2 + z²/8 − …: no cancellation, and the reference is
    // max(z, 0) + log1p(exp(−|z|)) in double-double; log1p's 6ε, exp's ε times log1p's condition t/((1 + t)log(1 + t)) ≤ 1,
    // and the sum's ½ε: 8ε.
    [Fact]
    public void Softplus_and_the_binary_cross_entropies_use_the_accurate_log1p()
    {
        foreach (double z in NearZero(-300).Concat([-30.0, -300.0, 30.0]))
        {
            var reference = (DoubleDouble)Math.Max(z, 0) + DoubleDouble.LogP1(DoubleDouble.Exp(-Math.Abs(z)));
            Relative(reference.Value, new Softplus().Value(z), 8 * EpsDouble, $"softplus({z:G17})");
            // The sigmoid binary cross-entropy of logit z with target 0 is softplus(z) (−log(1 − σ(z)) = −log σ(−z)).
            Relative(reference.Value, new SigmoidBinaryCrossEntropy().Value(V(z), V(0)), 8 * EpsDouble, $"sigmoid-BCE({z:G17}, 0)");
        }
        // Binary cross-entropy on p with target 0 is −log(1 − p) = −log1p(−p): for tiny p, p itself (log(1 − p) would be 0).
        foreach (double p in NearZero(-300).Where(p => p > 0 && p < 0.9))
            Relative(-DoubleDouble.LogP1(-p).Value, new BinaryCrossEntropy().Value(V(p), V(0)), 6 * EpsDouble, $"BCE({p:G17}, 0)");
    }

    private static MathNet.Numerics.LinearAlgebra.Vector<double> V(params double[] x) => Approx.V(x);
}
