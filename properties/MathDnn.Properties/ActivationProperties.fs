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

    /// An activation from `activations` on z ∈ [-5, 5]ᵐ, m ∈ widths, away from its kink (Generators.expressionAwayFromKinks).
    let private atPoint (widths: Gen<int>) (activations: Gen<Activation>) =
        gen {
            let! a = activations
            let! m = widths
            let! z = Generators.vectorOf m 5.0
            return a, z
        }
        |> Gen.where (fun (a, z) ->
            Generators.expressionAwayFromKinks (Primitive(Activation.asFunction a z.Count, Generators.isKinked a)) z)

    let private jacobianMatchesCentralDifferences (activations: Gen<Activation>) : Property =
        Prop.forAll (Arb.fromGen (atPoint Generators.width activations)) (fun (a, z) ->
            // See Agree.tolerance: |z| ≤ 5 and |f'''| ≤ 2 for these activations, far inside its derivation.
            Agree.jacobian Agree.tolerance (Activation.asFunction a z.Count) z)

    [<Property(MaxTest = 200)>]
    let ``003 Prop 2.1 ReLU Jacobian is diag(1 on R++ of z) and equals central differences`` () : Property =
        Prop.forAll (Arb.fromGen (atPoint Generators.width (Gen.constant Activation.relu))) (fun (a, z) ->
            let j = Activation.jacobian a z
            let expected = Matrix.init z.Count z.Count (fun i k -> if i = k && z[i] > 0.0 then 1.0 else 0.0)
            (j.Equals expected |> Prop.label $"J_R({Agree.row z}) = {j.ToMatrixString()}")
            .&. Agree.jacobian Agree.tolerance (Activation.asFunction a z.Count) z)

    [<Property(MaxTest = 200)>]
    let ``003 Prop 2.2 softmax Jacobian equals central differences`` () : Property =
        jacobianMatchesCentralDifferences (Gen.constant Activation.softmax)

    [<Property(MaxTest = 200)>]
    let ``004 leaky ReLU Jacobian equals central differences`` () : Property =
        jacobianMatchesCentralDifferences (Gen.oneof [ Gen.constant (Activation.leakyRelu 0.1); Gen.choose (1, 99) |> Gen.map (fun k -> Activation.leakyRelu (float k / 100.0)) ])

    [<Property(MaxTest = 200)>]
    let ``004 ELU Jacobian equals central differences`` () : Property =
        jacobianMatchesCentralDifferences (Gen.oneof [ Gen.constant (Activation.elu 1.0); Gen.choose (1, 300) |> Gen.map (fun k -> Activation.elu (float k / 100.0)) ])

    [<Property(MaxTest = 200)>]
    let ``002 eq 4 sigmoid Jacobian equals central differences`` () : Property =
        jacobianMatchesCentralDifferences (Gen.constant Activation.sigmoid)

    [<Property(MaxTest = 200)>]
    let ``002 eqs 6-7 tanh Jacobian equals central differences`` () : Property =
        jacobianMatchesCentralDifferences (Gen.constant Activation.tanh)

    [<Property(MaxTest = 200)>]
    let ``002 Section 5.1 identity Jacobian equals central differences`` () : Property =
        jacobianMatchesCentralDifferences (Gen.constant Activation.identity)

    [<Property(MaxTest = 200)>]
    let ``003 Prop 2.2 softmax Jacobian rows sum to 0 and the matrix is symmetric`` () : Property =
        Prop.forAll (Arb.fromGen (Generators.width |> Gen.bind (fun m -> Generators.vectorOf m 5.0))) (fun z ->
            let m = z.Count
            let j = Activation.jacobian Activation.softmax z
            // Row i sums to 𝓢ᵢ(1 − Σⱼ𝓢ⱼ) = 0; computed, Σ𝓢 = 1 ± mε and each of the m + 1 roundings of the sum of terms
            // bounded by 𝓢ᵢ ≤ 1 adds ε, so |row sum| ≤ 2(m + 1)ε; allow 4(m + 1)ε.
            let bound = Vector.init m (fun _ -> 4.0 * float (m + 1) * eps)
            // Jᵢⱼ = −𝓢ᵢ𝓢ⱼ = Jⱼᵢ: one rounded product of the same two doubles, so symmetry is exact.
            Agree.within "row sums" bound (Matrix.rowSums j) (Vector.zeros m)
            .&. (j.Equals(Matrix.transpose j) |> Prop.label $"J_S({Agree.row z}) is not symmetric: {j.ToMatrixString()}"))

    [<Property(MaxTest = 200)>]
    let ``003 Prop 5.1 ReLU backward equals u·J_R`` () : Property =
        let gen =
            gen {
                let! m = Generators.width
                let! z = Generators.vectorOf m 5.0
                let! u = Generators.vectorOf m 5.0
                return z, u
            }
        Prop.forAll (Arb.fromGen gen) (fun (z, u) ->
            // (u·J_R)ⱼ = uⱼ·𝟙(zⱼ > 0) + Σ_{k≠j} uₖ·0: one exact product and exact zeros, as the backward pass computes it.
            Agree.equal "backward vs u·J_R" (Activation.backward Activation.relu z u) (u * Activation.jacobian Activation.relu z))

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
