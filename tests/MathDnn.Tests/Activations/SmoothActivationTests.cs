using MathDnn.Activations;

namespace MathDnn.Tests.Activations;

/// <summary>
/// GELU (exact and tanh), SiLU and softplus against 40-digit references (mpmath 1.3.0 at 120 digits — the tanh form cancels in 1 + tanh u for z ≪ 0, which 40 digits do not survive: GELU as
/// x·½erfc(−x/√2), its derivative ½erfc(−x/√2) + x·e^{−x²/2}/√(2π); the tanh form as ½x(1 + tanh(√(2/π)(x + 0.044715x³)));
/// SiLU x/(1 + e^{−x}); softplus log(1 + eˣ); the other derivatives by mp.diff), rounded to 20 digits. The point is the
/// stable formulation: in the tails the results keep their relative accuracy where the textbook forms cancel or overflow.
/// </summary>
public class SmoothActivationTests
{
    private static readonly double[] Points = [-10, -3, -1, -0.5, 0.5, 1, 3, 10];

    /// <summary>|actual − expected| ≤ ulps·ε·|expected| (ε = 2⁻⁵²), naming the point.</summary>
    private static void Relative(double expected, double actual, double ulps, string what)
    {
        double tol = ulps * Math.Pow(2, -52) * Math.Abs(expected);
        Assert.True(Math.Abs(actual - expected) <= tol, $"{what}: expected {expected:G17}, got {actual:G17} (tolerance {tol:G3})");
    }

    // GELU via erfc(t), t = −z/√2: MathNet's Erfc (Boost's rational approximations) is accurate to a few ulps and the product
    // and halving add two roundings (16 ulps); rounding t by ½ ulp moves erfc by its condition number |t·erfc′(t)/erfc(t)| ≈ 2t²
    // = z² (for t ≫ 1) times ½ ulp: tolerance 16 + z² ulps (116 at z = −10, where 33 are observed).
    [Fact]
    public void Gelu_values_and_derivatives_keep_relative_accuracy_in_the_left_tail()
    {
        double[] value = [-7.619853024160526066e-23, -0.00404969409489028358, -0.15865525393145705141, -0.15426876936299344818,
                          0.34573123063700655182, 0.84134474606854294859, 2.9959503059051097164, 10.0];
        double[] slope = [-7.6184000964648140857e-22, -0.011945647204183927, -0.083315470587686298383, 0.13250487534383715747,
                          0.86749512465616284253, 1.0833154705876862984, 1.011945647204183927, 1.0];
        var f = new Gelu();
        for (int i = 0; i < Points.Length; i++)
        {
            double ulps = 16 + Points[i] * Points[i];
            Relative(value[i], f.Value(Points[i]), ulps, $"GELU({Points[i]})");
            Relative(slope[i], f.Derivative(Points[i]), ulps, $"GELU′({Points[i]})");
        }
        Assert.Equal(0.0, f.Value(0.0));
        Assert.Equal(0.5, f.Derivative(0.0));
    }

