namespace MathDnn.Properties

open System
open System.IO
open System.Text.RegularExpressions
open Xunit
open MathDnn.Activations
open MathDnn.Data
open MathDnn.IO
open MathDnn.Testing
open MathDnn.FSharp

// README own-layer-fsharp-definition begin
/// Mish, f(z) = z·tanh(softplus z), f′(z) = tanh(sp) + z·σ(z)·(1 − tanh²(sp)) with sp = softplus z: an element-wise
/// activation as an object with f and f′, generic over the element type (F# infers the constraints from the interface).
type Mish() =
    interface IElementwiseDefinition with
        member _.Name = "mish"
        member _.Value(z: 'T) : 'T =
            let softplus : 'T = 'T.Max(z, 'T.Zero) + Softplus.LogOnePlus('T.Exp(-'T.Abs z))   // log(1 + eᶻ), stably
            z * 'T.Tanh softplus
        member _.Derivative(z: 'T, _y: 'T) : 'T =
            let softplus : 'T = 'T.Max(z, 'T.Zero) + Softplus.LogOnePlus('T.Exp(-'T.Abs z))
            let t = 'T.Tanh softplus
            let slope : 'T = z * Sigmoid.Logistic z
            t + slope * ('T.One - t * t)
// README own-layer-fsharp-definition end

/// The README's F# "Your own layer" example, compiled and run here; a second test checks the README shows exactly this code.
module ReadmeOwnLayerFSharp =
    [<Fact>]
    let ``README F# own layer: defined, checked in one call, trained, saved and loaded (003 Prop 5.1, Thm 1.3)`` () =
        // README own-layer-fsharp begin
        let mish = Activation.ofDefinition (Mish())

        // The kit's one-call check (Jacobian, backward, batch, float32, purity, determinism), 100 generated points.
        Verify.Check(Verify.Primitive mish, 100)

        // It composes in the pipeline and trains like relu.
        let train, test = BuiltInData.Digits() |> Dataset.split 0.2 42
        let net = [ Layer.dense 64 32; mish; Layer.dense 32 10; Activation.softmax ] |> Network.create 64 1
        let options =
            Training.options Loss.categoricalCrossEntropy (Optimizer.adam 0.01) |> Training.epochs 20 |> Training.batch 32 |> Training.seed 1
        let model = (net |> Training.fit options train).Model
        let _, accuracy = model |> Training.evaluate Loss.categoricalCrossEntropy test

        // Saved and read back through a registry that knows the name "mish".
        let registry = LayerRegistry()
        registry.Register("mish", fun _ -> mish)
        let json = ModelFile.ToJson(SavedModel(model, "categorical-cross-entropy"), registry)
        let loaded = ModelFile.FromJson(json, "mish.json", registry).Network
        printfn "test accuracy %.2f %%; reloaded outputs equal: %b" (100.0 * Option.get accuracy) (loaded.Forward test.Inputs = model.Forward test.Inputs)
        // README own-layer-fsharp end

        Assert.True(Option.get accuracy >= 0.95, $"test accuracy {Option.get accuracy}")
        Assert.Equal<float>(model.Parameters.ToArray(), loaded.Parameters.ToArray())
        Assert.Equal(model.Forward test.Inputs, loaded.Forward test.Inputs)

    [<Fact>]
    let ``README shows exactly the F# own-layer code that runs`` () =
        let rec root (dir: DirectoryInfo | null) =
            match dir with
            | null -> failwith "MathDnn.sln not found above the test binaries."
            | d when File.Exists(Path.Combine(d.FullName, "MathDnn.sln")) -> d.FullName
            | d -> root d.Parent
        let top = root (DirectoryInfo AppContext.BaseDirectory)
        let readme = File.ReadAllText(Path.Combine(top, "README.md"))
        let source = File.ReadAllText(Path.Combine(top, "properties", "MathDnn.Properties", "ReadmeOwnLayerFSharp.fs"))
        let normalize (s: string) = s.Replace("\r", "").Split('\n') |> Array.map (fun l -> l.Trim()) |> Array.filter (fun l -> l <> "") |> String.concat "\n"
        for marker, region in [ "own-layer-fsharp-definition", "own-layer-fsharp-definition"; "own-layer-fsharp", "own-layer-fsharp" ] do
            let inReadme = Regex.Match(readme, $"<!-- {marker} -->\\s*```fsharp\\n(.*?)```", RegexOptions.Singleline)
            let inTest = Regex.Match(source, $"// README {region} begin\\n(.*?)\\s*// README {region} end", RegexOptions.Singleline)
            Assert.True(inReadme.Success, $"README.md has no ```fsharp block after <!-- {marker} -->")
            Assert.True(inTest.Success, $"no region {region}")
            Assert.Equal(normalize inTest.Groups[1].Value, normalize inReadme.Groups[1].Value)
