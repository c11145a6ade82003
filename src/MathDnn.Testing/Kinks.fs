namespace MathDnn.Testing

open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Calculus
open MathDnn.Layers
open MathDnn.Networks
open MathDnn.FSharp

/// Points away from kinks, where central differences are valid: generalised from the properties suite's generators.
module Kinks =
    /// Whether an activation is non-differentiable at 0 (ReLU, leaky ReLU, ELU: the derivative jumps there, and for
    /// ELU with α = 1 the second derivative does, which is as bad for a central difference).
    let isKinked (activation: Activation) =
        match activation with
        | :? Relu | :? LeakyRelu | :? Elu -> true
        | _ -> false

    /// Whether central differences are valid everywhere they will probe. `probeInputs` / `probeParameters` say which
    /// coordinates the check perturbs (the input x, or θ).
    /// <para>
    /// δ: a unit u of a ReLU / leaky ReLU / ELU layer (pre-activation z_u) is accepted only when
    /// |z_u| &gt; δ_u = 2·s_u + 1e-7, and a maxout unit only when its best piece exceeds the second best by more than
    /// 2·(s_best + s_second) + 1e-7, where s_u = maxⱼ hⱼ·|∂z_u/∂pⱼ| over the probed coordinates pⱼ with their
    /// central-difference steps hⱼ = ε^{1/3}·max(1, |pⱼ|). Reason: the probe pⱼ ± hⱼ moves z_u by hⱼ·∂z_u/∂pⱼ to first
    /// order (for a first-layer unit that is h·|xⱼ| for a weight and h·|Wᵤⱼ| for an input: the h·Σ|x| of the issue,
    /// coordinate by coordinate); the factor 2 covers the second-order term, and 1e-7 the rounding of z_u and the
    /// second-order term when s_u is 0. A fixed δ would have to bound ∂z/∂p by the product of the layers' norms, about
    /// of order 1e-2 for width 16 and depth 4, and would reject nearly every deep instance; measuring s_u keeps δ near
    /// 1e-5 and rejects about 1% of the instances (nearly all of which would indeed fail the check).
    /// ∂z/∂p comes from the library's Jacobians of the prefix network ending at that unit (a maxout's pieces are the
    /// rows of a dense layer with the maxout's parameters).
    /// </para>
    /// <para>
    /// Filter (network, point) pairs with it, not points for a fixed network: some networks have no valid point at all
    /// (a unit constant at its kink, e.g. a width-1 ReLU unit whose incoming weights are all negative feeding a leaky
    /// ReLU layer with zero biases), and FsCheck's filters retry for ever.
    /// </para>
    let network (probeInputs: bool) (probeParameters: bool) (net: Network) (x: Matrix<float>) : bool =
        let layers = Network.layers net |> List.toArray
        let m0 = Network.inputSize net
        let widths = Network.widths net |> List.toArray
        let theta = Network.parameters net |> Parameters.toVector |> Vector.toArray
        let step (v: float) = FiniteDifferences.Step v
        let hTheta = theta |> Array.map step
        let floor = 1e-7
        // The network computing the units in front of layer k: the input of an activation, the pieces of a maxout.
        let unitsNetwork (k: int) =
            let prefix = List.ofArray layers[.. k - 1]
            let unitLayers, count =
                match layers[k] with
                | :? Maxout as mx ->
                    prefix @ [ Layer.dense widths[k] (mx.Pieces * mx.Outputs) ], (prefix |> List.sumBy Layer.parameterCount) + mx.ParameterCount
                | _ when k = 0 -> [ Activation.identity :> Layer ], 0
                | _ -> prefix, prefix |> List.sumBy Layer.parameterCount
            let layout = Network.layoutOf m0 unitLayers
            Network.ofParameters m0 unitLayers (Parameters.ofVector layout (Vector.ofArray theta[.. count - 1])), count
        // s_u for every unit of `units` at the sample xr.
        let sensitivities (units: Network) (count: int) (xr: Vector<float>) =
            let m = Network.outputSize units
            let s = Array.zeroCreate m
            if probeInputs then
                let jx = Network.inputJacobian xr units
                for u in 0 .. m - 1 do
                    for j in 0 .. xr.Count - 1 do
                        s[u] <- max s[u] (step xr[j] * abs jx[u, j])
            if probeParameters && count > 0 then
                let jt = Network.parameterJacobian xr units
                for u in 0 .. m - 1 do
                    for j in 0 .. count - 1 do
                        s[u] <- max s[u] (hTheta[j] * abs jt[u, j])
            s
        let kinkLayers = [ for k in 0 .. layers.Length - 1 do
                             match layers[k] with
                             | :? Activation as a when isKinked a -> yield k
                             | :? Maxout -> yield k
                             | _ -> () ]
        let networks = kinkLayers |> List.map (fun k -> k, unitsNetwork k)
        Matrix.rows x
        |> List.forall (fun xr ->
            networks
            |> List.forall (fun (k, (units, count)) ->
                let z = Network.apply xr units
                let s = sensitivities units count xr
                match layers[k] with
                | :? Maxout as mx when mx.Pieces < 2 -> true // one piece: an affine map, no ties
                | :? Maxout as mx ->
                    let m = mx.Outputs
                    Seq.forall (fun j ->
                        let pieces = [ for i in 0 .. mx.Pieces - 1 -> z[i * m + j], s[i * m + j] ] |> List.sortByDescending fst
                        let (best, sBest), (second, sSecond) = pieces[0], pieces[1]
                        best - second > 2.0 * (sBest + sSecond) + floor) (seq { 0 .. m - 1 })
                | _ -> Seq.forall (fun u -> abs z[u] > 2.0 * s[u] + floor) (seq { 0 .. z.Count - 1 })))

