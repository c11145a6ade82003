namespace MathDnn.Tests;

/// <summary>
/// Double-double arithmetic (Dekker 1971; Hida, Li &amp; Bailey's QD): a value hi + lo with |lo| ≤ ½ ulp(hi), about 106 bits
/// (relative 2⁻¹⁰⁴ ≈ 5e-32 per operation), for references in higher precision than the double code under test. Only what
/// the references need: sums, products, quotients, exp, expm1 and log1p by their series. Exponent range is double's.
/// </summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    public static implicit operator DoubleDouble(double x) => new(x, 0);

    /// <summary>The nearest double (hi + lo rounded once).</summary>
    public double Value => Hi + Lo;

    private static DoubleDouble TwoSum(double a, double b)
    {
        double s = a + b, bb = s - a;
        return new(s, (a - (s - bb)) + (b - bb));
    }

    private static DoubleDouble QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new(s, b - (s - a));
    }

    private static DoubleDouble TwoProduct(double a, double b)
    {
        double p = a * b;
        return new(p, Math.FusedMultiplyAdd(a, b, -p));
    }

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var s = TwoSum(a.Hi, b.Hi);
        var t = TwoSum(a.Lo, b.Lo);
        var u = QuickTwoSum(s.Hi, s.Lo + t.Hi);
        return QuickTwoSum(u.Hi, u.Lo + t.Lo);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + -b;

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        var p = TwoProduct(a.Hi, b.Hi);
        return QuickTwoSum(p.Hi, p.Lo + (a.Hi * b.Lo + a.Lo * b.Hi));
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        double q1 = a.Hi / b.Hi;
        var r = a - b * q1;
        double q2 = r.Hi / b.Hi;
        r -= b * q2;
        double q3 = r.Hi / b.Hi;
        return QuickTwoSum(q1, q2) + q3;
    }

    public static bool operator <(DoubleDouble a, DoubleDouble b) => a.Hi < b.Hi || (a.Hi == b.Hi && a.Lo < b.Lo);

    public static bool operator >(DoubleDouble a, DoubleDouble b) => b < a;

    /// <summary>ln 2 to double-double precision (hi = fl(ln 2), lo the next 53 bits).</summary>
    private static readonly DoubleDouble Ln2 = new(0.6931471805599453094, 2.3190468138462996154e-17);

    /// <summary>eˣ − 1 by its Taylor series Σ_{k≥1} xᵏ/k!, summed until a term is below 2⁻¹¹⁰ of the sum: for |x| ≤ 1.</summary>
    public static DoubleDouble ExpM1(DoubleDouble x)
    {
        if (Math.Abs(x.Hi) > 1) throw new ArgumentOutOfRangeException(nameof(x), "the series reference is for |x| ≤ 1");
        DoubleDouble term = x, sum = x;
        for (int k = 2; k < 60 && Math.Abs(term.Hi) > Math.Abs(sum.Hi) * 1e-34; k++)
        {
            term = term * x / k;
            sum += term;
        }
        return sum;
    }

    /// <summary>
    /// eˣ: x = k·ln 2 + r with |r| ≤ ½ ln 2, e^r = (1 + expm1(r/2¹⁰))^(2¹⁰) by ten squarings, times 2ᵏ (exact unless the result
    /// is subnormal). 0 below −746, where eˣ is below half the smallest subnormal.
    /// </summary>
    public static DoubleDouble Exp(DoubleDouble x)
    {
        if (x.Hi < -746) return 0.0;
        if (x.Hi > 710) throw new ArgumentOutOfRangeException(nameof(x), "eˣ overflows");
        double k = Math.Round(x.Hi / Ln2.Hi);
        var r = (x - Ln2 * k) / 1024.0;
        DoubleDouble e = ExpM1(r) + 1.0;
        for (int i = 0; i < 10; i++) e *= e;
        return new(Math.ScaleB(e.Hi, (int)k), Math.ScaleB(e.Lo, (int)k));
    }

    /// <summary>log(1 + x) = 2·atanh(t), t = x/(2 + x), by the series 2Σ t^{2n+1}/(2n + 1): for −0.9 ≤ x ≤ 1 (|t| ≤ 0.82).</summary>
    public static DoubleDouble LogP1(DoubleDouble x)
    {
        if (x.Hi < -0.9 || x.Hi > 1) throw new ArgumentOutOfRangeException(nameof(x), "the series reference is for −0.9 ≤ x ≤ 1");
        var t = x / (x + 2.0);
        var t2 = t * t;
        DoubleDouble power = t, sum = t;
        for (int n = 1; n < 400 && Math.Abs(power.Hi) > Math.Abs(sum.Hi) * 1e-34; n++)
        {
            power *= t2;
            sum += power / (2 * n + 1);
        }
        return sum * 2.0;
    }
}
