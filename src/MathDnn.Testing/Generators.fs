namespace MathDnn.Testing

open System
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Layers
open MathDnn.Networks
open MathDnn.FSharp

/// A random architecture for `Generators.network`: input width, hidden layers (width, activation), output width, an
/// optional head activation, and the initialisation seed. Shrinks by dropping hidden layers and halving widths.
[<StructuredFormatDisplay("{Display}")>]
type NetworkSpec =
    { /// n, the width of an input row.
      InputWidth: int
      /// The hidden layers, first to last: each a width and the activation after its 𝕃.
      Hidden: (int * Activation) list
      /// The width of the last 𝕃.
      OutputWidth: int
      /// The activation after the last 𝕃 (e.g. softmax), if any.
      Head: Activation option
      /// The seed of the network's initialisation.
      Seed: int }

    /// The layers: 𝕃 then the activation for each hidden layer, a last 𝕃, then the head.
    member this.Layers: Layer list =
        let widths = this.InputWidth :: (this.Hidden |> List.map fst)
        let hidden = List.zip (List.pairwise widths) (this.Hidden |> List.map snd) |> List.collect (fun ((n, m), a) -> [ Layer.dense n m; a :> Layer ])
        let last = [ Layer.dense (List.last widths) this.OutputWidth ]
        hidden @ last @ (this.Head |> Option.map (fun a -> [ a :> Layer ]) |> Option.defaultValue [])

    /// The network of this architecture, initialised from `Seed`.
    member this.Network: Network = Network.create this.InputWidth this.Seed this.Layers

    override this.ToString() = this.Display

    /// "network n → w₁ a₁ → … → m head (seed s)": how FsCheck prints the architecture.
    member this.Display =
        let hidden = this.Hidden |> List.map (fun (w, a) -> $"{w} {a.Name}") |> String.concat " → "
        let head = this.Head |> Option.map (fun a -> " → " + a.Name) |> Option.defaultValue ""
        let arrow = if this.Hidden.IsEmpty then "" else " → "
        $"network {this.InputWidth} → {hidden}{arrow}{this.OutputWidth}{head} (seed {this.Seed})"

