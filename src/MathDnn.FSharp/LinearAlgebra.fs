namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra

/// Builders over MathNet so that F# code reads like the mathematics: a vector is a row (003 Convention 2),
/// a batch is a matrix with one sample per row.
[<AutoOpen>]
module LinearAlgebra =
    /// A row vector from its entries: `vector [1.0; 2.0]`.
    let vector (entries: seq<float>) : Vector<float> = Vector<float>.Build.DenseOfEnumerable entries

    /// A matrix from its rows: `matrix [[1.0; 2.0]; [3.0; 4.0]]`.
    let matrix (rows: seq<#seq<float>>) : Matrix<float> =
        Matrix<float>.Build.DenseOfRows(rows |> Seq.map (fun r -> r :> seq<float>))
