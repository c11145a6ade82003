using MathDnn.Testing;
using MathDnn.Theory;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Theory;

/// <summary>
/// The README's "Verifying your own functions" examples: the C# one is compiled and run here, the F# one in
/// properties/MathDnn.Properties/ReadmeVerifyFSharp.fs; the README's fenced blocks must equal both regions.
/// </summary>
public class ReadmeVerifyExamples
{
    [Fact]
    public void Csharp_verify_example_runs_and_does_what_the_README_says()
    {
        // README verify begin
        // Your function: f(x) = log(1 + e^{⟨a, x⟩}) + ½‖x‖², with its gradient σ(⟨a, x⟩)·a + x.
        var a = Vector<double>.Build.DenseOfArray([1.0, -2.0, 0.5]);
        var f = RealFunction.Of("softplus + ridge", 3,
            x => Math.Log(1 + Math.Exp(a.DotProduct(x))) + 0.5 * x.DotProduct(x),
            x => a * (1 / (1 + Math.Exp(-a.DotProduct(x)))) + x);
        var points = Arbitraries.Vector(3, 5.0);

        // Its gradient against central differences, convexity (003 Def 6.1, Prop 6.1), and L-smoothness with
        // L = ¼‖a‖² + 1 (its Hessian is σ'·aᵀa + I with σ' ≤ ¼; 003 Def 6.2, Props 6.2–6.3).
        double lipschitz = 0.25 * a.DotProduct(a) + 1;
        Verify.Check(Verify.GradientMatchesFiniteDifferences(f, points));
        Verify.Check(Verify.Convex(f, points));
        Verify.Check(Verify.ConvexFirstOrder(f, points));
        Verify.Check(Verify.Smooth(f, lipschitz, points));
        Verify.Check(Verify.DescentLemma(f, lipschitz, points));
        Verify.Check(Verify.CoCoercive(f, lipschitz, points));

        // L estimated by power iteration on Hessian–vector products: at x = 0, σ' = ¼ and the bound is attained.
        var estimate = Smoothness.Estimate(f, Vector<double>.Build.Dense(3));
        Console.WriteLine(estimate);

        // A wrong claim is caught, shrunk to a small counterexample and printed with both sides of the inequality.
        string report = "";
        try { Verify.Check(Verify.Smooth(f, 0.5, points)); }
        catch (Exception e) { report = e.Message; }
        Console.WriteLine(report);
        // README verify end

        // ‖a‖² = 1 + 4 + ¼ = 5.25: L = 5.25/4 + 1 = 2.3125, the top eigenvalue of ¼aᵀa + I at x = 0.
        Assert.Equal(2.3125, lipschitz);
        Assert.True(estimate.Converged, estimate.ToString());
        Assert.Equal(2.3125, estimate.L, 6);
        // ½ < 1 ≤ λ_min(Hessian): every pair x ≠ y violates 003 Def 6.2.
        Assert.Contains("003 Def 6.2 (17)", report);
        Assert.Contains("VIOLATED", report);
        Assert.Contains("Shrunk", report);
    }

    [Fact]
    public void README_shows_exactly_the_verify_code_that_runs()
    {
        ReadmeBlocks.AssertShows("verify-csharp", "tests/MathDnn.Tests/Theory/ReadmeVerifyExamples.cs", "verify");
        ReadmeBlocks.AssertShows("verify-fsharp", "properties/MathDnn.Properties/ReadmeVerifyFSharp.fs", "verify-fsharp", "fsharp");
        ReadmeBlocks.AssertShows("verify-property-csharp", "tests/MathDnn.Tests/Theory/ReadmeVerifyPropertyExamples.cs", "verify-property-csharp");
        ReadmeBlocks.AssertShows("verify-property-fsharp", "properties/MathDnn.Properties/ReadmeVerifyFSharp.fs", "verify-property-fsharp", "fsharp");
    }
}
