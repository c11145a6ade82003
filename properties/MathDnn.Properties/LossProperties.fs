namespace MathDnn.Properties

open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Losses
open MathDnn.FSharp

/// The losses of LossCatalogue (the 004 loss table and the cross-entropies / squared errors): analytic gradients
/// against central differences (the spec table's rows), and the softmax losses' invariance to shifts, on generated
/// outputs and targets of each loss's encoding.
module LossProperties =
    // δ, the distance kept between o and any kink. The FD stencil is [o − h, o + h] with h ≤ 1.9e-5 (|o| ≤ 3), so any
    // δ > h keeps it on one side of the kink, where the loss is smooth; δ = 1e-3 is 50× h and rejects only ≈ 2δ/6 per
    // entry (≈ 0.3% of cases at m = 8) of the uniformly generated outputs.
    let kinkMargin = 1e-3

    /// Losses whose outputs are probabilities in ]0,1[ rather than logits (the unfused cross-entropies).
    let takesProbabilities (loss: Loss) =
        match loss with
        | :? CategoricalCrossEntropy | :? BinaryCrossEntropy -> true
        | _ -> false

    /// Logits in [−3, 3] (softmax entries ≥ e^{−6}/8 ≈ 3e-4, so no gradient entry is dominated by FD noise),
    /// or probabilities in [0.05, 0.95] (distance ≥ 0.05 from the poles 0 and 1 of the unfused cross-entropies).
    let outputOf (loss: Loss) m =
        if takesProbabilities loss then
            Gen.arrayOfLength m (Generators.bounded 0.45 |> Gen.map (fun p -> p + 0.5)) |> Gen.map vector
        else
            Generators.vectorOf m 3.0

    /// One-hot targets (the 004 table's y): kinks only for L1, at o_j ∈ {0, 1}; kept at distance > δ.
    let oneHotCase (loss: Loss) =
        gen {
            let! m = Gen.choose (2, 8)
            let! k = Gen.choose (0, m - 1)
            let! o = outputOf loss m
            return o, vector [ for j in 0 .. m - 1 -> if j = k then 1.0 else 0.0 ]
        }
        |> Gen.filter (fun (o, y) -> LossCatalogue.KinkDistance(loss, o.ToArray(), y.ToArray()) > kinkMargin)

    /// ±1 targets (the 004 table's ŷ): the hinge kinks ŷ_j·o_j = ½, i.e. o_j = ±½, kept at distance > δ.
    let plusMinusOneCase (loss: Loss) =
        gen {
            let! m = Gen.choose (2, 8)
            let! y = Gen.arrayOfLength m (Gen.elements [ -1.0; 1.0 ])
            let! o = outputOf loss m
            return o, vector y
        }
        |> Gen.filter (fun (o, y) -> LossCatalogue.KinkDistance(loss, o.ToArray(), y.ToArray()) > kinkMargin)

    /// Targets in [0, 1] (binary and soft labels): the (sigmoid) binary cross-entropies have no kink; δ not needed.
    let unitIntervalCase (loss: Loss) =
        gen {
            let! m = Gen.choose (2, 8)
            let! y = Gen.arrayOfLength m (Generators.bounded 0.5 |> Gen.map (fun t -> t + 0.5))
            let! o = outputOf loss m
            return o, vector y
        }

    /// Real targets in [−3, 3] (regression): the squared errors are smooth; δ not needed.
    let realCase (loss: Loss) =
        gen {
            let! m = Gen.choose (2, 8)
            let! y = Generators.vectorOf m 3.0
            let! o = outputOf loss m
            return o, y
        }

    /// The generator for the loss's target encoding.
    let caseOf (loss: Loss) =
        match loss.Encoding with
        | TargetEncoding.OneHot -> oneHotCase loss
        | TargetEncoding.PlusMinusOne -> plusMinusOneCase loss
        | TargetEncoding.UnitInterval -> unitIntervalCase loss
        | _ -> realCase loss

    /// A vector's entries to full precision, for failure labels.
    let show (v: Vector<float>) =
        v.ToArray() |> Array.map (sprintf "%.17g") |> String.concat ", " |> sprintf "(%s)"

    /// One case (output, target) of its encoding for every catalogued loss, with its name: each generated instance
    /// checks every loss of the table, so no loss is left out of a run.
    let everyLoss (losses: string seq) =
        losses
        |> List.ofSeq
        |> List.map (fun name -> let loss = LossCatalogue.Parse name in caseOf loss |> Gen.map (fun case -> name, loss, case))
        |> Gen.sequenceToList

    /// The conjunction of one labelled property per loss.
    let forEveryLoss (losses: string seq) (check: string -> Loss -> Vector<float> * Vector<float> -> Property) : Property =
        Prop.forAll (Arb.fromGen (everyLoss losses)) (fun cases ->
            cases |> List.map (fun (name, loss, case) -> check name loss case) |> List.reduce (.&.))

    /// The gradient rows of the spec table (SpecChecks.ForLoss: the 004 table, 002, 003 Prop 3.1), one instance of every
    /// catalogued loss per generated seed.
    [<Property(MaxTest = 100)>]
    let ``004 loss table: the analytic gradient of every catalogued loss equals central differences`` () : Property =
        LossCatalogue.All |> Seq.map (fun loss -> MathDnn.Testing.Verify.Spec(MathDnn.Theory.SpecChecks.ForLoss loss)) |> Seq.reduce (.&.)

    /// The losses written in σ(o) = softmax(o).
    let softmaxLosses =
        [ "expectation"; "regularised-expectation"; "chebyshev"; "log"; "squared-log"; "tanimoto"
          "cauchy-schwarz-divergence"; "softmax-cross-entropy" ]

    // Each entry of these gradients is O(1)·(≤ 20, the squared log's 2|log σ_k| at |o| ≤ 3, m ≤ 8) with a few ε of
    // relative rounding; a sum of m ≤ 8 of them is 0 to within 8·20·4ε ≈ 1.4e-13, so 1e-12 is the derived bound.
    let zeroSumTolerance = 1e-12

    [<Property(MaxTest = 100)>]
    let ``003 Prop 2.2 rows of the softmax Jacobian sum to 0, so gradients of losses of σ(o) sum to 0 and shifts of o leave them unchanged`` () : Property =
        Prop.forAll (Arb.fromGen (Generators.bounded 3.0)) (fun c ->
            forEveryLoss softmaxLosses (fun name loss (o, y) ->
                let g = loss.Gradient(o, y)
                let shifted = o + c
                // σ(o + c·1) = σ(o): the value moves only by rounding — of o + c (|o + c| ≤ 6: ≤ 9e-16 per entry, times
                // gradient entries ≤ 20 over m ≤ 8: ≤ 1.4e-13) and of the value itself (|ξ| ≤ 64 for the squared log: a few
                // ε·64 ≈ 6e-14); 1e-12 bounds both.
                let valueMove = abs (loss.Value(shifted, y) - loss.Value(o, y))
                (abs (g.Sum()) <= zeroSumTolerance && valueMove <= zeroSumTolerance)
                |> Prop.label (sprintf "%s at o = %s, y = %s, c = %g: Σ∇ = %g, value moved by %g" name (show o) (show y) c (g.Sum()) valueMove)))
