namespace MathDnn.Properties

open System
open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Networks
open MathDnn.Optimizers

/// Optimizers as pure state transitions (003 Section 6, 002 Section 7, 004 Algorithm 8.1), checked on quadratics
/// f(θ) = ½θAθᵀ − bθᵀ with A = MᵀM (+0.1 at A₁₁) symmetric positive semi-definite, b = x*A, so ∇f(θ) = θA − b and
/// x* is a minimizer (f* = f(x*)), possibly non-unique when A is singular.
module OptimizerProperties =

    // ---- generators (local to this file) ----

    /// A double in [lo, hi] on a grid of 10⁶ steps.
    let uniform (lo: float) (hi: float) = Gen.choose (0, 1000000) |> Gen.map (fun k -> lo + (hi - lo) * float k / 1e6)

    let zip4 a b c d = Gen.zip (Gen.zip a b) (Gen.zip c d) |> Gen.map (fun ((a, b), (c, d)) -> a, b, c, d)

    type Quadratic = { N: int; A: float[,]; B: float[]; XStar: float[]; X0: float[] }

    let quadratic =
        gen {
            let! n = Gen.choose (1, 5)
            let! k = Gen.choose (1, n + 1)
            let! m = Gen.arrayOfLength (k * n) (uniform -1.0 1.0)
            let! xStar = Gen.arrayOfLength n (uniform -2.0 2.0)
            let! x0 = Gen.arrayOfLength n (uniform -3.0 3.0)
            let a =
                Array2D.init n n (fun i j ->
                    let mutable s = if i = 0 && j = 0 then 0.1 else 0.0
                    for r in 0 .. k - 1 do s <- s + m[r * n + i] * m[r * n + j]
                    s)
            let b = Array.init n (fun j -> Seq.sum (seq { for i in 0 .. n - 1 -> xStar[i] * a[i, j] }))
            return { N = n; A = a; B = b; XStar = xStar; X0 = x0 }
        }

    /// ∇f(x) = xA − b, entry by entry in a fixed order.
    let gradientAt (q: Quadratic) (x: float[]) =
        Array.init q.N (fun j ->
            let mutable s = 0.0
            for i in 0 .. q.N - 1 do s <- s + x[i] * q.A[i, j]
            s - q.B[j])

    /// λ_max(A), the smallest L for which f is L-smooth (003 Def 6.2).
    let smoothness (q: Quadratic) =
        let a = Matrix<float>.Build.DenseOfArray q.A
        a.Evd(Symmetricity.Symmetric).EigenValues |> Seq.map (fun c -> c.Real) |> Seq.max

    let layoutOf n = ParameterLayout [ ParameterBlock(0, "W", 1, n, 0) ]
    let parameters (layout: ParameterLayout) (x: float[]) = Parameters.FromArray(layout, ReadOnlySpan x)

    // Closed form and implementation compute the same expressions of the same g₀, g₁ in different orders: each side
    // carries at most ~30 roundings of relative size 2⁻⁵³ ≈ 1.1e-16 on terms bounded by |θ| and η·(a ratio ≤ ~2 of
    // gradients to root mean squares), so they differ by ≈ 1e-14·(1 + |θ| + η); 1e-12 leaves a 100× margin.
    let close (expected: float[]) (actual: float[]) (eta: float) =
        Array.forall2 (fun (e: float) a -> abs (e - a) <= 1e-12 * (1.0 + abs e + eta)) expected actual

    let show (x: float[]) = x |> Array.map (sprintf "%.17g") |> String.concat ", "

    let learningRate = uniform 0.001 0.5
    let coefficient = uniform 0.0 0.99

    // ---- closed forms of the first steps ----

    [<Property(MaxTest = 100)>]
    let ``004 Algorithm 8.1 gradient descent on a quadratic follows theta_t minus x* = (theta_0 minus x*)(I minus eta A)^t`` () : Property =
        let gen = Gen.zip quadratic (uniform 0.0 1.0)
        Prop.forAll (Arb.fromGen gen) (fun (q, fraction) ->
            // η ∈ [0, 1/L] keeps ‖I − ηA‖ ≤ 1, so rounding errors are not amplified.
            let eta = fraction / smoothness q
            let opt = GradientDescent(eta)
            let layout = layoutOf q.N
            let a = Matrix<float>.Build.DenseOfArray q.A
            let contraction = Matrix<float>.Build.DenseIdentity q.N - eta * a
            let xStar = Vector<float>.Build.DenseOfArray q.XStar
            let mutable theta = parameters layout q.X0
            let mutable state = opt.Init theta
            let mutable ok = true
            let mutable error = Vector<float>.Build.DenseOfArray q.X0 - xStar
            for _ in 1 .. 3 do
                let struct (t, s) = opt.Step(theta, parameters layout (gradientAt q (theta.ToArray())), state)
                theta <- t
                state <- s
                error <- contraction.LeftMultiply error // a row times the symmetric matrix
                ok <- ok && close ((error + xStar).ToArray()) (theta.ToArray()) 0.0
            ok |> Prop.label $"η = {eta}, θ₃ = [{show (theta.ToArray())}], closed form [{show ((error + xStar).ToArray())}]")

    [<Property(MaxTest = 100)>]
    let ``002 Section 7.4 momentum first two steps equal theta_0 minus eta(1+mu)g0 minus eta g1 in both conventions`` () : Property =
        MathDnn.Testing.Verify.Spec("002 Section 7.4", "momentum, PyTorch")

    [<Property(MaxTest = 100)>]
    let ``Nesterov momentum first two steps equal the closed form in both conventions`` () : Property =
        MathDnn.Testing.Verify.Spec("002 Section 7.4", "Nesterov")

    [<Property(MaxTest = 100)>]
    let ``002 eqs 8 to 10 RMSprop first two steps equal the closed form for both epsilon placements`` () : Property =
        MathDnn.Testing.Verify.Spec("002 eq. 9")

    [<Property(MaxTest = 100)>]
    let ``Adam first two steps equal Kingma and Ba's closed form with and without bias correction`` () : Property =
        MathDnn.Testing.Verify.Spec("002 Section 7.6", "Adam as Kingma")

    [<Property(MaxTest = 100)>]
    let ``AdamW first two steps equal Adam's closed form plus the decoupled decay eta lambda M theta`` () : Property =
        MathDnn.Testing.Verify.Spec("002 Section 7.6", "AdamW")

    [<Property(MaxTest = 100)>]
    let ``AdaGrad first two steps equal the closed form`` () : Property =
        MathDnn.Testing.Verify.Spec("002 Section 7")

    // ---- identities between optimizers ----

    /// Runs an optimizer for `steps` steps on q and returns the iterates.
    let iterates (opt: Optimizer) (q: Quadratic) steps =
        let layout = layoutOf q.N
        let mutable theta = parameters layout q.X0
        let mutable state = opt.Init theta
        [ for _ in 1 .. steps do
              let struct (t, s) = opt.Step(theta, parameters layout (gradientAt q (theta.ToArray())), state)
              theta <- t
              state <- s
              yield t.ToArray() ]

    let ieeeEqual (a: float[] list) (b: float[] list) = List.forall2 (Array.forall2 (fun (x: float) y -> x = y)) a b

    [<Property(MaxTest = 100)>]
    let ``Momentum with mu 0 equals plain gradient descent in both conventions with or without Nesterov`` () : Property =
        let gen = zip4 quadratic (Gen.zip learningRate (uniform 0.0 2.0)) (Gen.elements [ MomentumConvention.PyTorch; MomentumConvention.Sutskever ]) (Gen.elements [ true; false ])
        Prop.forAll (Arb.fromGen gen) (fun (q, (eta, decay), convention, nesterov) ->
            // With μ = 0: b = 0·b + g = g, v = 0·v − η_t g = −η_t g, and the Nesterov terms add 0·b: exactly −η_t·g
            // (IEEE equality: only the sign of a zero may differ).
            let schedule = InverseTimeDecay(eta, decay)
            ieeeEqual (iterates (Momentum(schedule, 0.0, convention, nesterov)) q 5) (iterates (GradientDescent(schedule)) q 5))

    [<Property(MaxTest = 100)>]
    let ``Momentum conventions coincide for a constant learning rate`` () : Property =
        let gen = zip4 quadratic (uniform 0.0 1.0) coefficient (Gen.elements [ true; false ])
        Prop.forAll (Arb.fromGen gen) (fun (q, fraction, mu, nesterov) ->
            // η ≤ (1 − μ)/L keeps both runs bounded. v_t = −η·b_t in exact arithmetic; over T = 10 steps each buffer
            // entry drifts by ≤ T·2 roundings of the scale s = max(|θ|, η|b|), and θ by ≤ T² of them: 200·1.1e-16·s ≈
            // 2e-14·s, doubled by the feedback through g = θA − b (η‖A‖ ≤ 1); 1e-12·s leaves a 25× margin.
            let eta = fraction * (1.0 - mu) / smoothness q
            let p = iterates (Momentum(eta, mu, MomentumConvention.PyTorch, nesterov)) q 10
            let s = iterates (Momentum(eta, mu, MomentumConvention.Sutskever, nesterov)) q 10
            let scale = 1.0 + (p |> List.map (Array.map abs >> Array.max) |> List.max) + (q.X0 |> Array.map abs |> Array.max)
            List.forall2 (Array.forall2 (fun (x: float) y -> abs (x - y) <= 1e-12 * scale)) p s
            |> Prop.label $"PyTorch {show (List.last p)} vs Sutskever {show (List.last s)}")

    [<Property(MaxTest = 100)>]
    let ``RMSprop with epsilon outside the root equals Adam with beta1 0 and no bias correction`` () : Property =
        let gen = zip4 quadratic learningRate coefficient (uniform 1e-8 1e-2)
        Prop.forAll (Arb.fromGen gen) (fun (q, eta, beta, eps) ->
            // m = 0·m + 1·g = g exactly, v is the same expression, and m/1 = m: the same floating-point operations.
            let rms = iterates (RmsProp(eta, beta, eps, EpsilonPlacement.OutsideRoot)) q 6
            let adam = iterates (Adam(eta, 0.0, beta, eps, false)) q 6
            ieeeEqual rms adam)

    [<Property(MaxTest = 200)>]
    let ``Adam first step has magnitude eta per coordinate within eta eps over (abs g plus eps)`` () : Property =
        let gradients =
            gen {
                let! n = Gen.choose (1, 6)
                let! mantissas = Gen.arrayOfLength n (uniform -1.0 1.0)
                let! exponents = Gen.arrayOfLength n (Gen.choose (-12, 3))
                return Array.map2 (fun m (e: int) -> m * 10.0 ** float e) mantissas exponents
            }
        let gen = zip4 gradients learningRate (Gen.zip coefficient coefficient) (uniform 1e-10 1e-6)
        Prop.forAll (Arb.fromGen gen) (fun (g, eta, (b1, b2), eps) ->
            let layout = layoutOf g.Length
            let theta = Parameters.Zeros layout
            let opt = Adam(eta, b1, b2, eps)
            let struct (u, _) = opt.Update(parameters layout g, opt.Init theta, theta)
            // Exactly |u_i| = η|g_i|/(|g_i| + ε) = η − η·ε/(|g_i| + ε) (m̂₁ = g, v̂₁ = g²). The bias corrections, root and
            // quotient add ≤ 10 roundings, 10·2⁻⁵³ ≈ 1.1e-15 relative: tolerance η·(ε/(|g_i| + ε) + 1e-14).
            Array.forall2 (fun (ui: float) (gi: float) ->
                abs (abs ui - eta) <= eta * (eps / (abs gi + eps) + 1e-14) && abs ui <= eta * (1.0 + 1e-14)) (u.ToArray()) g
            |> Prop.label $"u = [{show (u.ToArray())}], η = {eta}")

    // ---- 003 Section 6: gradient descent on a convex L-smooth function ----

    [<Property(MaxTest = 100)>]
    let ``003 Props 6.1 to 6.3 gradient descent with eta 1 over L decreases f monotonically and f(x_t) minus f* is at most L times the squared distance over 2t`` () : Property =
        MathDnn.Testing.Verify.Spec("003 Props 6.1–6.3")

    // ---- purity and determinism ----

    let optimizers: Optimizer list =
        [ GradientDescent(InverseTimeDecay(0.1, 0.5))
          Momentum(0.1, 0.9, MomentumConvention.PyTorch)
          Momentum(0.1, 0.9, MomentumConvention.Sutskever, true)
          RmsProp(0.1)
          RmsProp(0.1, placement = EpsilonPlacement.OutsideRoot)
          Adam(ExponentialDecay(0.1, 0.9))
          Adam(0.1, biasCorrection = false)
          AdamW(CosineDecay(0.1, 5L), weightDecay = 0.1)
          AdaGrad(StepDecay(0.1, 2L))
          Optimizer.Chain(ClipByGlobalNorm(1.0), AddDecayedWeights(0.01), Adam(1.0), ScaleBySchedule(0.1)) ]

    let optimizerCase =
        Gen.zip3 (Gen.elements optimizers) quadratic (Gen.choose (0, 3))

    let rec snapshot (s: OptimizerState) : float[] list =
        [ for b in s.Buffers.Values -> b.ToArray() ] @ [ for i in s.Inner do yield! snapshot i ]

    [<Property(MaxTest = 100)>]
    let ``Optimizer steps never mutate their inputs`` () : Property =
        Prop.forAll (Arb.fromGen optimizerCase) (fun (opt, q, warm) ->
            let layout = layoutOf q.N
            let mutable theta = parameters layout q.X0
            let mutable state = opt.Init theta
            for _ in 1 .. warm do
                let struct (t, s) = opt.Step(theta, parameters layout (gradientAt q (theta.ToArray())), state)
                theta <- t
                state <- s
            let g = parameters layout (gradientAt q (theta.ToArray()))
            let before = theta.ToArray(), g.ToArray(), state.Count, snapshot state
            opt.Step(theta, g, state) |> ignore
            let after = theta.ToArray(), g.ToArray(), state.Count, snapshot state
            (before = after) |> Prop.label (string opt))

    [<Property(MaxTest = 100)>]
    let ``Same inputs give bit-identical outputs`` () : Property =
        Prop.forAll (Arb.fromGen optimizerCase) (fun (opt, q, steps) ->
            let run () =
                let layout = layoutOf q.N
                let mutable theta = parameters layout q.X0
                let mutable state = opt.Init theta
                for _ in 0 .. steps do
                    let struct (t, s) = opt.Step(theta, parameters layout (gradientAt q (theta.ToArray())), state)
                    theta <- t
                    state <- s
                theta, state
            let t1, s1 = run ()
            let t2, s2 = run ()
            // Parameters and OptimizerState compare bit for bit; the counts must be steps + 1.
            (t1.Equals t2 && s1.Equals s2 && s1.Count = int64 (steps + 1)) |> Prop.label (string opt))

    [<Property(MaxTest = 100)>]
    let ``Clip by global norm returns g when its norm is at most c and c g over its norm otherwise`` () : Property =
        let gen = Gen.zip quadratic (uniform 0.01 10.0)
        Prop.forAll (Arb.fromGen gen) (fun (q, c) ->
            let layout = layoutOf q.N
            let g = parameters layout (Array.map (fun x -> 3.0 * x) q.X0)
            let clip = ClipByGlobalNorm(c)
            let struct (u, s) = clip.Update(g, clip.Init g, g)
            let n = g.Norm()
            // ‖u‖ = c·(1 ± n·2⁻⁵³) when clipped (norm, quotient and scaling: ≤ 2n + 2 roundings ≤ 12·1.1e-16 ≈ 1.3e-15); 1e-14 margin.
            let ok =
                if n <= c then u.Equals g
                else abs (u.Norm() - c) <= 1e-14 * c && abs (u.Dot g - c * n) <= 1e-14 * c * n
            (ok && s.Count = 1L) |> Prop.label $"‖g‖ = {n}, c = {c}, ‖u‖ = {u.Norm()}")
