namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Networks

/// Networks as immutable values composed with pipelines (003 Section 5).
module Network =
    /// 𝒩_c+ of 003 Def 5.1 from layer sizes.
    let multiClass (seed: int) (sizes: int list) = Network.MultiClass(List.toArray sizes, seed)

    /// N(X) row by row.
    let forward (x: Matrix<float>) (net: Network) = net.Forward x
