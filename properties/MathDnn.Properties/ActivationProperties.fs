namespace MathDnn.Properties

open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.FSharp

/// The activations' Jacobians (003 Props 2.1–2.2, 002, 004 catalogue) against central differences, the structure of
/// the softmax Jacobian, and the simplified backward passes (003 Prop 5.1).
module ActivationProperties =
    /// ε = 2⁻⁵², the spacing of doubles at 1 (each rounding errs by at most ε/2 relative).
    let private eps = System.Math.Pow(2.0, -52.0)

    [<Property(MaxTest = 200)>]
    let ``003 Prop 2.1 ReLU Jacobian is diag(1 on R++ of z) and equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 2.1")

    [<Property(MaxTest = 200)>]
    let ``003 Prop 2.2 softmax Jacobian equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 2.2", "vs central differences")

    [<Property(MaxTest = 200)>]
    let ``004 leaky ReLU Jacobian equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("004 activations", "leaky ReLU")

    [<Property(MaxTest = 200)>]
    let ``004 ELU Jacobian equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("004 activations", "ELU")

    [<Property(MaxTest = 200)>]
    let ``002 eq 4 sigmoid Jacobian equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("002 eq. 4")

    [<Property(MaxTest = 200)>]
    let ``002 eqs 6-7 tanh Jacobian equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("002 eqs. 6–7")

    [<Property(MaxTest = 200)>]
    let ``002 Section 5.1 identity Jacobian equals central differences`` () : Property =
        MathDnn.Testing.Verify.Spec("002 Section 5.1")

    [<Property(MaxTest = 200)>]
    let ``003 Prop 2.2 softmax Jacobian rows sum to 0 and the matrix is symmetric`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 2.2", "symmetric")

    [<Property(MaxTest = 200)>]
    let ``003 Prop 5.1 ReLU backward equals u·J_R`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Prop 5.1")

    [<Property(MaxTest = 200)>]
    let ``003 Prop 5.1 every element-wise activation's backward u ⊙ f'(z) equals u·J`` () : Property =
        let gen =
            gen {
                let! a = Generators.hiddenActivation
                let! m = Generators.width
                let! z = Generators.vectorOf m 5.0
                let! u = Generators.vectorOf m 5.0
                return a, z, u
            }
        Prop.forAll (Arb.fromGen gen) (fun (a, z, u) ->
            // J is diagonal, so (u·J)ⱼ = uⱼ·f'(zⱼ) plus exact zeros: the same single rounded product as u ⊙ f'(z).
            Agree.equal $"{a.Name} backward vs u·J" (Activation.backward a z u) (u * Activation.jacobian a z))

    [<Property(MaxTest = 200)>]
    let ``003 Prop 2.2 softmax backward 𝓢 ⊙ (u − ⟨u,𝓢⟩) equals u·J_S`` () : Property =
        let gen =
            gen {
                let! m = Generators.width
                let! z = Generators.vectorOf m 5.0
                let! u = Generators.vectorOf m 5.0
                return z, u
            }
        Prop.forAll (Arb.fromGen gen) (fun (z, u) ->
            let m = z.Count
            // u·J: m rounded terms with Σₖ|Jₖⱼ| = 2𝓢ⱼ(1 − 𝓢ⱼ) ≤ 1/2, error ≤ (m + 2)ε‖u‖∞/2; 𝓢 ⊙ (u − ⟨u,𝓢⟩): error
            // ≤ (m + 4)ε‖u‖∞; together ≤ 2(m + 3)ε‖u‖∞, allow 4(m + 3)ε‖u‖∞.
            let bound = Vector.init m (fun _ -> 4.0 * float (m + 3) * eps * Vector.maxAbs u)
            Agree.within "softmax backward vs u·J_S" bound (Activation.backward Activation.softmax z u) (u * Activation.jacobian Activation.softmax z))
