namespace MathDnn.Properties

open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.FSharp

/// The dense layer's Jacobians (003 Props 4.1–4.3) and its simplified backward pass (003 Prop 5.2); maxout's
/// Jacobians (004) through a one-layer network.
module LayerProperties =
    /// ε = 2⁻⁵², the spacing of doubles at 1.
    let private eps = System.Math.Pow(2.0, -52.0)

    /// A dense layer ℝⁿ → ℝᵐ (W, b entries in [-2, 2]) and an input y ∈ [-2, 2]ⁿ, n, m ∈ 1..16.
    let private denseCase =
        gen {
            let! n = Generators.width
            let! m = Generators.width
            let! w = Generators.matrixOf m n 2.0
            let! b = Generators.vectorOf m 2.0
            let! y = Generators.vectorOf n 2.0
            return w, b, y
        }

    // The dense layer is affine in each argument: no truncation error, only rounding ε·κ/h with κ ≤ Σ|Wᵢⱼyⱼ| + |bᵢ|
    // ≤ 16·2·2 + 2 = 66, i.e. ≤ 66·3.7e-11 ≈ 2.4e-9 relative to max(1, ‖f‖∞); 1e-6 (Agree.tolerance) covers it.

    [<Property(MaxTest = 200)>]
    let ``003 Prop 4.1 dense Jacobian with respect to y is W and equals central differences`` () : Property =
        Prop.forAll (Arb.fromGen denseCase) (fun (w, b, y) ->
            (Dense.inputJacobian w).Equals w |> Prop.label "J = W"
            .&. Agree.jacobian Agree.tolerance (Dense.asFunction w b) y)

    [<Property(MaxTest = 200)>]
    let ``003 Prop 4.2 dense Jacobian with respect to row i* of W is y at row i* and equals central differences`` () : Property =
        let gen = denseCase |> Gen.bind (fun (w, b, y) -> Gen.choose (0, w.RowCount - 1) |> Gen.map (fun i -> w, b, y, i))
        Prop.forAll (Arb.fromGen gen) (fun (w, b, y, i) ->
            let expected = Matrix.init w.RowCount y.Count (fun r c -> if r = i then y[c] else 0.0)
            (Dense.rowJacobian y w.RowCount i).Equals expected |> Prop.label "J = y at row i*"
            .&. Agree.jacobian Agree.tolerance (Dense.asFunctionOfRow y w b i) (Matrix.row i w))

    [<Property(MaxTest = 200)>]
    let ``003 Prop 4.3 dense Jacobian with respect to b is I_m and equals central differences`` () : Property =
        Prop.forAll (Arb.fromGen denseCase) (fun (w, b, y) ->
            (Dense.biasJacobian w.RowCount).Equals(Matrix.identity w.RowCount) |> Prop.label "J = I"
            .&. Agree.jacobian Agree.tolerance (Dense.asFunctionOfBias y w) b)

    [<Property(MaxTest = 200)>]
    let ``003 Prop 5.2 dense row gradient δ_i*·y equals u·(row i* Jacobian), db = u and dY = u·W`` () : Property =
        let gen = denseCase |> Gen.bind (fun (w, b, y) -> Generators.vectorOf w.RowCount 2.0 |> Gen.map (fun u -> w, y, u))
        Prop.forAll (Arb.fromGen gen) (fun (w, y, u) ->
            let m = w.RowCount
            let dW, db, dY = Dense.backward (batchOf y) w (batchOf u)
            // Row i* of dW is the single product uᵢ*·yⱼ (one sample); u·J has that product and exact zeros: equal.
            let rows = [ for i in 0 .. m - 1 -> Agree.equal $"row {i} of dW" (Matrix.row i dW) (u * Dense.rowJacobian y m i) ]
            // dY = δ·W and u·W sum the same m products in possibly different orders: |difference| ≤ 2mε·Σₖ|uₖWₖⱼ|.
            let bound = (u.PointwiseAbs() * w.PointwiseAbs()) * (2.0 * float m * eps)
            List.reduce (.&.) rows
            .&. Agree.equal "db = u·I" db (u * Dense.biasJacobian m)
            .&. Agree.within "dY vs u·W" bound (Matrix.row 0 dY) (u * Dense.inputJacobian w))

    [<Property(MaxTest = 200)>]
    let ``004 maxout input and parameter Jacobians equal central differences`` () : Property =
        let gen =
            gen {
                let! n = Generators.width
                let! m = Generators.width
                let! k = Gen.choose (2, 4)
                let! seed = Generators.seed
                let! x = Generators.vectorOf n 2.0
                return [ Layer.maxout n m k ] |> Network.create n seed, x
            }
            |> Gen.where (fun (net, x) -> Generators.awayFromKinks true true net (batchOf x))
        Prop.forAll (Arb.fromGen gen) (fun (net, x) ->
            // See Agree.tolerance; between kinks maxout is affine, so only rounding (≲ 1e-9 here) remains.
            Agree.jacobian Agree.tolerance (Network.asFunction net) x
            .&. Agree.jacobian Agree.tolerance (Network.asFunctionOfParameters x net) (Network.parameters net |> Parameters.toVector))
