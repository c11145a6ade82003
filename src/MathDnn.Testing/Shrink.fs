namespace MathDnn.Testing

open MathNet.Numerics.LinearAlgebra

/// Shrinking toward small counterexamples: numbers with fewer digits. Every candidate is strictly simpler (an entry
/// set to 0, rounded to an integer, or rounded to one decimal), so shrinking terminates.
module Shrink =
    /// Simpler values of one number: 0, its rounding to an integer, to one decimal (those that differ from it).
    let scalar (x: float) : float list =
        [ 0.0; System.Math.Round x; System.Math.Round(x, 1) ] |> List.distinct |> List.filter (fun c -> c <> x && abs c <= abs x + 0.05)

    /// Simpler vectors: one entry at a time replaced by a simpler value, kept only when `inDomain` accepts it.
    let vector (inDomain: Vector<float> -> bool) (v: Vector<float>) : seq<Vector<float>> =
        seq {
            for i in 0 .. v.Count - 1 do
                for c in scalar v[i] do
                    let w = v.Clone()
                    w[i] <- c
                    if inDomain w then yield w
        }

    /// Simpler τ ∈ [0, 1]: ½ and the rounding to one decimal (never 0 or 1, where the chord inequality is trivial).
    let tau (t: float) : float list =
        [ 0.5; System.Math.Round(t, 1) ] |> List.distinct |> List.filter (fun c -> c <> t && c > 0.0 && c < 1.0 && abs (c - 0.5) < abs (t - 0.5) + 0.05)
