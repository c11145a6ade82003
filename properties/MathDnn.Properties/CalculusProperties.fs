namespace MathDnn.Properties

open Xunit
open FsCheck.FSharp
open MathDnn.Activations
open MathDnn.Calculus
open MathDnn.FSharp

module CalculusProperties =
    // Central differences: error ≈ ε^{2/3}·scale ≈ 4e-11 for O(1) functions; 1e-6 leaves four orders of margin
    // for third derivatives of size up to ~1e3 on the generated ranges.
    let tolerance = 1e-6

    [<Fact>]
    let ``003 Prop 2.2 softmax Jacobian equals central differences`` () =
        let gen = Gen.choose (1, 8) |> Gen.bind (fun n -> Generators.vectorOf n 5.0)
        Prop.forAll (Arb.fromGen gen) (fun z ->
            let f = Softmax().AsFunction z.Count
            let r = FiniteDifferences.CheckJacobian(f, z)
            r.MaxRelativeError < tolerance |> Prop.label (string r))
        |> Check.cases 100
