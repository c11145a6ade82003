namespace MathDnn.Properties

open FsCheck.FSharp
open MathDnn.FSharp

/// Generators shared by the properties.
module Generators =
    /// A finite double in [-scale, scale].
    let bounded (scale: float) = Gen.choose (-1000000, 1000000) |> Gen.map (fun k -> scale * float k / 1e6)

    /// A row vector of length n with entries in [-scale, scale].
    let vectorOf (n: int) (scale: float) = Gen.arrayOfLength n (bounded scale) |> Gen.map vector
