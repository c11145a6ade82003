namespace MathDnn.Properties

open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Calculus
open MathDnn.Layers
open MathDnn.Losses
open MathDnn.Networks
open MathDnn.FSharp

/// A random network with a batch X (one sample per row), targets Y* encoded as its loss requires, the loss and the
/// reduction: an instance of the objective 𝒪(X, Y*, θ) of 003 Def 5.2.
type ObjectiveCase =
    { Network: Network
      Inputs: Matrix<float>
      Targets: Matrix<float>
      Loss: Loss
      Reduction: Reduction }

    override this.ToString() =
        $"{this.Network}; loss {this.Loss.Name}, {this.Reduction} reduction{System.Environment.NewLine}X = {this.Inputs.ToMatrixString()}Y* = {this.Targets.ToMatrixString()}"

/// A random differentiable function built from primitives (dense maps and activations) by composition and sums,
/// the material of 003 Thm 1.3 and 003 Prop 1.2.
type Expression =
    /// A dense map y ↦ y·Wᵀ + b or an activation; `kinked` marks ReLU / leaky ReLU / ELU, non-differentiable at 0.
    | Primitive of f: DifferentiableFunction * kinked: bool
    /// `Then (f, g)` is g ∘ f.
    | Then of Expression * Expression
    /// f + g.
    | Plus of Expression * Expression

    /// The expression as one differentiable function, through the library's composition and sum.
    member this.Function: DifferentiableFunction =
        match this with
        | Primitive(f, _) -> f
        | Then(f, g) -> Calculus.(>>.) f.Function g.Function
        | Plus(f, g) -> f.Function + g.Function

    override this.ToString() = this.Function.ToString()

