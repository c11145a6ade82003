using System.Numerics;
using MathNet.Numerics;

namespace MathDnn.Activations;

// Written only on the public extension API (ElementwiseActivation's f and f′), as a user's activation would be; the
// test Layers/PublicApiOnlyTests checks that nothing here reaches an internal member of MathDnn.Core.

/// <summary>
/// GELU, the Gaussian error linear unit (Hendrycks and Gimpel 2016): f(z) = z·Φ(z), Φ the standard normal distribution
/// function, Φ(z) = ½·erfc(−z/√2) (evaluated with erfc, so the left tail keeps its relative accuracy instead of cancelling
/// in 1 + erf). f′(z) = Φ(z) + z·φ(z) with φ(z) = e^{−z²/2}/√(2π). Evaluated in double for either element type.
/// </summary>
public sealed record Gelu : ElementwiseActivation
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    /// <inheritdoc/>
    public override string Name => "gelu";

    /// <summary>Φ(z) = ½·erfc(−z/√2).</summary>
    public static double Phi(double z) => 0.5 * SpecialFunctions.Erfc(-z * InvSqrt2);

    /// <summary>z·Φ(z), evaluated in double.</summary>
    public override T Value<T>(T z)
    {
        double x = double.CreateTruncating(z);
        return T.CreateTruncating(x * Phi(x));
    }

    /// <summary>Φ(z) + z·φ(z), φ(z) = e^{−z²/2}/√(2π), evaluated in double.</summary>
    public override T Derivative<T>(T z, T y)
    {
        double x = double.CreateTruncating(z);
        return T.CreateTruncating(Phi(x) + x * InvSqrt2Pi * Math.Exp(-0.5 * x * x));
    }
}

/// <summary>
/// GELU's tanh approximation (as in GPT-2 and PyTorch's <c>approximate="tanh"</c>): f(z) = ½z(1 + tanh u) with
/// u = √(2/π)(z + 0.044715z³), evaluated as z·σ(2u) (1 + tanh u = 2σ(2u), no cancellation for z ≪ 0).
/// f′(z) = σ(2u) + 2z·σ(2u)(1 − σ(2u))·u′ with u′ = √(2/π)(1 + 3·0.044715z²).
/// </summary>
public sealed record GeluTanh : ElementwiseActivation
{
    private const double SqrtTwoOverPi = 0.79788456080286535588;
    private const double C = 0.044715;

    /// <inheritdoc/>
    public override string Name => "gelu-tanh";

    /// <summary>z·σ(2u), u = √(2/π)(z + 0.044715z³).</summary>
    public override T Value<T>(T z)
    {
        T u = T.CreateTruncating(SqrtTwoOverPi) * (z + T.CreateTruncating(C) * z * z * z);
        return z * Sigmoid.Logistic(u + u);
    }

    /// <summary>σ(2u) + 2z·σ(2u)(1 − σ(2u))·u′, u′ = √(2/π)(1 + 3·0.044715z²).</summary>
    public override T Derivative<T>(T z, T y)
    {
        T u = T.CreateTruncating(SqrtTwoOverPi) * (z + T.CreateTruncating(C) * z * z * z);
        T du = T.CreateTruncating(SqrtTwoOverPi) * (T.One + T.CreateTruncating(3 * C) * z * z);
        T s = Sigmoid.Logistic(u + u);
        return s + (z + z) * s * (T.One - s) * du;
    }
}
