using FsCheck;
using FsCheck.Xunit;
using MathDnn.Activations;
using MathDnn.Testing;
using MathDnn.Theory;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Theory;

// README verify-property-csharp begin
// The kit's checks are FsCheck properties: returned from a [Property], FsCheck.Xunit runs, names and replays them.
public class MyFunctionProperties
{
    // ½‖x‖², gradient x: 003 Def 6.2 holds with L = 1.
    private static readonly RealFunction HalfSquaredNorm = RealFunction.Of("½‖x‖²", 3, x => 0.5 * x.DotProduct(x), x => x);

    [Property(MaxTest = 200)]
    public Property Gradient_matches_central_differences() =>
        Verify.GradientMatchesFiniteDifferences(HalfSquaredNorm, Arbitraries.Vector(3, 5.0));

    [Property(MaxTest = 200)]
    public Property Is_1_smooth() => Verify.Smooth(HalfSquaredNorm, 1.0, Arbitraries.Vector(3, 5.0));

    [Property(MaxTest = 50)]
    public Property Gelu_passes_the_primitive_check() => PrimitiveCheck.Property(new Gelu());
}
// README verify-property-csharp end

/// <summary>The same properties, falsifiable: a wrong claim returned from a [Property] fails it.</summary>
public class ReadmeVerifyPropertyFailures
{
    [Fact]
    public void A_wrong_smoothness_constant_is_a_falsified_property()
    {
        var f = RealFunction.Of("½‖x‖²", 3, x => 0.5 * x.DotProduct(x), x => x);
        // L = ½ < 1: every pair x ≠ y has ‖∇f(x) − ∇f(y)‖ = ‖x − y‖ > ½‖x − y‖, so FsCheck finds a counterexample.
        var e = Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure, Verify.Smooth(f, 0.5, Arbitraries.Vector(3, 5.0))));
        Assert.Contains("003 Def 6.2 (17)", e.Message);
    }
}
