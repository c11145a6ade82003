namespace MathDnn.Properties

open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Layers
open MathDnn.Losses
open MathDnn.FSharp

/// Whole networks (003 Section 5): the parameter count of 003 Def 5.1's Corollary, the explicit input and parameter
/// Jacobians against central differences, purity and determinism.
module NetworkProperties =
    [<Property(MaxTest = 200)>]
    let ``Corollary of 003 Def 5.1 N_c+ has Σ m_k(m_k−1 + 1) parameters`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Def 5.1", "corollary")

    [<Property(MaxTest = 200)>]
    let ``Corollary of 003 Def 5.1 with maxout: a network of dense and maxout layers has Σ pieces·m_k(m_k−1 + 1) parameters`` () : Property =
        let gen = Gen.zip (Generators.architecture Generators.width None) Generators.seed
        Prop.forAll (Arb.fromGen gen) (fun ((m0, layers), seed) ->
            let net = layers |> Network.create m0 seed
            let expected =
                layers |> List.sumBy (fun layer ->
                    match layer with
                    | :? Dense as d -> d.Outputs * (d.Inputs + 1)
                    | :? Maxout as mx -> mx.Pieces * mx.Outputs * (mx.Inputs + 1)
                    | _ -> 0)
            Network.parameterCount net = expected |> Prop.label $"{net}: expected {expected}")

    /// Random networks ending in any head (softmax, sigmoid, tanh, identity or the last affine layer).
    let private anyHead =
        Gen.elements [ Some Activation.softmax; Some Activation.sigmoid; Some Activation.tanh; Some Activation.identity; None ]
        |> Gen.bind (fun head -> Generators.networkAndPoint Generators.width head)

    [<Property(MaxTest = 200)>]
    let ``003 Thm 1.3 the network input Jacobian J_N(x) equals central differences`` () : Property =
        Prop.forAll (Arb.fromGen anyHead) (fun (net, x) ->
            let f = Calculus.create "N" (Network.inputSize net) (Network.outputSize net) (fun v -> Network.apply v net) (fun v -> Network.inputJacobian v net)
            // See Agree.tolerance.
            Agree.jacobian Agree.tolerance f x |> Prop.label (string net))

    [<Property(MaxTest = 200)>]
    let ``003 Thm 1.3 with Props 4.2-4.3 the network parameter Jacobian equals central differences`` () : Property =
        Prop.forAll (Arb.fromGen anyHead) (fun (net, x) ->
            let layout = Network.parameters net |> Parameters.layout
            let at theta = Network.withParameters (Parameters.ofVector layout theta) net
            let f = Calculus.create "θ ↦ N(x; θ)" (Network.parameterCount net) (Network.outputSize net)
                        (fun theta -> Network.apply x (at theta)) (fun theta -> Network.parameterJacobian x (at theta))
            // See Agree.tolerance.
            Agree.jacobian Agree.tolerance f (Network.parameters net |> Parameters.toVector) |> Prop.label (string net))

    /// A snapshot of the bits of a vector, a matrix or θ.
    let private ofVector (v: Vector<float>) = Agree.bits (v.ToArray())
    let private ofMatrix (m: Matrix<float>) = Agree.bits (m.ToRowMajorArray())
    let private ofParameters (p: MathDnn.Networks.Parameters) = ofVector (Parameters.toVector p)

    [<Property(MaxTest = 100)>]
    let ``purity: apply, jacobian, forward, objective and gradient mutate no argument and return no alias of one`` () : Property =
        let gen =
            gen {
                let! net, x = Generators.networkAndPoint Generators.width (Some Activation.softmax)
                let! xs = Generators.batchFor net
                let! ys = Generators.oneHotRows xs.RowCount (Network.outputSize net)
                let! u = Generators.vectorOf (Network.outputSize net) 1.0
                let! v = Generators.vectorOf (Network.inputSize net) 1.0
                let! a = Generators.hiddenActivation
                let! w = Generators.matrixOf (Network.outputSize net) (Network.inputSize net) 1.0
                let! b = Generators.vectorOf (Network.outputSize net) 1.0
                let! reduction = Gen.elements [ Reduction.Sum; Reduction.Mean ]
                return net, x, xs, ys, u, v, a, w, b, reduction
            }
        Prop.forAll (Arb.fromGen gen) (fun (net, x, xs, ys, u, v, a, w, b, reduction) ->
            let theta = Network.parameters net
            let arguments () = [ ofVector x; ofMatrix xs; ofMatrix ys; ofVector u; ofVector v; ofMatrix w; ofVector b; ofParameters theta; ofParameters (Network.parameters net) ]
            let before = arguments ()
            let loss = Loss.categoricalCrossEntropy
            let f = Network.asFunction net
            let dense = Dense.asFunction w b
            // Every result, as a fresh computation each time it is asked for.
            let results : (unit -> float[]) list =
                [ fun () -> (Network.apply x net).AsArray()
                  fun () -> (Network.forward xs net).AsColumnMajorArray()
                  fun () -> Network.predict xs net |> Array.map float
                  fun () -> (Network.inputJacobian x net).AsColumnMajorArray()
                  fun () -> (Network.parameterJacobian x net).AsColumnMajorArray()
                  fun () -> (Calculus.apply f x).AsArray()
                  fun () -> (Calculus.jacobian f x).AsColumnMajorArray()
                  fun () -> (Calculus.vjp f x u).AsArray()
                  fun () -> (Calculus.jvp f x v).AsArray()
                  fun () -> (Calculus.apply dense x).AsArray()
                  fun () -> (Calculus.jacobian dense x).AsColumnMajorArray()
                  fun () -> (Activation.apply a x).AsArray()
                  fun () -> (Activation.jacobian a x).AsColumnMajorArray()
                  fun () -> (Activation.backward a x v).AsArray()
                  fun () -> [| Objective.value loss reduction net xs ys |]
                  fun () -> (Objective.gradient loss reduction net xs ys |> Parameters.toVector).AsArray()
                  fun () -> (Objective.valueAndGradient loss reduction net xs ys |> snd |> Parameters.toVector).AsArray()
                  fun () -> (Network.parameters net |> Parameters.toVector).AsArray()
                  fun () -> (Parameters.add theta theta |> Parameters.toVector).AsArray()
                  fun () -> (Parameters.scale 2.0 theta |> Parameters.toVector).AsArray()
                  fun () -> (Parameters.sub theta theta |> Parameters.toVector).AsArray()
                  fun () -> (Parameters.map (fun t -> t * t) theta |> Parameters.toVector).AsArray()
                  fun () -> [| Parameters.dot theta theta; Parameters.norm theta |] ]
            // First results, copied; then every returned array is overwritten in place (an alias would change an
            // argument or a later result), and everything is computed again.
            let first = results |> List.map (fun r -> r () |> Agree.bits)
            for r in results do System.Array.Fill(r (), nan)
            let again = results |> List.map (fun r -> r () |> Agree.bits)
            let after = arguments ()
            (before = after |> Prop.label "an argument changed")
            .&. (first = again |> Prop.label "a result changed after its first copy was overwritten"))

    [<Property(MaxTest = 100)>]
    let ``determinism: the same seed gives bit-identical parameters, outputs and gradients; another seed other parameters`` () : Property =
        let gen =
            gen {
                let! m0, layers = Generators.architecture Generators.width (Some Activation.softmax)
                let! seed = Generators.seed
                let! k = Gen.choose (1, 4)
                let! xs = Generators.matrixOf k m0 2.0
                let net = layers |> Network.create m0 seed
                let! ys = Generators.oneHotRows k (Network.outputSize net)
                return m0, layers, seed, xs, ys
            }
        Prop.forAll (Arb.fromGen gen) (fun (m0, layers, seed, xs, ys) ->
            let build s = layers |> Network.create m0 s
            let a, b = build seed, build seed
            let run net =
                let value, gradient = Objective.valueAndGradient Loss.categoricalCrossEntropy Reduction.Sum net xs ys
                [ ofParameters (Network.parameters net); ofMatrix (Network.forward xs net); ofParameters gradient; Agree.bits [| value |] ]
            let other = build (seed + 1)
            (run a = run b |> Prop.label "two networks from the same seed differ")
            .&. (run a = run a |> Prop.label "two evaluations of one network differ")
            .&. (ofParameters (Network.parameters a) <> ofParameters (Network.parameters other) |> Prop.label "seeds s and s + 1 gave the same θ"))
