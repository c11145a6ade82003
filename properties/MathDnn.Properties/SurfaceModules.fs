namespace MathDnn.Properties

open System
open System.Reflection
open Xunit
open Microsoft.FSharp.Core.CompilerServices
open MathDnn.FSharp
open MathDnn.FSharp.LinearAlgebra
open MathDnn.FSharp.Vector
open MathDnn.FSharp.Matrix
open MathDnn.FSharp.LinearMap
open MathDnn.FSharp.Calculus
open MathDnn.FSharp.Layer
open MathDnn.FSharp.Dense
open MathDnn.FSharp.Network
open MathDnn.FSharp.Objective
open MathDnn.FSharp.Parameters
open MathDnn.FSharp.Schedule
open MathDnn.FSharp.Optimizer
open MathDnn.FSharp.Dataset
open MathDnn.FSharp.Training

/// Opening the F# surface's modules never shadows FSharp.Core: every module that can be opened is opened above (the
/// two that cannot, Activation and Loss, require qualified access), and the scalar functions still are FSharp.Core's.
module SurfaceModules =
    [<Fact>]
    let ``with every openable module of MathDnn.FSharp open, tanh, id, log, exp, max and abs are still FSharp.Core's`` () =
        // Each would fail to compile (FS0001/FS0003) if an opened module shadowed it with a non-function or a non-float one.
        Assert.Equal(Math.Tanh 0.5, tanh 0.5)
        Assert.Equal(3, id 3)
        Assert.Equal(0.0, log 1.0)
        Assert.Equal(Math.Exp 1.0, exp 1.0)
        Assert.Equal(2, max 1 2)
        Assert.Equal(1.5, abs -1.5)
        // The activations and losses stay reachable qualified, as the pipeline style writes them.
        let net = [ Layer.dense 2 3; Activation.tanh; Layer.dense 3 2; Activation.softmax ] |> Network.create 2 1
        Assert.Equal<int list>([ 2; 3; 3; 2; 2 ], Network.widths net)
        Assert.Equal(Math.Log 2.0, Loss.value Loss.log (vector [ 0.0; 0.0 ]) (vector [ 1.0; 0.0 ]), 15)

    let private isModule (t: Type) =
        t.GetCustomAttributes<CompilationMappingAttribute>()
        |> Seq.exists (fun a -> a.SourceConstructFlags &&& SourceConstructFlags.KindMask = SourceConstructFlags.Module)

    let private sourceNames (t: Type) =
        let methods =
            t.GetMethods(BindingFlags.Public ||| BindingFlags.Static)
            |> Array.map (fun m ->
                match m.GetCustomAttribute<CompilationSourceNameAttribute>() with
                | null -> m.Name
                | a -> a.SourceName)
        let properties = t.GetProperties(BindingFlags.Public ||| BindingFlags.Static) |> Array.map (fun p -> p.Name)
        Set.ofArray (Array.append methods properties)

    [<Fact>]
    let ``no module of MathDnn.FSharp that can be opened defines a name of FSharp.Core's auto-opened modules`` () =
        let autoOpened (a: Assembly) =
            a.GetExportedTypes()
            |> Array.filter (fun t -> isModule t && t.IsDefined(typeof<AutoOpenAttribute>, false))
        let core = autoOpened typeof<list<int>>.Assembly |> Array.map sourceNames |> Set.unionMany
        Assert.Contains("tanh", core)
        Assert.Contains("id", core)
        let surface = Assembly.Load "MathDnn.FSharp"
        let modules = surface.GetExportedTypes() |> Array.filter isModule
        let openable = modules |> Array.filter (fun t -> not (t.IsDefined(typeof<RequireQualifiedAccessAttribute>, false)))
        // Activation (tanh, identity) and Loss (log) require qualified access; the others are open to `open`.
        Assert.Equal<string list>([ "Activation"; "Loss" ],
                                  modules |> Array.except openable |> Array.map (fun t -> t.Name) |> Array.sort |> List.ofArray)
        Assert.True(openable.Length >= 10, sprintf "%d openable modules" openable.Length)
        let clashes =
            [ for t in openable do
                for name in Set.intersect (sourceNames t) core -> $"{t.Name}.{name}" ]
        Assert.Empty clashes

    [<Fact>]
    let ``Optimizer.sgd 0.25 takes the float learning rate: one step is θ − 0.25·g, the same as sgdWith (Schedule.constant 0.25)`` () =
        let layers = [ Layer.dense 1 1 ]
        let layout = Network.layoutOf 1 layers
        let theta = Parameters.ofVector layout (vector [ 1.0; 2.0 ])
        let g = Parameters.ofVector layout (vector [ 4.0; -8.0 ])
        let stepWith optimizer =
            let next, _ = Optimizer.step optimizer theta g (Optimizer.init theta optimizer)
            next |> Parameters.toVector |> Vector.toArray
        // θ − 0.25·g = (1 − 1, 2 + 2) = (0, 4), exact in binary.
        Assert.Equal<float[]>([| 0.0; 4.0 |], stepWith (Optimizer.sgd 0.25))
        Assert.Equal<float[]>([| 0.0; 4.0 |], stepWith (Optimizer.sgdWith (Schedule.constant 0.25)))
        // Adam from a float and from the constant schedule: bit-identical steps.
        Assert.Equal<float[]>(stepWith (Optimizer.adamWith (Schedule.constant 0.01)), stepWith (Optimizer.adam 0.01))
