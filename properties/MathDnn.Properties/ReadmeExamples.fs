namespace MathDnn.Properties

open System.IO
open System.Text.RegularExpressions
open Xunit
open MathDnn.Data
open MathDnn.FSharp

/// The README's F# quick start, compiled and run here; a second test checks the README shows exactly this code.
module ReadmeExamples =
    [<Fact>]
    let ``F# quick start trains 003 Def 5.1 N_c+ on the UCI digits to at least 97 percent`` () =
        // README quickstart-fsharp begin
        // 𝒩_c+ : 64 → 64 → 32 → 10 (003 Def 5.1), built as a pipeline of layers.
        let net = [ Layer.dense 64 64; Activation.relu; Layer.dense 64 32; Activation.relu; Layer.dense 32 10; Activation.softmax ] |> Network.create 64 42

        // The embedded UCI digits, split 80/20 with the classes stratified.
        let train, test = BuiltInData.Digits() |> Dataset.split 0.2 42

        // SGD with momentum and decay (003's abstract), 30 epochs of seeded mini-batches of 32.
        let options =
            Training.options Loss.categoricalCrossEntropy (Optimizer.kerasSgd 0.05 0.9 1e-4)
            |> Training.epochs 30 |> Training.batch 32 |> Training.seed 42

        let result = net |> Training.fit options train
        let testLoss, testAccuracy = result.Model |> Training.evaluate Loss.categoricalCrossEntropy test
        printfn "test loss %.4f, test accuracy %.2f %%" testLoss (100.0 * Option.get testAccuracy)
        // README quickstart-fsharp end
        Assert.True(Option.get testAccuracy >= 0.97, sprintf "test accuracy %f" (Option.get testAccuracy))
        Assert.Equal(30, result.History.Count)

    let internal repositoryRoot () =
        let rec up (dir: DirectoryInfo | null) =
            match dir with
            | null -> failwith "MathDnn.sln not found above the test binaries"
            | d when File.Exists(Path.Combine(d.FullName, "MathDnn.sln")) -> d.FullName
            | d -> up d.Parent
        up (DirectoryInfo System.AppContext.BaseDirectory)

    let internal normalize (code: string) =
        code.Replace("\r", "").Split('\n') |> Array.map (fun l -> l.Trim()) |> Array.filter (fun l -> l.Length > 0) |> String.concat "\n"

    [<Fact>]
    let ``README shows exactly the F# quick start that runs`` () =
        let root = repositoryRoot ()
        let readme = File.ReadAllText(Path.Combine(root, "README.md"))
        let source = File.ReadAllText(Path.Combine(root, "properties", "MathDnn.Properties", "ReadmeExamples.fs"))
        let inReadme = Regex.Match(readme, "<!-- quickstart-fsharp -->\\s*```fsharp\\n(.*?)```", RegexOptions.Singleline)
        let inTest = Regex.Match(source, "// README quickstart-fsharp begin\\n(.*?)\\s*// README quickstart-fsharp end", RegexOptions.Singleline)
        Assert.True(inReadme.Success, "README.md has no ```fsharp block after <!-- quickstart-fsharp -->")
        Assert.True(inTest.Success)
        Assert.Equal(normalize inTest.Groups[1].Value, normalize inReadme.Groups[1].Value)