/// FsCheck generators for numerical code (F#-style, curried). `Arbitraries` wraps them, with shrinkers, for F# and C#.
/// Every random choice is drawn from FsCheck's generator, so a failure's printed seed replays it exactly.
module Generators =
    /// A double in [lo, hi] on a grid of 2·10⁶ steps (finite, never NaN).
    let between (lo: float) (hi: float) : Gen<float> =
        if not (lo <= hi) then invalidArg (nameof hi) $"Generators.between: need lo ≤ hi, got [{lo}, {hi}]."
        Gen.choose (0, 2000000) |> Gen.map (fun k -> lo + (hi - lo) * float k / 2e6)

    /// A finite double in [-bound, bound].
    let bounded (bound: float) : Gen<float> = between -bound bound

    /// A row vector of ℝⁿ with entries in [lo, hi] (003 Convention 2).
    let box (n: int) (lo: float) (hi: float) : Gen<Vector<float>> = Gen.arrayOfLength n (between lo hi) |> Gen.map vector

    /// A row vector of ℝⁿ with entries in [-bound, bound].
    let vectorOf (n: int) (bound: float) : Gen<Vector<float>> = box n -bound bound

    /// A rows×columns matrix with entries in [-bound, bound].
    let matrixOf (rows: int) (columns: int) (bound: float) : Gen<Matrix<float>> =
        Gen.arrayOfLength (rows * columns) (bounded bound) |> Gen.map (fun a -> Matrix<float>.Build.DenseOfRowMajor(rows, columns, a))

    /// A random orthogonal n×n matrix: the Q of a QR factorisation of a matrix with entries in [-1, 1] (redrawn in the
    /// measure-zero case of a singular draw).
    let orthogonal (n: int) : Gen<Matrix<float>> =
        matrixOf n n 1.0
        |> Gen.where (fun a -> a.Svd(false).S[n - 1] > 1e-3)
        |> Gen.map (fun a -> a.QR().Q)

    /// A rows×columns matrix with condition number exactly κ (up to rounding): U·Σ·Vᵀ with random orthogonal U, V and
    /// singular values geometrically spaced from `scale` down to scale/κ.
    let conditioned (rows: int) (columns: int) (kappa: float) (scale: float) : Gen<Matrix<float>> =
        if not (kappa >= 1.0) then invalidArg (nameof kappa) $"Generators.conditioned: κ must be ≥ 1, got {kappa}."
        let k = min rows columns
        gen {
            let! u = orthogonal rows
            let! v = orthogonal columns
            let sigma = Matrix<float>.Build.Dense(rows, columns)
            for i in 0 .. k - 1 do
                sigma[i, i] <- scale * (if k = 1 then 1.0 else kappa ** (-(float i) / float (k - 1)))
            return u * sigma * v.Transpose()
        }

    /// A probability vector of ℝᵐ (entries ≥ minimum, summing to 1): normalised draws from [minimum·m, 1] rescaled.
    let probability (m: int) (minimum: float) : Gen<Vector<float>> =
        if not (minimum >= 0.0 && minimum * float m < 1.0) then invalidArg (nameof minimum) $"Generators.probability: need 0 ≤ minimum < 1/m, got {minimum}."
        Gen.arrayOfLength m (between 0.0 1.0)
        |> Gen.map (fun a ->
            let total = Array.sum a
            let w = if total = 0.0 then Array.create m (1.0 / float m) else a |> Array.map (fun x -> x / total)
            // mix with the uniform vector so that every entry is ≥ minimum and the sum stays 1
            w |> Array.map (fun x -> minimum + (1.0 - minimum * float m) * x) |> vector)

    /// A one-hot row e_k of {0,1}ᵐ (targets of 003 Def 5.2).
    let oneHot (m: int) : Gen<Vector<float>> = Gen.choose (0, m - 1) |> Gen.map (LinearAlgebra.oneHot m)

    /// A row of ±1 labels (the ŷ of the 004 loss table).
    let plusMinusOne (m: int) : Gen<Vector<float>> = Gen.arrayOfLength m (Gen.elements [ -1.0; 1.0 ]) |> Gen.map vector

    /// A vector of [-bound, bound]ⁿ whose every entry is at least `margin` away from each of the `kinks` (e.g. 0 for
    /// ReLU): central differences with step h ≤ ε^{1/3}·max(1, bound) then never straddle a kink when margin > h.
    let awayFromKinks (n: int) (bound: float) (kinks: float list) (margin: float) : Gen<Vector<float>> =
        let entry = bounded bound |> Gen.where (fun x -> kinks |> List.forall (fun k -> abs (x - k) >= margin))
        Gen.arrayOfLength n entry |> Gen.map vector

    /// The hidden activations of 003 Section 2, 002 Section 5 and the 004 catalogue.
    let activation : Gen<Activation> =
        Gen.oneof
            [ Gen.constant Activation.relu
              Gen.choose (1, 50) |> Gen.map (fun k -> Activation.leakyRelu (float k / 100.0))
              Gen.choose (25, 200) |> Gen.map (fun k -> Activation.elu (float k / 100.0))
              Gen.constant Activation.sigmoid
              Gen.constant Activation.tanh
              Gen.constant Activation.identity ]

    /// A network architecture: input width in `inputs`, 0..maxHidden hidden layers of widths in `widths` with
    /// activations from `activations`, output width in `outputs`, and `head` after the last dense layer.
    let networkSpec (inputs: Gen<int>) (maxHidden: int) (widths: Gen<int>) (activations: Gen<Activation>) (outputs: Gen<int>) (head: Activation option) : Gen<NetworkSpec> =
        gen {
            let! m0 = inputs
            let! depth = Gen.choose (0, maxHidden)
            let! hidden = Gen.listOfLength depth (Gen.zip widths activations)
            let! mp = outputs
            let! seed = Gen.choose (0, Int32.MaxValue)
            return { InputWidth = m0; Hidden = hidden; OutputWidth = mp; Head = head; Seed = seed }
        }

    /// Simpler architectures: one hidden layer fewer, or one width halved.
    let shrinkNetworkSpec (spec: NetworkSpec) : seq<NetworkSpec> =
        seq {
            for i in 0 .. spec.Hidden.Length - 1 do
                yield { spec with Hidden = spec.Hidden |> List.removeAt i }
            for i in 0 .. spec.Hidden.Length - 1 do
                let w, a = spec.Hidden[i]
                if w > 1 then yield { spec with Hidden = spec.Hidden |> List.updateAt i (w / 2, a) }
            if spec.InputWidth > 1 then yield { spec with InputWidth = spec.InputWidth / 2 }
        }

