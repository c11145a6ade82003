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
    // The dense layer is affine in each argument: no truncation error, only rounding ε·κ/h with κ ≤ Σ|Wᵢⱼyⱼ| + |bᵢ|
    // ≤ 16·2·2 + 2 = 66, i.e. ≤ 66·3.7e-11 ≈ 2.4e-9 relative to max(1, ‖f‖∞); 1e-6 (Agree.tolerance) covers it.

    [<Property(MaxTest = 200)>]
    let ``003 Prop 4.1 dense Jacobian with respect to y is W and equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 4.1")

    [<Property(MaxTest = 200)>]
    let ``003 Prop 4.2 dense Jacobian with respect to row i* of W is y at row i* and equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 4.2")

    [<Property(MaxTest = 200)>]
    let ``003 Prop 4.3 dense Jacobian with respect to b is I_m and equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 4.3")

    [<Property(MaxTest = 200)>]
    let ``003 Prop 5.2 dense row gradient δ_i*·y equals u·(row i* Jacobian), db = u and dY = u·W`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 5.2")

    [<Property(MaxTest = 200)>]
    let ``004 maxout input and parameter Jacobians equal central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("004 activations", "maxout")
