namespace MathDnn.Properties

open System
open Xunit
open MathNet.Numerics.LinearAlgebra
open MathDnn.Theory
open MathDnn.Testing
open MathDnn.FSharp

/// The README's F# "Verifying your own functions" example, compiled and run here (the README block must equal the
/// region between the markers: tests/MathDnn.Tests/Theory/ReadmeVerifyExamples.cs checks it).
module ReadmeVerifyFSharp =
    [<Fact>]
    let ``README F# verify example: the Huber loss is convex and 1-smooth (003 Def 6.1, 003 Def 6.2, 003 Prop 6.3)`` () =
        // README verify-fsharp begin
        // Your function in F#: the Huber loss h(x) = Σᵢ huber(xᵢ), huber(d) = d²/2 for |d| ≤ 1 and |d| − ½ beyond.
        let huber d = if abs d <= 1.0 then 0.5 * d * d else abs d - 0.5
        let h =
            RealFunction.Of("huber", 4,
                (fun x -> x |> Seq.sumBy huber),
                (fun x -> x |> Vector.map (fun d -> max -1.0 (min 1.0 d))))

        // Points of [-3, 3]⁴ kept 1e-3 away from ±1, where h'' jumps (so no central difference straddles a kink).
        let points = Arbitraries.AwayFromKinks(4, 3.0, [| -1.0; 1.0 |], 1e-3)
        [ Verify.GradientMatchesFiniteDifferences(h, points)
          Verify.Convex(h, points)
          Verify.ConvexFirstOrder(h, points)
          Verify.Smooth(h, 1.0, points)        // ∇h clips each entry to [−1, 1]: 1-Lipschitz
          Verify.CoCoercive(h, 1.0, points) ]
        |> List.iter (fun property -> Verify.Check property)
        // README verify-fsharp end

        // Inside |d| < 1 the Hessian is I: the estimate at (0.5, 0, 0, 0) is 1.
        Assert.Equal(1.0, (Smoothness.Estimate(h, vector [ 0.5; 0.0; 0.0; 0.0 ])).L, 6)
        // 0.9 is too small: points with all entries inside ]−1, 1[ give ‖∇h(x) − ∇h(y)‖ = ‖x − y‖ > 0.9‖x − y‖.
        let e = Assert.ThrowsAny<Exception>(fun () -> Verify.Check(Verify.Smooth(h, 0.9, Arbitraries.Vector(4, 0.9))))
        Assert.Contains("003 Def 6.2 (17)", e.Message)

/// The README's F# `[<Property>]` example: the kit's checks returned from FsCheck.Xunit properties.
module ReadmeVerifyPropertyFSharp =
    open FsCheck
    open FsCheck.Xunit

    // README verify-property-fsharp begin
    // ½‖x‖², gradient x: 003 Def 6.2 holds with L = 1.
    let halfSquaredNorm = RealFunction.Of("½‖x‖²", 3, (fun x -> 0.5 * Vector.dot x x), (fun x -> x))

    [<Property(MaxTest = 200)>]
    let ``½‖x‖² has gradient x`` () = Verify.GradientMatchesFiniteDifferences(halfSquaredNorm, Arbitraries.Vector(3, 5.0))

    [<Property(MaxTest = 200)>]
    let ``½‖x‖² is 1-smooth`` () = Verify.Smooth(halfSquaredNorm, 1.0, Arbitraries.Vector(3, 5.0))

    [<Property(MaxTest = 50)>]
    let ``GELU passes the primitive check`` () = Verify.Primitive(Activation.gelu)
    // README verify-property-fsharp end

    [<Fact>]
    let ``a wrong smoothness constant returned as a property is falsified`` () =
        // L = ½ < 1: ‖∇f(x) − ∇f(y)‖ = ‖x − y‖ > ½‖x − y‖ for every x ≠ y.
        let e = Assert.ThrowsAny<Exception>(fun () -> Check.One(Config.QuickThrowOnFailure, Verify.Smooth(halfSquaredNorm, 0.5, Arbitraries.Vector(3, 5.0))))
        Assert.Contains("003 Def 6.2 (17)", e.Message)
