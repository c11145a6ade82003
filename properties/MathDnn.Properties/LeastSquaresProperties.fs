namespace MathDnn.Properties

open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.LeastSquares
open MathDnn.Metrics

/// Properties of least squares and ridge (002 Sections 9–10, eq. 20) and of the classification metrics (002 Section 8.1).
module LeastSquaresProperties =
    /// ε = 2⁻⁵², the unit roundoff scale of double.
    let eps = OrdinaryLeastSquares.Epsilon

    // ---- generators (local to this file) ----

    /// A number in [-1, 1] on a grid of step 1e-6.
    let unit = Gen.choose (-1000000, 1000000) |> Gen.map (fun k -> float k / 1e6)

    /// A least-squares problem (X, y): X is n×p with p ∈ [1, 5], n ∈ [p + 1, p + 15] and entries in sx·[-1, 1];
    /// y ∈ (sy·[-1, 1])ⁿ; the scales sx, sy ∈ {1e-3, 1, 1e3} exercise the scale-awareness of the tolerances.
    /// Only X with κ(X) = σ_max/σ_min ≤ maxCondition is kept (well-conditioned: random X of this shape rarely exceeds it).
    let problem (maxCondition: float) =
        gen {
            let! p = Gen.choose (1, 5)
            let! n = Gen.choose (p + 1, p + 15)
            let! xs = Gen.arrayOfLength (n * p) unit
            let! ys = Gen.arrayOfLength n unit
            let! sx = Gen.elements [ 1e-3; 1.0; 1e3 ]
            let! sy = Gen.elements [ 1e-3; 1.0; 1e3 ]
            let x = Matrix<float>.Build.Dense(n, p, fun i j -> sx * xs.[i * p + j])
            let y = Vector<float>.Build.Dense(n, fun i -> sy * ys.[i])
            return x, y
        }
        |> Gen.filter (fun (x, _) -> x.ConditionNumber() <= maxCondition)

    /// σ_max and κ of X from its singular values.
    let conditioning (x: Matrix<float>) =
        let s = OrdinaryLeastSquares.SingularValues x
        s.[0], s.[0] / s.[s.Count - 1]

    // ---- least squares ----

    [<Property(MaxTest = 200)>]
    let ``002 eq. 20 least squares by QR agrees with the normal-equation solution on well-conditioned X`` () : Property =
        Prop.forAll (Arb.fromGen (problem 1e3)) (fun (x, y) ->
            let n, p = float x.RowCount, float x.ColumnCount
            let sMax, kappa = conditioning x
            let bQr = OrdinaryLeastSquares.Solve(x, y)
            let bNe = OrdinaryLeastSquares.SolveNormalEquations(x, y)
            // Normal equations, to first order (u = ε/2, ‖|X|‖ ≤ √p·‖X‖): forming XᵀX perturbs it by ≤ n·u·p·‖X‖², the
            // Cholesky factorisation and the two triangular solves add ≤ ((p + 1)·u·p + 2·p·u)·‖X‖², and forming Xᵀy
            // perturbs it by ≤ n·u·√p·‖X‖‖y‖: together ≤ γ·‖X‖² and γ·‖X‖‖y‖ with γ = p·(n + p + 3)·u. Through
            // (XᵀX)⁻¹, of norm 1/σ_min², β moves by γ·κ²·(‖β‖ + ‖y‖/σ_max). QR's own error, γ·(κ + κ²·‖r‖/(‖X‖‖β‖))·‖β‖,
            // is at most as large: 2γ = p·(n + p + 3)·ε bounds the difference.
            let tol = p * (n + p + 3.0) * eps * kappa * kappa * (bQr.L2Norm() + y.L2Norm() / sMax)
            let err = (bQr - bNe).L2Norm()
            err <= tol |> Prop.label (sprintf "n=%g p=%g κ=%g ‖β_qr − β_ne‖=%g tol=%g" n p kappa err tol))

    [<Property(MaxTest = 200)>]
    let ``002 eq. 20 least-squares residual is orthogonal to the columns of X`` () : Property =
        MathDnn.Testing.Verify.Spec("002 eq. 20")

    [<Property(MaxTest = 100)>]
    let ``002 Section 10 ridge shrinks the norm of beta monotonically as lambda grows`` () : Property =
        let gen =
            gen {
                let! x, y = problem 1e3
                // λ₀ = 0 (least squares), then five increasing penalties; each step adds σ_max²·10^u, u ∈ [-4, 1],
                // so the steps range from negligible to dominant relative to XᵀX.
                let! us = Gen.arrayOfLength 5 (Gen.choose (-4000, 1000) |> Gen.map (fun k -> float k / 1000.0))
                return x, y, us
            }
        Prop.forAll (Arb.fromGen gen) (fun (x, y, us) ->
            let n, p = float x.RowCount, float x.ColumnCount
            let sMax, kappa = conditioning x
            let lambdas = us |> Array.scan (fun l u -> l + sMax * sMax * 10.0 ** u) 0.0
            let norms = lambdas |> Array.map (fun l -> (Ridge.Solve(x, y, l)).L2Norm())
            // Exactly, ‖β(λ)‖² = Σᵢ (σᵢ·uᵢᵀy/(σᵢ² + λ))² is non-increasing in λ. κ([X; √λ·I]) ≤ κ(X) for λ ≥ 0, so each
            // computed norm carries a relative error ≤ γ·κ² with γ = (n + p)·p·ε (the augmented matrix has n + p rows);
            // two of them are compared: 2·γ·κ².
            let tol = 2.0 * (n + p) * p * eps * kappa * kappa
            let pairs = Array.pairwise norms
            pairs |> Array.forall (fun (a, b) -> b <= a * (1.0 + tol))
            |> Prop.label (sprintf "λ=%A ‖β‖=%A tol=%g" lambdas norms tol))

    // ---- classification metrics ----

    [<Property(MaxTest = 200)>]
    let ``002 Section 8.1 micro-averaged precision equals recall equals accuracy for single-label data`` () : Property =
        MathDnn.Testing.Verify.Spec("002 Section 8.1", "micro precision")

    /// F lies in [min(p, r), max(p, r)] up to its rounding: 2·p·r/(p + r) takes four correctly rounded operations,
    /// a relative error ≤ 4·ε/2 = 2ε.
    let fBetween (s: ClassScores) =
        let lo, hi = min s.Precision s.Recall, max s.Precision s.Recall
        s.FScore >= lo * (1.0 - 2.0 * eps) && s.FScore <= hi * (1.0 + 2.0 * eps)

    [<Property(MaxTest = 200)>]
    let ``002 Section 8.1 F-score lies between min(p, r) and max(p, r) per class and micro-averaged`` () : Property =
        MathDnn.Testing.Verify.Spec("002 Section 8.1", "F-score")

    [<Property(MaxTest = 200)>]
    let ``002 Section 8.1 F-score of any precision and recall lies between them`` () : Property =
        let pr = Gen.zip (Gen.choose (0, 1000000)) (Gen.choose (0, 1000000)) |> Gen.map (fun (a, b) -> float a / 1e6, float b / 1e6)
        Prop.forAll (Arb.fromGen pr) (fun (p, r) ->
            let f = PrecisionRecall.FScore(p, r)
            fBetween (ClassScores(p, r, f, 0)) |> Prop.label (sprintf "p=%g r=%g F=%g" p r f))
