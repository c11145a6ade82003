namespace MathDnn.Properties

open System
open System.Diagnostics
open System.Text.RegularExpressions
open Xunit
open FsCheck

/// Runs FsCheck properties inside xunit facts and theories — for the properties that are not `[<Property>]` tests
/// (FsCheck.Xunit's attribute, which names the test and prints its replay seed itself): the xunit theories over
/// catalogues (LossProperties, LossConvexityProperties) and the checker's own tests (CheckerProperties). A failure
/// throws with the statement's name (the calling [<Fact>]'s name, which cites the spec), FsCheck's seed and replay
/// triple, the failing property's label and the counterexample.
/// To replay a failure, put `Check.replay (seed, gamma, size)` (printed on the failure's "Replay:" line) in place of
/// `Check.cases n`.
module Check =
    /// The name of the nearest [<Fact>] method on the call stack: the statement the property checks (the project
    /// compiles without tail calls so that the fact's frame is always there).
    let private statementName () =
        StackTrace().GetFrames()
        |> Array.tryPick (fun frame ->
            match frame.GetMethod() with
            | null -> None
            | m when m.IsDefined(typeof<FactAttribute>, true) -> Some m.Name
            | _ -> None)
        |> Option.defaultValue "(a property outside a [<Fact>])"

    /// The (seed, gamma, size) of the failing step in an FsCheck failure message: "Last step was invoked with size of
    /// N and seed of (A,B)" — FsCheck prints its "Replay directly at failing step" line only after the first step.
    let replayTriple (message: string) : (uint64 * uint64 * int) option =
        let m = Regex.Match(message, @"Last step was invoked with size of (\d+) and seed of \((\d+),\s*(\d+)\)")
        if m.Success then Some(UInt64.Parse m.Groups[2].Value, UInt64.Parse m.Groups[3].Value, Int32.Parse m.Groups[1].Value)
        else None

    let private run (name: string) (config: Config) (property: Property) =
        try
            Check.One(config.WithName(name), property)
        with e ->
            let replay =
                match replayTriple e.Message with
                | Some(seed, gamma, size) -> $"{Environment.NewLine}Replay: Check.replay ({seed}UL, {gamma}UL, {size}) reproduces the failing step."
                | None -> ""
            raise (Exception($"Property \"{name}\" failed.{replay}{Environment.NewLine}{e.Message}", e))

    /// Checks `property` on `cases` random instances (at least 100 where the issue asks it).
    let cases (n: int) (property: Property) =
        run (statementName ()) (Config.QuickThrowOnFailure.WithMaxTest(n)) property

    /// Re-runs the failing step of a property from the triple (seed, gamma, size) that a failure message prints.
    let replay (seed: uint64, gamma: uint64, size: int) (property: Property) =
        let config = Config.QuickThrowOnFailure.WithMaxTest(1).WithReplay(Some { Rnd = Rnd(seed, gamma); Size = Some size })
        run (statementName ()) config property