/// Generators shared by the properties. Every random choice is drawn from FsCheck's generator (network seeds too),
/// so a failure's printed seed replays it exactly.
module Generators =
    /// A finite double in [-scale, scale].
    let bounded (scale: float) = Gen.choose (-1000000, 1000000) |> Gen.map (fun k -> scale * float k / 1e6)

    /// A row vector of length n with entries in [-scale, scale].
    let vectorOf (n: int) (scale: float) = Gen.arrayOfLength n (bounded scale) |> Gen.map vector

    /// A rows×columns matrix with entries in [-scale, scale].
    let matrixOf (rows: int) (columns: int) (scale: float) =
        Gen.arrayOfLength (rows * columns) (bounded scale)
        |> Gen.map (fun a -> Matrix<float>.Build.DenseOfRowMajor(rows, columns, a))

    /// `rows` one-hot rows of width m (targets of 003 Def 5.2: entries in {0,1}, ‖y*‖ = 1).
    let oneHotRows (rows: int) (m: int) =
        Gen.listOfLength rows (Gen.choose (0, m - 1)) |> Gen.map (fun ks -> Matrix.ofRows [ for k in ks -> oneHot m k ])

    /// A width in 1..16, the range of the issue's random networks.
    let width = Gen.choose (1, 16)

    /// A seed for a network's initialisation.
    let seed = Gen.choose (0, System.Int32.MaxValue)

    /// Targets for `loss` on `rows` samples of width m, in the encoding the loss requires.
    let targetsFor (loss: Loss) (rows: int) (m: int) =
        match loss.Encoding with
        | TargetEncoding.OneHot -> oneHotRows rows m
        | TargetEncoding.UnitInterval -> matrixOf rows m 0.5 |> Gen.map (Matrix.map (fun t -> t + 0.5))
        | TargetEncoding.PlusMinusOne -> matrixOf rows m 1.0 |> Gen.map (Matrix.map (fun t -> if t < 0.0 then -1.0 else 1.0))
        | _ -> matrixOf rows m 2.0

    /// ReLU, leaky ReLU (slope in [0.01, 0.5]), ELU (α in [0.25, 2]), sigmoid, tanh or identity: every hidden
    /// activation of 003 Section 2, 002 Section 5 and the 004 catalogue (the kit's generator).
    let hiddenActivation : Gen<Activation> = MathDnn.Testing.Generators.activation

    /// Whether an activation is non-differentiable at 0 (the kit's `Kinks.isKinked`).
    let isKinked (activation: Activation) = MathDnn.Testing.Kinks.isKinked activation

    /// One affine stage ℝⁿ → ℝᵐ: a dense layer, or a maxout layer with 2 or 3 pieces (004).
    let affine (n: int) (m: int) : Gen<Layer> =
        Gen.oneof
            [ Gen.constant (Layer.dense n m)
              Gen.choose (2, 3) |> Gen.map (Layer.maxout n m) ]

    /// A hidden block ℝⁿ → ℝᵐ: a dense layer and a hidden activation, or maxout alone (its own non-linearity).
    let hiddenBlock (n: int) (m: int) : Gen<Layer list> =
        Gen.oneof
            [ hiddenActivation |> Gen.map (fun a -> [ Layer.dense n m; a :> Layer ])
              Gen.choose (2, 3) |> Gen.map (fun k -> [ Layer.maxout n m k ]) ]

    /// A random architecture: input width m₀ ∈ 1..16, depth p ∈ 1..4 affine stages, hidden widths 1..16, output width
    /// in outputWidths, hidden blocks as `hiddenBlock`, the last affine stage followed by `head` when given.
    let architecture (outputWidths: Gen<int>) (head: Activation option) : Gen<int * Layer list> =
        gen {
            let! depth = Gen.choose (1, 4)
            let! m0 = width
            let! hidden = Gen.listOfLength (depth - 1) width
            let! mp = outputWidths
            let sizes = m0 :: hidden
            let! blocks = sizes |> List.pairwise |> List.map (fun (n, m) -> hiddenBlock n m) |> Gen.sequenceToList
            let! last = affine (List.last sizes) mp
            let tail = match head with Some a -> [ last; a :> Layer ] | None -> [ last ]
            return m0, List.concat blocks @ tail
        }

    /// A random network of `architecture`, initialised from a generated seed.
    let network (outputWidths: Gen<int>) (head: Activation option) : Gen<Network> =
        gen {
            let! m0, layers = architecture outputWidths head
            let! s = seed
            return layers |> Network.create m0 s
        }

    /// A batch of 1..4 samples for a network, entries in [-2, 2].
    let batchFor (net: Network) = Gen.choose (1, 4) |> Gen.bind (fun k -> matrixOf k (Network.inputSize net) 2.0)

    /// Whether central differences are valid everywhere they will probe: the property kit's `Kinks.network`
    /// (src/MathDnn.Testing/Kinks.fs documents δ and why).
    let awayFromKinks (probeInputs: bool) (probeParameters: bool) (net: Network) (x: Matrix<float>) : bool =
        MathDnn.Testing.Kinks.network probeInputs probeParameters net x

    /// Whether the network's outputs lie in the loss's domain with room for the central differences in θ: the unfused
    /// cross-entropies need probabilities in ]0,1[, and a sigmoid or softmax output within 1e-12 of 0 or 1 (a logit
    /// beyond ≈ 27.6) would leave it under steps h = ε^{1/3}·max(1, |θ_j|) ≈ 6e-6·max(1, |θ_j|), which move a logit by
    /// about h·|input| ≪ 1. Other losses take any finite output.
    let inLossDomain (c: ObjectiveCase) =
        let outputs = c.Network.Forward c.Inputs
        match c.Loss with
        | :? CategoricalCrossEntropy | :? BinaryCrossEntropy -> outputs.Enumerate() |> Seq.forall (fun o -> o >= 1e-12 && o <= 1.0 - 1e-12)
        | _ -> outputs.Enumerate() |> Seq.forall System.Double.IsFinite

    /// An objective instance: a random network with `head` (output width from `outputWidths`), a batch, targets for
    /// `loss`, and `reductions`' choice; only instances away from kinks for probes of θ (see `awayFromKinks`).
    let objectiveCase (outputWidths: Gen<int>) (head: Activation option) (loss: Loss) (reductions: Gen<Reduction>) =
        gen {
            let! net = network outputWidths head
            let! x = batchFor net
            let! y = targetsFor loss x.RowCount (Network.outputSize net)
            let! reduction = reductions
            return { Network = net; Inputs = x; Targets = y; Loss = loss; Reduction = reduction }
        }
        |> Gen.where (fun c -> awayFromKinks false true c.Network c.Inputs && inLossDomain c)

    /// A random network with one sample x, away from kinks for probes of x and of θ.
    let networkAndPoint (outputWidths: Gen<int>) (head: Activation option) =
        gen {
            let! net = network outputWidths head
            let! x = vectorOf (Network.inputSize net) 2.0
            return net, x
        }
        |> Gen.where (fun (net, x) -> awayFromKinks true true net (batchOf x))

    // ---- random expressions for the chain and sum rules ----

    /// A dense map ℝⁿ → ℝᵐ, y ↦ y·Wᵀ + b, with W and b entries in [-1, 1].
    let densePrimitive (n: int) (m: int) =
        gen {
            let! w = matrixOf m n 1.0
            let! b = vectorOf m 1.0
            return Primitive(Dense.asFunction w b, false)
        }

    /// An activation on ℝᵐ: any hidden activation or softmax.
    let activationPrimitive (m: int) =
        Gen.frequency [ 6, hiddenActivation; 1, Gen.constant Activation.softmax ]
        |> Gen.map (fun a -> Primitive(Activation.asFunction a m, isKinked a))

    /// A random composition ℝⁿ → ℝᵐ of 1..3 dense maps, each followed by an activation or not (1 to 6 primitives).
    let chain (n: int) (m: int) =
        gen {
            let! count = Gen.choose (1, 3)
            let! inner = Gen.listOfLength (count - 1) width
            let sizes = n :: inner @ [ m ]
            let! stages =
                sizes
                |> List.pairwise
                |> List.map (fun (a, b) ->
                    gen {
                        let! d = densePrimitive a b
                        let! withActivation = Gen.elements [ true; false ]
                        if withActivation then
                            let! act = activationPrimitive b
                            return Then(d, act)
                        else
                            return d
                    })
                |> Gen.sequenceToList
            return stages |> List.reduce (fun f g -> Then(f, g))
        }

    /// A random expression ℝⁿ → ℝᵐ of chains combined by sums and compositions, `depth` levels deep.
    let rec expression (n: int) (m: int) (depth: int) : Gen<Expression> =
        if depth = 0 then chain n m
        else
            Gen.oneof
                [ chain n m
                  Gen.map2 (fun f g -> Plus(f, g)) (expression n m (depth - 1)) (expression n m (depth - 1))
                  width |> Gen.bind (fun k -> Gen.map2 (fun f g -> Then(f, g)) (expression n k (depth - 1)) (expression k m (depth - 1))) ]

    /// Whether central differences in the input are valid for the expression at x: every kinked primitive's input
    /// a_u satisfies |a_u| &gt; δ_u = 2·s_u + 1e-7 with s_u = Σⱼ hⱼ·|∂a_u/∂xⱼ|, hⱼ = ε^{1/3}·max(1, |xⱼ|). Reason: as in
    /// `awayFromKinks`, but summed over j (the h·Σ|x| of the issue) so that s_u also bounds the move of a_u under a
    /// directional probe x ± ε^{1/3}·v with ‖v‖∞ ≤ 1, which changes every coordinate at once.
    let expressionAwayFromKinks (e: Expression) (x: Vector<float>) : bool =
        let h = Vector.map FiniteDifferences.Step x
        let rec ok (e: Expression) (a: Vector<float>) (ja: Matrix<float>) =
            match e with
            | Primitive(_, false) -> true
            | Primitive(_, true) ->
                Seq.forall (fun u ->
                    let s = Seq.sum (seq { for j in 0 .. x.Count - 1 -> h[j] * abs ja[u, j] })
                    abs a[u] > 2.0 * s + 1e-7) (seq { 0 .. a.Count - 1 })
            | Then(f, g) ->
                let ff = f.Function
                ok f a ja && ok g (ff.Apply a) (ff.Jacobian a * ja)
            | Plus(f, g) -> ok f a ja && ok g a ja
        ok e x (Matrix.identity x.Count)

    /// An expression with a point x ∈ [-2, 2]ⁿ away from its kinks.
    let expressionAndPoint (expressions: int -> int -> Gen<Expression>) =
        gen {
            let! n = width
            let! m = width
            let! e = expressions n m
            let! x = vectorOf n 2.0
            return e, x
        }
        |> Gen.where (fun (e, x) -> expressionAwayFromKinks e x)
