namespace MathDnn.Properties

open Xunit
open MathNet.Numerics.LinearAlgebra
open MathDnn.FSharp
open MathDnn.FSharp.Layer
open MathDnn.FSharp.Calculus

/// The F# surface read as mathematics, on examples computed by hand (only the surface's own modules are opened).
module SurfaceExamples =
    [<Fact>]
    let ``the F# pipeline [dense 4 8; relu; dense 8 3; softmax] builds the 003 Def 5.1 network N_c+ for sizes 4 8 3`` () =
        let net = [ dense 4 8; Activation.relu; dense 8 3; Activation.softmax ] |> Network.create 4 42
        // |θ| = 8·(4 + 1) + 3·(8 + 1) = 40 + 27 = 67 (Corollary of 003 Def 5.1).
        Assert.Equal(67, Network.parameterCount net)
        Assert.Equal<int list>([ 4; 8; 8; 3; 3 ], Network.widths net)
        // The same layers and seed as Network.multiClass: bit-identical parameters.
        Assert.True(Agree.bitIdentical (Network.parameters net |> Parameters.toVector |> Vector.toArray)
                                       (Network.multiClass 42 [ 4; 8; 3 ] |> Network.parameters |> Parameters.toVector |> Vector.toArray))
        let y = Network.forward (matrix [ [ 1.0; -1.0; 0.5; 2.0 ]; [ 0.0; 0.0; 0.0; 0.0 ] ]) net
        // Softmax rows are probabilities: each sums to 1 up to 3 roundings of the sum (≤ 3ε/2 < 1e-15).
        let sums = Matrix.rowSums y
        for i in 0 .. 1 do Assert.InRange(sums[i], 1.0 - 1e-15, 1.0 + 1e-15)
        // At x = 0 every pre-activation is a bias, 0 at initialisation, so y = 𝓢(0) = (1/3, 1/3, 1/3) exactly as computed.
        for j in 0 .. 2 do Assert.Equal(1.0 / 3.0, y[1, j])

    [<Fact>]
    let ``003 Thm 1.3 by hand: relu after a dense map, its Jacobian, backward and forward passes`` () =
        let w = matrix [ [ 1.0; -2.0 ]; [ 3.0; 4.0 ] ]
        let b = vector [ 0.5; -1.0 ]
        let f = Dense.asFunction w b >>. Activation.asFunction Activation.relu 2
        let y = vector [ 1.0; 1.0 ]
        // z = y·Wᵀ + b = (1 − 2 + 0.5, 3 + 4 − 1) = (−0.5, 6); 𝓡(z) = (0, 6).
        Assert.Equal<float list>([ 0.0; 6.0 ], apply f y |> Vector.toArray |> List.ofArray)
        // J = J_𝓡(z)·W = diag(0, 1)·W = [[0, 0], [3, 4]] (003 Thm 1.3, 003 Props 2.1 and 4.1).
        Assert.Equal(matrix [ [ 0.0; 0.0 ]; [ 3.0; 4.0 ] ], jacobian f y)
        // u·J with u = (1, 1): (0 + 3, 0 + 4) = (3, 4); J·vᵀ with v = (1, 0): (0, 3).
        Assert.Equal<Vector<float>>(vector [ 3.0; 4.0 ], vjp f y (vector [ 1.0; 1.0 ]))
        Assert.Equal<Vector<float>>(vector [ 0.0; 3.0 ], jvp f y (vector [ 1.0; 0.0 ]))

    [<Fact>]
    let ``003 Def 5.2 and Prop 5.3 by hand: the objective of a zero network is log 2 and its gradient (S − y*)·[x 1]`` () =
        let layers = [ dense 1 2; Activation.softmax ]
        let theta = Parameters.zeros (Network.layoutOf 1 layers)
        let net = Network.ofParameters 1 layers theta
        let x, target = matrix [ [ 3.0 ] ], matrix [ [ 1.0; 0.0 ] ]
        let value, gradient = Objective.valueAndGradient Loss.categoricalCrossEntropy Reduction.Sum net x target
        // z = 3·0 + 0 = (0, 0), 𝓢(z) = (1/2, 1/2): ξ = −log(1/2) = log 2, computed as log(e⁰ + e⁰) − 0 = log 2 exactly.
        Assert.Equal(System.Math.Log 2.0, value)
        // δ = 𝓢(z) − y* = (−1/2, 1/2) (003 Prop 5.3); dW = δᵀ·x = (−3/2, 3/2)ᵀ (003 Prop 5.2), db = δ (003 Prop 4.3).
        Assert.Equal<float list>([ -1.5; 1.5; -0.5; 0.5 ], gradient |> Parameters.toVector |> Vector.toArray |> List.ofArray)
        // θ − 2·∇ moves the logits to (3·3 + 1, −3·3 − 1) = (10, −10).
        let stepped = net |> Network.withParameters (Parameters.addScaled -2.0 gradient theta)
        Assert.Equal<Vector<float>>(vector [ 10.0; -10.0 ], Dense.apply (vector [ 3.0 ]) (Parameters.weights 0 (Network.parameters stepped)) (Parameters.bias 0 (Network.parameters stepped)))

    [<Fact>]
    let ``the F# training pipeline in float32: parameters representable in float, evaluation in float32 close to float64, the epoch order a permutation`` () =
        let train, test = MathDnn.Data.BuiltInData.Digits() |> Dataset.split 0.2 7
        let options =
            Training.options Loss.categoricalCrossEntropy (Optimizer.momentum 0.05 0.9)
            |> Training.epochs 2 |> Training.batch 32 |> Training.seed 7 |> Training.precision MathDnn.Training.Precision.Float32
        let model = (Network.multiClass 7 [ 64; 16; 10 ] |> Training.fit options train).Model
        // A float32 run returns its float parameters in double: each value converts to float and back unchanged.
        let theta = Network.parameters model |> Parameters.toVector |> Vector.toArray
        Assert.All(theta, fun v -> Assert.Equal(v, float (float32 v)))
        let l64, a64 = model |> Training.evaluate Loss.categoricalCrossEntropy test
        let l32, a32 = model |> Training.evaluateIn MathDnn.Training.Precision.Float32 Loss.categoricalCrossEntropy test
        // As EngineTests' float32 evaluation bound (sums of ≤ 64 products over 2 layers, S < 100): |Δ| ≤ 2·67·ε_f·S < 8e-4.
        Assert.InRange(l32 - l64, -8e-4, 8e-4)
        // A sample changes class only if its top two logits are within 2·max|Δz| < 8e-4, i.e. log(p₁/p₂) < 8e-4.
        let p = model |> Network.forward test.Inputs
        let nearTies =
            [ 0 .. p.RowCount - 1 ]
            |> List.filter (fun r -> let top = p.Row(r).ToArray() |> Array.sortDescending in log (top[0] / top[1]) < 8e-4)
            |> List.length
        let changed = int (round (abs (Option.get a32 - Option.get a64) * float (Dataset.count test)))
        Assert.True(changed <= nearTies, sprintf "%d samples changed class, %d near-ties" changed nearTies)
        let order = Training.epochOrder options 1 (Dataset.count train)
        Assert.Equal<int list>([ 0 .. Dataset.count train - 1 ], List.sort order)