/// The generators as FsCheck Arbitraries with shrinkers, as static members usable from C# and F#:
/// `Arbitraries.Vector(3, 5.0)` in either language. Shrinking moves entries to 0, then integers, then one decimal,
/// staying in the generator's domain, so a failing property reports a small, readable counterexample.
[<AbstractClass; Sealed>]
type Arbitraries =
    /// Vectors of ℝⁿ with entries in [-bound, bound].
    static member Vector(n: int, bound: float) : Arbitrary<Vector<float>> =
        Arbitraries.Box(n, -bound, bound)

    /// Vectors of ℝⁿ with entries in [lo, hi] (a box, e.g. ]0,1[ᵐ for probabilities entry-wise).
    static member Box(n: int, lo: float, hi: float) : Arbitrary<Vector<float>> =
        let inside (v: Vector<float>) = v |> Seq.forall (fun x -> x >= lo && x <= hi)
        Arb.fromGenShrink (Generators.box n lo hi, Shrink.vector inside)

    /// rows×columns matrices with entries in [-bound, bound] (shrinking entries to simpler values).
    static member Matrix(rows: int, columns: int, bound: float) : Arbitrary<Matrix<float>> =
        let shrink (a: Matrix<float>) =
            Shrink.vector (fun _ -> true) (Vector<float>.Build.DenseOfArray(a.ToRowMajorArray()))
            |> Seq.map (fun v -> Matrix<float>.Build.DenseOfRowMajor(rows, columns, v.ToArray()))
        Arb.fromGenShrink (Generators.matrixOf rows columns bound, shrink)

    /// rows×columns matrices with condition number κ and largest singular value `scale` (no shrinking: simpler entries would change κ).
    static member Conditioned(rows: int, columns: int, kappa: float, scale: float) : Arbitrary<Matrix<float>> =
        Arb.fromGen (Generators.conditioned rows columns kappa scale)

    /// Probability vectors of ℝᵐ with every entry ≥ minimum.
    static member Probability(m: int, minimum: float) : Arbitrary<Vector<float>> = Arb.fromGen (Generators.probability m minimum)

    /// One-hot rows of {0,1}ᵐ.
    static member OneHot(m: int) : Arbitrary<Vector<float>> = Arb.fromGen (Generators.oneHot m)

    /// Rows of ±1 labels.
    static member PlusMinusOne(m: int) : Arbitrary<Vector<float>> = Arb.fromGen (Generators.plusMinusOne m)

    /// Vectors of [-bound, bound]ⁿ whose entries stay `margin` away from every kink (shrinking keeps them away).
    static member AwayFromKinks(n: int, bound: float, kinks: float[], margin: float) : Arbitrary<Vector<float>> =
        let ok (v: Vector<float>) = v |> Seq.forall (fun x -> abs x <= bound && kinks |> Array.forall (fun k -> abs (x - k) >= margin))
        Arb.fromGenShrink (Generators.awayFromKinks n bound (List.ofArray kinks) margin, Shrink.vector ok)

    /// Random network architectures: input width 1..maxInput, 0..maxHidden hidden layers of width 1..maxWidth with the
    /// hidden activations of the catalogue, output width 1..maxOutput, no head; shrinking drops layers and halves widths.
    static member Network(maxInput: int, maxHidden: int, maxWidth: int, maxOutput: int) : Arbitrary<NetworkSpec> =
        let spec = Generators.networkSpec (Gen.choose (1, maxInput)) maxHidden (Gen.choose (1, maxWidth)) Generators.activation (Gen.choose (1, maxOutput)) None
        Arb.fromGenShrink (spec, Generators.shrinkNetworkSpec)