    // The tanh form as z·σ(2u): u = √(2/π)(z + cz³) carries a few ulps of relative error, which e^{2u} turns into |2u|·ulps of
    // relative error in the tail (|2u| ≈ 87 at z = −10): tolerance 8·(1 + |2u|) ulps.
    [Fact]
    public void Gelu_tanh_approximation_values_and_derivatives()
    {
        double[] value = [-1.2040923482098059937e-37, -0.0036373920817730188378, -0.15880800939172329522, -0.15428599017485607796,
                          0.34571400982514392204, 0.84119199060827670478, 2.9963626079182269812, 10.0];
        double[] slope = [-2.7576380638540316073e-36, -0.011584166630969726204, -0.08296408384578255514, 0.13263009646535768844,
                          0.86736990353464231156, 1.0829640838457825551, 1.0115841666309697262, 1.0];
        var f = new GeluTanh();
        for (int i = 0; i < Points.Length; i++)
        {
            double z = Points[i], twoU = 2 * Math.Sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z);
            Relative(value[i], f.Value(z), 8 * (1 + Math.Abs(twoU)), $"GELU-tanh({z})");
            Relative(slope[i], f.Derivative(z), 8 * (1 + Math.Abs(twoU)), $"GELU-tanh′({z})");
        }
    }

    // SiLU: z·σ(z) with σ from one exp of an exact input and a quotient: ≤ 4 roundings, 8 ulps; the derivative adds a product
    // and a sum of terms that cancel near its zero z ≈ −1.28 (not a point here): 16 ulps.
    [Fact]
    public void Silu_values_and_derivatives()
    {
        double[] value = [-0.00045397868702434394505, -0.14227761953270034264, -0.26894142136999512075, -0.18877033439907271768,
                          0.31122966560092728232, 0.73105857863000487925, 2.8577223804672996574, 9.9995460213129756561];
        double[] slope = [-0.00040856020865708231582, -0.088104106015169617069, 0.072329488128513268211, 0.26003881269734819083,
                          0.73996118730265180917, 0.92767051187148673179, 1.0881041060151696171, 1.0004085602086570823];
        var f = new Silu();
        for (int i = 0; i < Points.Length; i++)
        {
            Relative(value[i], f.Value(Points[i]), 8, $"SiLU({Points[i]})");
            Relative(slope[i], f.Derivative(Points[i]), 16, $"SiLU′({Points[i]})");
        }
    }

    // Softplus as max(z, 0) + log1p(e^{−|z|}) with Kahan's log1p: ≤ 6 roundings, 8 ulps.
    [Fact]
    public void Softplus_is_stable_at_both_ends()
    {
        double[] value = [0.000045398899216864646769, 0.048587351573742058759, 0.31326168751822283405, 0.47407698418010668087,
                          0.97407698418010668087, 1.313261687518222834, 3.0485873515737420588, 10.000045398899216865];
        var f = new Softplus();
        for (int i = 0; i < Points.Length; i++)
        {
            Relative(value[i], f.Value(Points[i]), 8, $"softplus({Points[i]})");
            Relative(Sigmoid.Logistic(Points[i]), f.Derivative(Points[i]), 0, $"softplus′({Points[i]}) = σ");
        }
        // log(1 + e^{−40}) = 4.2483542552915889863e-18: log(1 + t) in double would give 0 (1 + t rounds to 1).
        Relative(4.2483542552915889863e-18, f.Value(-40), 8, "softplus(−40)");
        // log(1 + e^{−700}) = e^{−700}(1 − e^{−700}/2 …) = e^{−700} to every digit: compare with Math.Exp (≤ 1 ulp).
        Relative(Math.Exp(-700), f.Value(-700), 2, "softplus(−700)");
        // log(1 + e^{1000}) = 1000 + log(1 + e^{−1000}) = 1000: e^{1000} would overflow.
        Assert.Equal(1000.0, f.Value(1000.0));
        Assert.Equal(0.0, f.Value(-1000.0));
        Assert.True(double.IsNaN(f.Value(double.NaN)));
    }

    [Fact]
    public void Log1p_by_Kahans_formula_is_accurate_for_tiny_arguments()
    {
        // log(1 + t) = t − t²/2 + t³/3 − …: for t = 1e-10 the series to t³ is exact in double.
        double t = 1e-10;
        Relative(t - t * t / 2 + t * t * t / 3, Softplus.LogOnePlus(t), 2, "log1p(1e-10)");
        Assert.Equal(5e-324, Softplus.LogOnePlus(5e-324));
    }

    [Fact]
    public void Float32_uses_the_same_formulas()
    {
        // The float evaluation of each activation rounds the double one (GELU is evaluated in double, then rounded: exact to ½ ulp of float).
        foreach (double z in Points)
        {
            Assert.Equal((float)new Gelu().Value(z), new Gelu().Value((float)z));
            float fz = (float)z;
            // SiLU, softplus in float: a handful of float roundings, relative 8·2⁻²³ of the value.
            Assert.True(Math.Abs(new Silu().Value(fz) - new Silu().Value((double)fz)) <= 8 * Math.Pow(2, -23) * Math.Abs(new Silu().Value((double)fz)));
            Assert.True(Math.Abs(new Softplus().Value(fz) - new Softplus().Value((double)fz)) <= 8 * Math.Pow(2, -23) * Math.Abs(new Softplus().Value((double)fz)));
        }
    }
}
