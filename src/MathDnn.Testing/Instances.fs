namespace MathDnn.Testing

open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Theory

/// Two points and a weight: an instance of 003 Def 6.1 (τ used) or of the two-point statements 003 Props 6.1–6.3 and
/// Def 6.2 (τ unused). Printed (also by FsCheck's counterexample report) with full-precision entries.
[<StructuredFormatDisplay("{Display}")>]
type PointPair =
    { /// The first point x.
      X: Vector<float>
      /// The second point y (same dimension).
      Y: Vector<float>
      /// τ ∈ [0, 1], the weight of the convex combination τx + (1 − τ)y.
      Tau: float }

    /// x, y and τ to 17 significant digits (so the instance can be pasted back).
    member this.Display = $"x = {RealFunction.Format this.X}, y = {RealFunction.Format this.Y}, τ = {this.Tau:G17}"
    override this.ToString() = this.Display

/// A ray from a target: y* + s·(p − y*) and y* + t·(p − y*) with 0 < s ≤ t ≤ 1 and p in the loss's domain, an instance
/// of 000 Def 3.1 (ε = p − y*; every point of the segment stays in a convex domain).
[<StructuredFormatDisplay("{Display}")>]
type RayInstance =
    { /// y*, the target the ray starts from.
      Target: Vector<float>
      /// p, a point of the loss's domain.
      Point: Vector<float>
      /// s ∈ ]0, t], the nearer step along the ray.
      S: float
      /// t ∈ [s, 1], the farther step.
      T: float }

    /// ε = p − y*, the ray's direction.
    member this.Direction = this.Point - this.Target

    /// y*, ε, p, s and t to 17 significant digits (so the instance can be pasted back).
    member this.Display =
        $"y* = {RealFunction.Format this.Target}, ε = p − y* with p = {RealFunction.Format this.Point}, s = {this.S:G17}, t = {this.T:G17}"
    override this.ToString() = this.Display

/// Arbitraries of instances built from point arbitraries; they shrink through the points' own shrinkers.
module Instances =
    /// Pairs (x, y) drawn from `points` and τ ∈ [0, 1]; shrinks x, then y, then τ toward ½.
    let pairs (points: Arbitrary<Vector<float>>) : Arbitrary<PointPair> =
        let gen =
            gen {
                let! x = Arb.toGen points
                let! y = Arb.toGen points
                let! tau = Generators.between 0.0 1.0
                return { X = x; Y = y; Tau = tau }
            }
        let shrink (p: PointPair) =
            seq {
                for x in Arb.toShrink points p.X do yield { p with X = x }
                for y in Arb.toShrink points p.Y do yield { p with Y = y }
                for t in Shrink.tau p.Tau do yield { p with Tau = t }
            }
        Arb.fromGenShrink (gen, shrink)

    /// Rays from targets drawn from `targets` towards points drawn from `points`, with 0.001 ≤ s ≤ t ≤ 1.
    let rays (targets: Arbitrary<Vector<float>>) (points: Arbitrary<Vector<float>>) : Arbitrary<RayInstance> =
        let gen =
            gen {
                let! y = Arb.toGen targets
                let! p = Arb.toGen points
                let! a = Generators.between 0.001 1.0
                let! b = Generators.between 0.001 1.0
                return { Target = y; Point = p; S = min a b; T = max a b }
            }
        let shrink (r: RayInstance) =
            seq {
                for p in Arb.toShrink points r.Point do yield { r with Point = p }
                if r.T <> 1.0 then yield { r with T = 1.0 }
                for s in [ 0.5; System.Math.Round(r.S, 1) ] do
                    if s <> r.S && s >= 0.001 && s <= r.T then yield { r with S = s }
            }
        Arb.fromGenShrink (gen, shrink)
