namespace MathDnn.Properties

open System.IO
open System.Text.RegularExpressions
open Xunit
open MathDnn.Jacobians
open MathDnn.Losses
open MathDnn.FSharp

/// The README's F# structured-Jacobian example, compiled and run here; a second test checks the README shows exactly
/// this code (the block after `<!-- jacobians-fsharp -->`).
module ReadmeJacobiansFSharp =
    [<Fact>]
    let ``README F# structured Jacobians: J_N(x) as a chain of factors, jvp, vjp, per-sample and clipped gradients (003 Thm 1.3, Props 2.1, 2.2, 4.1-4.3, 5.2)`` () =
        // README jacobians-fsharp begin
        // A 4 → 8 → 3 classifier (003 Def 5.1) and one sample x.
        let net = [ Layer.dense 4 8; Activation.tanh; Layer.dense 8 3; Activation.softmax ] |> Network.create 4 42
        let x = vector [ 0.5; -1.0; 2.0; 0.1 ]

        // J_N(x) = J_𝓢·W₂·diag(tanh′)·W₁ kept as structured factors (003 Thm 1.3, Props 2.1, 2.2, 4.1).
        let j = net |> Network.inputJacobianMap x
        printfn "%s" (String.concat " · " (LinearMap.structure j))
        printfn "cheapest order %s" (j |> LinearMap.plan JacobianOrder.Auto).Association

        // Forward and reverse mode without forming J; the 3×4 matrix, multiplied out in any order.
        let jv = j |> LinearMap.jvp (vector [ 1.0; 0.0; 0.0; 0.0 ])   // J·vᵀ = ∂N/∂x₁
        let uj = j |> LinearMap.vjp (vector [ 0.0; 1.0; 0.0 ])        // u·J = ∇ₓ N₂(x)
        let jx = j |> LinearMap.toMatrix
        let fromInput = net |> Network.inputJacobianIn JacobianOrder.FromInput x

        // Per-sample gradients of the objective (003 Def 5.2), their norms, and the clipped sum of DP-SGD.
        let xs = matrix [ [ 0.5; -1.0; 2.0; 0.1 ]; [ -0.3; 0.8; 0.0; 1.2 ] ]
        let ys = matrix [ [ 1.0; 0.0; 0.0 ]; [ 0.0; 0.0; 1.0 ] ]
        let g = Objective.perSampleGradients Loss.categoricalCrossEntropy net xs ys     // 2 × |θ|
        let clipped, norms = Objective.clippedGradientSum Loss.categoricalCrossEntropy 0.5 net xs ys
        printfn "‖g₁‖ = %.4f, ‖g₂‖ = %.4f" norms[0] norms[1]
        // README jacobians-fsharp end

        // The chain: softmax, W₂, diag(tanh′), W₁.
        Assert.Equal<string list>([ "softmax diag(s) − sᵀs 3"; "dense 3×8"; "diagonal 8"; "dense 8×4" ], LinearMap.structure j)
        // Every form is J_N(x): the same matrix up to the rounding of a 4-factor product of width ≤ 8 (≪ 1e-12 here).
        let reference = Network.inputJacobian x net
        for m in [ jx; fromInput ] do
            Assert.True(Matrix.maxAbs (m - reference) < 1e-12, $"{m} vs {reference}")
        Assert.True((jv - reference.Column 0).AbsoluteMaximum() < 1e-12)
        Assert.True((uj - reference.Row 1).AbsoluteMaximum() < 1e-12)
        // The rows of g sum to the Sum-reduction gradient; the norms are theirs; the clipped sum scales each by min(1, c/‖gᵢ‖).
        // Each side sums at most |θ| = 67 terms of size O(1) through a 2-layer chain of width ≤ 8: rounding ≤ 2·(67 + 16)·ε
        // ≈ 4e-14 relative, well inside 1e-12 for entries and norms of order 1.
        let total = Objective.gradient Loss.categoricalCrossEntropy Reduction.Sum net xs ys |> Parameters.toVector
        Assert.True((g.ColumnSums() - total).AbsoluteMaximum() < 1e-12)
        for i in 0 .. 1 do
            Assert.True(abs (g.Row(i).L2Norm() - norms[i]) < 1e-12)
        let expected = g.TransposeThisAndMultiply(norms.Map(fun n -> min 1.0 (0.5 / n)))
        Assert.True((expected - Parameters.toVector clipped).AbsoluteMaximum() < 1e-12)

    let private repositoryRoot () = ReadmeExamples.repositoryRoot ()
    let private normalize (code: string) = ReadmeExamples.normalize code

    [<Fact>]
    let ``README shows exactly the F# structured-Jacobian example that runs`` () =
        let root = repositoryRoot ()
        let readme = File.ReadAllText(Path.Combine(root, "README.md"))
        let source = File.ReadAllText(Path.Combine(root, "properties", "MathDnn.Properties", "ReadmeJacobiansFSharp.fs"))
        let inReadme = Regex.Match(readme.Replace("\r", ""), "<!-- jacobians-fsharp -->\\s*```fsharp\\n(.*?)```", RegexOptions.Singleline)
        let inTest = Regex.Match(source.Replace("\r", ""), "// README jacobians-fsharp begin\\n(.*?)\\s*// README jacobians-fsharp end", RegexOptions.Singleline)
        Assert.True(inReadme.Success, "README.md has no ```fsharp block after <!-- jacobians-fsharp -->")
        Assert.True(inTest.Success)
        Assert.Equal(normalize inTest.Groups[1].Value, normalize inReadme.Groups[1].Value)
