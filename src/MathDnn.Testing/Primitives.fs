namespace MathDnn.Testing

open System
open System.Collections.Generic
open System.Globalization
open System.Reflection
open System.Runtime.CompilerServices
open System.Runtime.InteropServices
open System.Text
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Calculus
open MathDnn.Layers
open MathDnn.Networks
open MathDnn.FSharp

/// One instance of the primitive check: a batch X of `Rows` samples (row-major, `Rows`×`InputWidth`), the layer's
/// parameters θ (drawn by the layer's own Initialize, then perturbed), a cotangent U (`Rows`×`OutputWidth`) for the
/// backward pass, and the seed of the training step (Batch.Seed when Batch.Training is true).
[<StructuredFormatDisplay("{Display}")>]
type PrimitivePoint =
    { /// n, the width of a row of X.
      InputWidth: int
      /// m = the layer's OutputSize(n), the width of a row of Y and U.
      OutputWidth: int
      /// k, the number of samples (1..rows).
      Rows: int
      /// The batch, k×n row-major.
      X: float[]
      /// The layer's parameters, laid out as its ParameterShapes.
      Theta: float[]
      /// The cotangent of the backward pass, k×m row-major.
      U: float[]
      /// Batch.Seed of the training step.
      TrainingSeed: uint64 }

    /// `count` entries of `values` from `start` as "(a, b, …)", 17 significant digits: how X, U and θ rows are printed.
    static member Row(values: float[], start: int, count: int) =
        "(" + String.Join(", ", values[start .. start + count - 1] |> Array.map (fun v -> v.ToString("G17", CultureInfo.InvariantCulture))) + ")"

    /// X and U row by row and θ in full, entries to 17 significant digits (so the point can be pasted back).
    member this.Display =
        let sb = StringBuilder()
        sb.Append($"k = {this.Rows} rows of width {this.InputWidth} → {this.OutputWidth}, training seed {this.TrainingSeed}") |> ignore
        for s in 0 .. this.Rows - 1 do
            sb.Append($"{Environment.NewLine}  X[{s}] = {PrimitivePoint.Row(this.X, s * this.InputWidth, this.InputWidth)}") |> ignore
        for s in 0 .. this.Rows - 1 do
            sb.Append($"{Environment.NewLine}  U[{s}] = {PrimitivePoint.Row(this.U, s * this.OutputWidth, this.OutputWidth)}") |> ignore
        sb.Append($"{Environment.NewLine}  θ ({this.Theta.Length}) = {PrimitivePoint.Row(this.Theta, 0, this.Theta.Length)}") |> ignore
        sb.ToString()

    override this.ToString() = this.Display

/// The six checks of <see cref="PrimitiveCheck"/> (and Execution: the layer threw or wrote a non-finite value).
type PrimitiveCheckKind =
    /// 1. The input Jacobian (InputJacobians, and DiagonalJacobian when it returns true) and the parameter Jacobian
    /// implied by Backward against central differences of Forward (003 Thm 1.3, 003 Def 1.2).
    | Jacobian = 1
    /// 2. Backward against u·J: dX rows U_s·J(x_s) and the parameter gradient Σ_s U_s·J_θ(x_s), J by central differences.
    | Backward = 2
    /// 3. The batch against the samples one at a time (evaluation only).
    | BatchPerSample = 3
    /// 4. float32 against float64.
    | Float32 = 4
    /// 5. No argument span and nothing in the layer modified.
    | Purity = 5
    /// 6. Two identical calls give bit-identical results (and Backward without dX the same parameter gradient).
    | Determinism = 6
    /// The layer threw, or wrote a non-finite value (an entry left unwritten or accumulated into shows as NaN).
    | Execution = 7

/// One failed comparison of the primitive check: which check, in which mode, where, and both sides.
type PrimitiveFailure =
    { /// Which of the six checks (or Execution).
      Kind: PrimitiveCheckKind
      /// The check's title, e.g. "2. backward vs u·J".
      Check: string
      /// What was compared, e.g. "parameter gradient".
      Part: string
      /// "evaluation (Batch.Training = false)" or "training step (Batch.Training = true, Batch.Seed = …)".
      Mode: string
      /// The entry, e.g. "sample 1, J[2, 0] = ∂y[2]/∂x[0]" or "θ[15] = b[0]".
      Location: string
      /// What produced <see cref="Actual"/>: the layer's call, e.g. "InputJacobians", "Backward", "Forward&lt;float&gt;" ("" for a failure without numbers).
      ActualName: string
      /// The layer's value.
      Actual: float
      /// What produced <see cref="Expected"/>: the reference, e.g. "central difference of Forward", "Forward&lt;double&gt;".
      ExpectedName: string
      /// The reference value.
      Expected: float
      /// The derived bound on |Actual − Expected| (0 for bit-identity).
      Tolerance: float
      /// How the tolerance was derived, or what went wrong when there are no numbers.
      Note: string }

    /// |Actual − Expected| / Tolerance (∞ for NaN or a zero tolerance exceeded).
    member this.Excess =
        let d = abs (this.Actual - this.Expected)
        if Double.IsNaN d then Double.PositiveInfinity
        elif this.Tolerance > 0.0 then d / this.Tolerance
        elif d > 0.0 then Double.PositiveInfinity
        else 0.0

    /// The failure on a few lines: check, part and mode; the entry; both sides, |difference| and tolerance; the note.
    member this.Describe() =
        let f (v: float) = v.ToString("G17", CultureInfo.InvariantCulture)
        let nl = Environment.NewLine
        let sb = StringBuilder()
        sb.Append($"✗ {this.Check} — {this.Part}; {this.Mode}") |> ignore
        if this.Location <> "" then sb.Append($"{nl}    at {this.Location}") |> ignore
        if this.ActualName <> "" then
            sb.Append($"{nl}    {this.ActualName}: {f this.Actual}{nl}    {this.ExpectedName}: {f this.Expected}") |> ignore
            let g3 (v: float) = v.ToString("G3", CultureInfo.InvariantCulture)
            let diff = g3 (abs (this.Actual - this.Expected))
            let tol = g3 this.Tolerance
            sb.Append($"{nl}    |difference| = {diff} > tolerance {tol}") |> ignore
        if this.Note <> "" then sb.Append($"{nl}    {this.Note}") |> ignore
        sb.ToString()

    override this.ToString() = this.Describe()

/// What one call of the primitive check found: the layer, how many cases were checked (and re-drawn near kinks), how
/// many comparisons were made, and, when a case failed, that case's failures (the worst entry of each check, part and
/// mode) with its point.
type PrimitiveReport =
    { /// The layer: its name, type, settings and widths.
      Layer: string
      /// Points checked (including the failing one).
      Cases: int
      /// Points re-drawn because the central differences would have straddled a kink.
      Rejected: int
      /// Entries compared, over every check and both modes.
      Comparisons: int64
      /// The failing case's failures, the worst entry per check, part and mode (empty when every check passed).
      Failures: PrimitiveFailure[]
      /// The failing point (None when passed, or when the check gave up re-drawing).
      Point: PrimitivePoint option
      /// Why points were re-drawn (the last reason), or why the check gave up.
      RejectionReason: string }

    /// No failure.
    member this.Passed = this.Failures.Length = 0

    /// The report as a readable multi-line message: the layer, each failed check with its mode, entry, both sides and the
    /// tolerance, then the point (X and U row by row, θ).
    member this.Message =
        let nl = Environment.NewLine
        if this.Passed then
            $"PrimitiveCheck: {this.Layer} passed {this.Cases} cases ({this.Comparisons} comparisons in evaluation and training; {this.Rejected} points re-drawn near a kink)."
        else
            let sb = StringBuilder()
            let checks = this.Failures |> Array.map (fun f -> f.Check) |> Array.distinct |> String.concat ", "
            sb.Append($"PrimitiveCheck: {this.Layer} FAILED {checks} after {this.Cases} cases ({this.Rejected} points re-drawn near a kink):") |> ignore
            for f in this.Failures do sb.Append(nl).Append(f.Describe()) |> ignore
            match this.Point with
            | Some p -> sb.Append($"{nl}point: {p.Display}") |> ignore
            | None -> ()
            sb.ToString()

    override this.ToString() = this.Message

/// Thrown by <see cref="PrimitiveCheck.Assert"/> when a check fails; the message is the report's.
type PrimitiveCheckException(report: PrimitiveReport) =
    inherit Exception(report.Message)
    /// The failed report.
    member _.Report = report

/// The outcome of evaluating one point.
type internal PointOutcome =
    | Rejected of string
    | Evaluated of PrimitiveFailure[] * int64

/// The settings of one primitive check.
type internal PrimitiveSettings =
    { FixedWidth: int option
      MaxWidth: int
      MaxRows: int
      Bound: float
      CotangentBound: float
      Perturbation: float }

/// A field-by-field fingerprint of an object (private fields included, arrays by content, user objects and delegate
/// targets followed a few levels deep; System types other than arrays and strings by identity), to tell whether a call
/// changed a layer's value.
module internal LayerSnapshot =
    let private flags = BindingFlags.Instance ||| BindingFlags.Public ||| BindingFlags.NonPublic ||| BindingFlags.DeclaredOnly

    let rec private fieldsOf (t: Type | null) : FieldInfo list =
        match t with
        | null -> []
        | t when t = typeof<obj> -> []
        | t -> List.ofArray (t.GetFields flags) @ fieldsOf t.BaseType

    let private leaf (v: obj) =
        match v with
        | :? float as d -> let t = d.ToString("G17", CultureInfo.InvariantCulture) in $"{t} (bits {BitConverter.DoubleToInt64Bits d:X})"
        | :? float32 as f -> let t = f.ToString("G9", CultureInfo.InvariantCulture) in $"{t} (bits {BitConverter.SingleToInt32Bits f:X})"
        | _ -> match Convert.ToString(v, CultureInfo.InvariantCulture) with null -> "" | t -> t

    let private identity (v: obj) = $"{v.GetType().FullName}#{RuntimeHelpers.GetHashCode v}"

    let rec private walk (acc: ResizeArray<string * string>) (visited: HashSet<obj>) (path: string) (depth: int) (value: obj | null) =
        match value with
        | null -> acc.Add(path, "null")
        | v ->
            let t = v.GetType()
            match v with
            | :? string as s -> acc.Add(path, "\"" + s + "\"")
            | _ when t.IsPrimitive || t.IsEnum || t = typeof<decimal> -> acc.Add(path, leaf v)
            | _ when t.IsPointer || typeof<Type>.IsAssignableFrom t || typeof<MemberInfo>.IsAssignableFrom t -> acc.Add(path, identity v)
            | :? Array as a ->
                acc.Add(path + ".Length", string a.Length)
                if depth > 0 && a.Rank = 1 then
                    for i in 0 .. min (a.Length - 1) 4095 do walk acc visited $"{path}[{i}]" (depth - 1) (a.GetValue i)
            | _ when t.IsValueType ->
                if depth > 0 then for f in fieldsOf t do walk acc visited $"{path}.{f.Name}" (depth - 1) (f.GetValue v)
                else acc.Add(path, leaf v)
            | _ when not (visited.Add v) -> acc.Add(path, "(seen) " + identity v)
            | :? Delegate as d ->
                acc.Add(path + ".Method", string d.Method)
                if depth > 0 then walk acc visited (path + ".Target") (depth - 1) d.Target
            | _ when (match t.Namespace with null -> "" | ns -> ns).StartsWith("System", StringComparison.Ordinal) -> acc.Add(path, identity v)
            | _ when depth > 0 -> for f in fieldsOf t do walk acc visited $"{path}.{f.Name}" (depth - 1) (f.GetValue v)
            | _ -> acc.Add(path, identity v)

    /// The fingerprint: (path, value) pairs, 4 levels deep.
    let take (layer: Layer) : (string * string)[] =
        let acc = ResizeArray()
        walk acc (HashSet<obj>(ReferenceEqualityComparer.Instance)) "layer" 4 (box layer)
        acc.ToArray()

    /// A shallow copy made by the record's compiler-generated clone method (None when the type has none).
    let copy (layer: Layer) : Layer option =
        match layer.GetType().GetMethod("<Clone>$", BindingFlags.Instance ||| BindingFlags.Public) with
        | null -> None
        | m ->
            match m.Invoke(layer, [||]) with
            | :? Layer as copy -> Some copy
            | _ -> None

/// Raised inside the evaluation when a layer call throws; turned into an Execution failure.
exception internal LayerThrew of string * exn

/// Raised inside the evaluation to re-draw the point.
exception internal RejectPoint of string

/// The evaluation of one point: every call the kit makes goes through here, on fresh copies of its arguments, so that
/// a modified argument is detected (check 5) and cannot corrupt the other checks.
type internal PointEvaluation(layer: Layer, p: PrimitivePoint) =
    // ---- tolerances ----
    // u = unit roundoff (2⁻⁵³ for float64, 2⁻²⁴ for float32). A value computed by L-term reductions and element-wise
    // operations is, for a backward-stable pass, the exact value at inputs perturbed relatively by ≤ γ = (L + 2)·u
    // (Higham's γ_L for the sums, +2 for the final rounding and ≤ 1 ulp of a library function: exp, tanh, erfc), so its
    // error is ≤ γ·κ with κ = Σ_c |∂v/∂p_c|·|p_c| + |v| the componentwise condition of v in its inputs p (X, θ, and U for
    // the backward pass), measured here by central differences. The normwise floor max(1, ‖row‖∞) is added to κ for the
    // absolute rounding of intermediates a pass forms at the row's scale (1 − y² at y ≈ 1, u − ⟨u, s⟩ in softmax's
    // backward) that no componentwise condition of the result shows. L = n + m + k: the longest sum a layer forms runs
    // over the input width, the output width or the batch.
    let n, m, k = p.InputWidth, p.OutputWidth, p.Rows
    let count = p.Theta.Length
    let coords = k * n + count
    let reduction = float (n + m + k + 2)
    let u64 = Math.Pow(2.0, -53.0)
    let u32 = Math.Pow(2.0, -24.0)
    let gamma64 = reduction * u64
    let gamma32 = reduction * u32

    let thetaNames =
        let names = ResizeArray<string>()
        for shape in layer.ParameterShapes do
            if shape.IsVector || shape.Rows = 1 then
                for i in 0 .. shape.Length - 1 do names.Add($"{shape.Name}[{i}]")
            else
                for r in 0 .. shape.Rows - 1 do
                    for c in 0 .. shape.Columns - 1 do names.Add($"{shape.Name}[{r},{c}]")
        Array.init count (fun q -> if q < names.Count then $"θ[{q}] = {names[q]}" else $"θ[{q}]")

    let coordName (c: int) = if c < k * n then $"X[{c / n},{c % n}]" else thetaNames[c - k * n]

    // ---- failures, the worst per (check, part, mode) ----
    let worst = Dictionary<struct (PrimitiveCheckKind * string * string), PrimitiveFailure>()
    let order = ResizeArray<struct (PrimitiveCheckKind * string * string)>()
    let mutable comparisons = 0L

    let title (kind: PrimitiveCheckKind) =
        match kind with
        | PrimitiveCheckKind.Jacobian -> "1. Jacobian vs central differences (003 Thm 1.3, 003 Def 1.2)"
        | PrimitiveCheckKind.Backward -> "2. backward vs u·J (003 Thm 1.3)"
        | PrimitiveCheckKind.BatchPerSample -> "3. batch vs per-sample"
        | PrimitiveCheckKind.Float32 -> "4. float32 vs float64"
        | PrimitiveCheckKind.Purity -> "5. purity"
        | PrimitiveCheckKind.Determinism -> "6. determinism"
        | _ -> "the layer's calls"

    let add (f: PrimitiveFailure) =
        let key = struct (f.Kind, f.Part, f.Mode)
        match worst.TryGetValue key with
        | true, old when old.Excess >= f.Excess -> ()
        | true, _ -> worst[key] <- f
        | _ ->
            worst[key] <- f
            order.Add key

    let fail kind part mode location note =
        add { Kind = kind; Check = title kind; Part = part; Mode = mode; Location = location; ActualName = ""; Actual = nan
              ExpectedName = ""; Expected = nan; Tolerance = nan; Note = note }

    /// |actual − expected| ≤ tolerance (NaN fails).
    let check kind part mode location actualName (actual: float) expectedName (expected: float) (tolerance: float) note =
        comparisons <- comparisons + 1L
        if not (abs (actual - expected) <= tolerance) then
            add { Kind = kind; Check = title kind; Part = part; Mode = mode; Location = location; ActualName = actualName
                  Actual = actual; ExpectedName = expectedName; Expected = expected; Tolerance = tolerance; Note = note }

    let bitsEqual (a: float) (b: float) = BitConverter.DoubleToInt64Bits a = BitConverter.DoubleToInt64Bits b

    // ---- guarded calls ----
    let purityChecked = HashSet<string>()

    let checkUnchanged (mode: string) (call: string) (argument: string) (original: float[]) (after: float[]) =
        let key = call + "/" + argument + "/" + mode
        if not (purityChecked.Contains key) then
            comparisons <- comparisons + 1L
            match Array.tryFindIndex id (Array.map2 (fun a b -> not (bitsEqual a b)) original after) with
            | Some i ->
                purityChecked.Add key |> ignore
                add { Kind = PrimitiveCheckKind.Purity; Check = title PrimitiveCheckKind.Purity; Part = $"{call} modified its argument {argument}"
                      Mode = mode; Location = $"{argument}[{i}]"; ActualName = "after the call"; Actual = after[i]
                      ExpectedName = "before the call"; Expected = original[i]; Tolerance = 0.0
                      Note = "a layer must write only its outputs (Layer.Forward: \"must not write to anything but y\")" }
            | None -> ()

    let checkUnchanged32 (mode: string) (call: string) (argument: string) (original: float32[]) (after: float32[]) =
        checkUnchanged mode call argument (Array.map float original) (Array.map float after)

    let guard (call: string) (f: unit -> 'a) : 'a =
        try f () with
        | RejectPoint _ -> reraise ()
        | e -> raise (LayerThrew(call, e))

    let ro (a: 'T[]) = ReadOnlySpan<'T>(a)

    let finite (a: float[]) = a |> Array.forall Double.IsFinite
    let firstNonFinite (a: float[]) = a |> Array.findIndex (fun v -> not (Double.IsFinite v))

    let modeText (training: bool) =
        if training then $"training step (Batch.Training = true, Batch.Seed = {p.TrainingSeed})"
        else "evaluation (Batch.Training = false)"

    member _.Forward(mode: string, batch: Batch, theta: float[], x: float[]) : float[] =
        let t', x' = Array.copy theta, Array.copy x
        let y = Array.create (batch.Rows * batch.OutputWidth) nan
        guard "Forward<double>" (fun () -> layer.Forward<float>(ro t', ro x', Span<float>(y), batch))
        checkUnchanged mode "Forward<double>" "parameters" theta t'
        checkUnchanged mode "Forward<double>" "x" x x'
        y

    /// (dX, parameter gradient); dX skipped (an empty span) when `withDx` is false. Outputs start as NaN, so an entry
    /// left unwritten, or accumulated into, shows.
    member _.Backward(mode: string, batch: Batch, theta: float[], x: float[], y: float[], dy: float[], withDx: bool) : float[] * float[] =
        let t', x', y', dy' = Array.copy theta, Array.copy x, Array.copy y, Array.copy dy
        let dx = Array.create (if withDx then batch.Rows * batch.InputWidth else 0) nan
        let g = Array.create count nan
        guard "Backward<double>" (fun () ->
            layer.Backward<float>(ro t', ro x', ro y', ro dy', (if withDx then Span<float>(dx) else Span<float>.Empty), Span<float>(g), batch))
        checkUnchanged mode "Backward<double>" "parameters" theta t'
        checkUnchanged mode "Backward<double>" "x" x x'
        checkUnchanged mode "Backward<double>" "y" y y'
        checkUnchanged mode "Backward<double>" "dy" dy dy'
        dx, g

    member _.InputJacobians(mode: string, batch: Batch, theta: float[], x: float[], y: float[]) : float[] =
        let t', x', y' = Array.copy theta, Array.copy x, Array.copy y
        let j = Array.create (batch.Rows * batch.OutputWidth * batch.InputWidth) nan
        guard "InputJacobians<double>" (fun () -> layer.InputJacobians<float>(ro t', ro x', ro y', Span<float>(j), batch))
        checkUnchanged mode "InputJacobians<double>" "parameters" theta t'
        checkUnchanged mode "InputJacobians<double>" "x" x x'
        checkUnchanged mode "InputJacobians<double>" "y" y y'
        j

    member _.Diagonal(mode: string, batch: Batch, theta: float[], x: float[], y: float[]) : float[] option =
        let t', x', y' = Array.copy theta, Array.copy x, Array.copy y
        let d = Array.create (batch.Rows * batch.OutputWidth) nan
        let given = guard "DiagonalJacobian<double>" (fun () -> layer.DiagonalJacobian<float>(ro t', ro x', ro y', Span<float>(d), batch))
        checkUnchanged mode "DiagonalJacobian<double>" "parameters" theta t'
        checkUnchanged mode "DiagonalJacobian<double>" "x" x x'
        checkUnchanged mode "DiagonalJacobian<double>" "y" y y'
        if given then Some d else None

    member _.Forward32(mode: string, batch: Batch, theta: float32[], x: float32[]) : float32[] =
        let t', x' = Array.copy theta, Array.copy x
        let y = Array.create (batch.Rows * batch.OutputWidth) nanf
        guard "Forward<float>" (fun () -> layer.Forward<float32>(ro t', ro x', Span<float32>(y), batch))
        checkUnchanged32 mode "Forward<float>" "parameters" theta t'
        checkUnchanged32 mode "Forward<float>" "x" x x'
        y

    member _.Backward32(mode: string, batch: Batch, theta: float32[], x: float32[], y: float32[], dy: float32[]) : float32[] * float32[] =
        let t', x', y', dy' = Array.copy theta, Array.copy x, Array.copy y, Array.copy dy
        let dx = Array.create (batch.Rows * batch.InputWidth) nanf
        let g = Array.create count nanf
        guard "Backward<float>" (fun () -> layer.Backward<float32>(ro t', ro x', ro y', ro dy', Span<float32>(dx), Span<float32>(g), batch))
        checkUnchanged32 mode "Backward<float>" "parameters" theta t'
        checkUnchanged32 mode "Backward<float>" "x" x x'
        checkUnchanged32 mode "Backward<float>" "y" y y'
        checkUnchanged32 mode "Backward<float>" "dy" dy dy'
        dx, g

    // ---- the checks of one mode ----

    member this.CheckMode(training: bool) =
        let batch = Batch(k, n, m, training, (if training then p.TrainingSeed else 0UL))
        let mode = modeText training
        let y = this.Forward(mode, batch, p.Theta, p.X)
        if not (finite y) then
            let i = firstNonFinite y
            fail PrimitiveCheckKind.Execution "Forward<double> wrote a non-finite value" mode $"Y[{i / m},{i % m}] = {y[i]}"
                "every entry of y must be written with a finite value (the output starts as NaN: an entry left unwritten stays NaN)"
        else
            let dX, g = this.Backward(mode, batch, p.Theta, p.X, y, p.U, true)
            if not (finite dX && finite g) then
                let what, a, w = if not (finite dX) then "dX", dX, n else "the parameter gradient", g, max 1 count
                let i = firstNonFinite a
                fail PrimitiveCheckKind.Execution $"Backward<double> wrote a non-finite value in {what}" mode
                    (if what = "dX" then $"dX[{i / w},{i % w}] = {a[i]}" else $"{thetaNames[i]}: {a[i]}")
                    "every entry of dX and of the parameter gradient must be overwritten (they start as NaN: an entry left unwritten, or accumulated into, stays NaN)"
            else this.CheckAt(training, batch, mode, y, dX, g)

    member this.CheckAt(training: bool, batch: Batch, mode: string, y: float[], dX: float[], g: float[]) =
        let x, theta, u = p.X, p.Theta, p.U
        // Central differences of Forward in every coordinate c of (X, θ), at steps h = ε^{1/3}·max(1, |p_c|) and 2h
        // (FiniteDifferences.Step), with the same Batch (so a training step's draws are fixed); and of Backward at ±h,
        // for the condition of the backward pass.
        let values = Array.append x theta
        let at (c: int) (v: float) =
            if c < k * n then (let x' = Array.copy x in x'[c] <- v; x', theta)
            else (let t' = Array.copy theta in t'[c - k * n] <- v; x, t')
        let h = Array.zeroCreate coords
        let fd1 = Array.zeroCreate<float[]> coords
        let fd2 = Array.zeroCreate<float[]> coords
        let d4 = Array.zeroCreate<float[]> coords
        let bdx = Array.zeroCreate<float[]> coords
        let bg = Array.zeroCreate<float[]> coords
        for c in 0 .. coords - 1 do
            let pc = values[c]
            let h1 = FiniteDifferences.Step pc
            let h2 = FiniteDifferences.Step(pc, 2.0)
            h[c] <- h1
            let eval (v: float) = let x', t' = at c v in this.Forward(mode, batch, t', x'), x', t'
            let yp1, xp1, tp1 = eval (pc + h1)
            let ym1, xm1, tm1 = eval (pc - h1)
            let yp2, _, _ = eval (pc + h2)
            let ym2, _, _ = eval (pc - h2)
            fd1[c] <- Array.init (k * m) (fun r -> (yp1[r] - ym1[r]) / (2.0 * h1))
            fd2[c] <- Array.init (k * m) (fun r -> (yp2[r] - ym2[r]) / (2.0 * h2))
            d4[c] <- Array.init (k * m) (fun r -> yp2[r] - 4.0 * yp1[r] + 6.0 * y[r] - 4.0 * ym1[r] + ym2[r])
            let dxp, gp = this.Backward(mode, batch, tp1, xp1, yp1, u, true)
            let dxm, gm = this.Backward(mode, batch, tm1, xm1, ym1, u, true)
            bdx[c] <- Array.init (k * n) (fun r -> (dxp[r] - dxm[r]) / (2.0 * h1))
            bg[c] <- Array.init count (fun q -> (gp[q] - gm[q]) / (2.0 * h1))

        // The forward pass's rounding bound e_Y = γ·(κ_Y + max(1, ‖Y_s‖∞)), κ_Y = Σ_c |∂y/∂p_c|·|p_c| + |y|.
        let rowMax (a: float[]) (width: int) (r: int) = let s = r / width in Seq.init width (fun j -> abs (a[s * width + j])) |> Seq.fold max 1.0
        let magnitudeY = Array.init (k * m) (fun r -> (Seq.init coords (fun c -> abs (fd1[c][r]) * abs (values[c])) |> Seq.sum) + abs (y[r]) + rowMax y m r)
        let eY = magnitudeY |> Array.map (fun v -> gamma64 * v)

        // Points near a kink are re-drawn. The fourth difference Δ⁴ = y(p+2h) − 4y(p+h) + 6y − 4y(p−h) + y(p−2h) of a
        // smooth f is h⁴·f'''' (≈ 1e-21·f'''' at |p| ≤ 1), far below its rounding noise ≤ 16·e_Y (the coefficients' absolute
        // sum is 16); a kink or a jump of f′ (or f″) within 2h makes it of order h·|jump| (h²·|jump of f″|), far above.
        // So |Δ⁴| > 16·e_Y means that the central differences straddle a kink there: the analytic derivative is a one-sided
        // one and the comparison meaningless. This uses Forward alone, so it cannot hide a wrong derivative; a layer that
        // is not smooth almost everywhere is reported when most points are re-drawn.
        for c in 0 .. coords - 1 do
            for r in 0 .. k * m - 1 do
                if not (abs (d4[c][r]) <= 16.0 * (eY[r])) then
                    raise (RejectPoint(
                        $"{mode}: Forward is not smooth within the central differences' reach of {coordName c} = {values[c]:G17} "
                        + $"(fourth difference of Y[{r / m},{r % m}] {d4[c][r]:G3} > 16·e_Y = {16.0 * eY[r]:G3}): a kink, re-drawn"))

        // Central difference error: d₁ = f′ + T + R₁ with truncation T ≈ h²f‴/6 and rounding |R₁| ≤ e_Y/h; d₂ (step 2h)
        // = f′ + 4T + R₂, |R₂| ≤ e_Y/(2h). So D = d₂ − d₁ = 3T + R₂ − R₁ gives |T| ≤ (|D| + 1.5·e_Y/h)/3 and
        // |d₁ − f′| ≤ |D|/3 + 1.5·e_Y/h; the tolerance doubles it, |D| + 3·e_Y/h, for the O(h⁴) terms and because e_Y is a
        // first-order estimate.
        let tolFd (c: int) (r: int) = abs (fd2[c][r] - (fd1[c][r])) + 3.0 * (eY[r]) / h[c]
        let fdNote = "tolerance |d(2h) − d(h)| + 3·e_Y/h: truncation estimated from steps h and 2h, rounding e_Y = γ·(κ_Y + max(1, ‖Y_s‖∞)) of Forward, γ = (n + m + k + 2)·2⁻⁵³"

        // Entries a Jacobian hook left non-finite (it starts as NaN: an entry left unwritten stays NaN), counted.
        let unwritten (call: string) (a: float[]) =
            let bad = a |> Array.filter (fun v -> not (Double.IsFinite v)) |> Array.length
            if bad > 0 then
                fail PrimitiveCheckKind.Execution $"{call} left entries non-finite" mode $"{bad} of {a.Length} entries"
                    "every entry must be written with a finite value (the output starts as NaN: an entry left unwritten stays NaN)"
        // 1a. InputJacobians against the central differences, and 1b. a sample's output does not depend on another row.
        let jac = this.InputJacobians(mode, batch, theta, x, y)
        unwritten "InputJacobians<double>" jac
        for s in 0 .. k - 1 do
            for j in 0 .. n - 1 do
                let c = s * n + j
                for s' in 0 .. k - 1 do
                    for i in 0 .. m - 1 do
                        let r = s' * m + i
                        if s' = s then
                            check PrimitiveCheckKind.Jacobian "input Jacobian from InputJacobians<double>" mode
                                $"sample {s}, J[{i}, {j}] = ∂y[{i}]/∂x[{j}]" "InputJacobians" (jac[s * m * n + i * n + j])
                                "central difference of Forward" (fd1[c][r]) (tolFd c r) fdNote
                        else
                            check PrimitiveCheckKind.Jacobian "rows independent (one sample per row, 003 Convention 2)" mode
                                $"∂Y[{s'},{i}]/∂X[{s},{j}]" "required" 0.0 "central difference of Forward" (fd1[c][r]) (tolFd c r) fdNote
        // 1c. The diagonal hook, when the layer says its Jacobian is diagonal: diag(d_s) against the central differences.
        let diagonal = if m = n then this.Diagonal(mode, batch, theta, x, y) else None
        if m = n then
            match diagonal with
            | Some d ->
                unwritten "DiagonalJacobian<double>" d
                for s in 0 .. k - 1 do
                    for i in 0 .. m - 1 do
                        for j in 0 .. n - 1 do
                            let c, r = s * n + j, s * m + i
                            check PrimitiveCheckKind.Jacobian "diagonal Jacobian from DiagonalJacobian<double> (003 Prop 5.1)" mode
                                $"sample {s}, J[{i}, {j}]" "DiagonalJacobian" (if i = j then d[r] else 0.0)
                                "central difference of Forward" (fd1[c][r]) (tolFd c r) fdNote
            | None -> ()
        // 1d. The parameter Jacobian implied by Backward: with δ = e_i in row s and 0 elsewhere, the parameter gradient is
        // row i of J_θ(x_s) (003 Thm 1.3: u·J_θ for u = e_i).
        if count > 0 then
            for s in 0 .. k - 1 do
                for i in 0 .. m - 1 do
                    let e = Array.zeroCreate (k * m)
                    e[s * m + i] <- 1.0
                    let _, row = this.Backward(mode, batch, theta, x, y, e, true)
                    for q in 0 .. count - 1 do
                        let c, r = k * n + q, s * m + i
                        check PrimitiveCheckKind.Jacobian "parameter Jacobian implied by Backward (δ = e_i at sample s)" mode
                            $"sample {s}, J_θ[{i}, {q}] = ∂y[{i}]/∂{thetaNames[q]}" "Backward" (row[q])
                            "central difference of Forward" (fd1[c][r]) (tolFd c r) fdNote

        // 2. Backward against u·J with J from the central differences (independent of the layer's own Jacobians):
        // (dX[s, j]) = Σ_{s',i} U[s',i]·∂Y[s',i]/∂X[s,j] and (g[q]) = Σ_{s,i} U[s,i]·∂Y[s,i]/∂θ[q] — the gradient of ⟨U, Y⟩.
        // Tolerance: Σ|U|·(the central differences' tolerance) (triangle inequality) plus Backward's own rounding
        // e_B = γ·(κ_B + max(1, ‖row‖∞)), κ_B = Σ|U|·|J| + Σ_c |∂B/∂p_c|·|p_c| + |B| (the sensitivity of the backward pass to
        // U, X and θ; the last by central differences of Backward).
        let magnitudeB (c: int) (value: float) (sensitivity: int -> float) (floor: float) =
            let viaU = Seq.init (k * m) (fun r -> abs (u[r]) * abs (fd1[c][r])) |> Seq.sum
            let viaP = Seq.init coords (fun c' -> abs (sensitivity c') * abs (values[c'])) |> Seq.sum
            viaU + viaP + abs value + floor
        let magnitudeDx = Array.init (k * n) (fun c -> magnitudeB c (dX[c]) (fun c' -> bdx[c'][c]) (rowMax dX n c))
        let gFloor = g |> Array.fold (fun a v -> max a (abs v)) 1.0
        let magnitudeG = Array.init count (fun q -> magnitudeB (k * n + q) (g[q]) (fun c' -> bg[c'][q]) gFloor)
        let backNote = "u·J from the central-difference Jacobians; tolerance Σ|U|·(their tolerance) + e_B, e_B = γ·(κ_B + max(1, ‖row‖∞)) the backward pass's rounding"
        let oracle (c: int) = Seq.init (k * m) (fun r -> u[r] * (fd1[c][r])) |> Seq.sum
        let oracleTol (c: int) = Seq.init (k * m) (fun r -> abs (u[r]) * tolFd c r) |> Seq.sum
        for c in 0 .. k * n - 1 do
            check PrimitiveCheckKind.Backward "dX (rows U_s·J(x_s))" mode $"dX[{c / n},{c % n}]" "Backward" (dX[c])
                "Σ U·∂Y/∂X by central differences" (oracle c) (oracleTol c + gamma64 * (magnitudeDx[c])) backNote
        for q in 0 .. count - 1 do
            let c = k * n + q
            check PrimitiveCheckKind.Backward "parameter gradient (Σ_s U_s·J_θ(x_s))" mode (thetaNames[q]) "Backward" (g[q])
                "Σ_s U_s·J_θ(x_s) by central differences" (oracle c) (oracleTol c + gamma64 * (magnitudeG[q])) backNote

        // 3. The batch against one sample at a time — in evaluation only: a training step's draws depend on the row's
        // index in the batch (Batch.Uniform(row·width + column)), so a row alone draws what row 0 drew. Both sides are
        // rounded computations of the same values, each within e (a batched GEMM may sum in another order than a one-row
        // product), so they agree within 2e.
        if not training then
            let one = Batch(1, n, m, false, 0UL)
            let gSum = Array.zeroCreate count
            for s in 0 .. k - 1 do
                let xs = x[s * n .. s * n + n - 1]
                let ys = this.Forward(mode, one, theta, xs)
                for i in 0 .. m - 1 do
                    let r = s * m + i
                    check PrimitiveCheckKind.BatchPerSample "Forward" mode $"Y[{s},{i}]" "Forward of the batch" (y[r])
                        $"Forward of row {s} alone" (ys[i]) (2.0 * (eY[r])) "tolerance 2·e_Y: two rounded computations of the same value"
                let dxs, gs = this.Backward(mode, one, theta, xs, ys, u[s * m .. s * m + m - 1], true)
                for j in 0 .. n - 1 do
                    let c = s * n + j
                    check PrimitiveCheckKind.BatchPerSample "Backward dX" mode $"dX[{s},{j}]" "Backward of the batch" (dX[c])
                        $"Backward of row {s} alone" (dxs[j]) (2.0 * gamma64 * (magnitudeDx[c])) "tolerance 2·e_B"
                for q in 0 .. count - 1 do gSum[q] <- gSum[q] + gs[q]
            for q in 0 .. count - 1 do
                check PrimitiveCheckKind.BatchPerSample "Backward parameter gradient" mode (thetaNames[q]) "Backward of the batch" (g[q])
                    "Σ over the rows of Backward of each row alone" (gSum[q]) (2.0 * gamma64 * (magnitudeG[q]))
                    "tolerance 2·e_B (the k-term sum is within L)"

        // 4. float32 against float64: X, θ, U rounded to float (a relative perturbation ≤ 2⁻²⁴, so an error ≤ 2⁻²⁴·κ)
        // and the float pass's own rounding ≤ γ₃₂·(κ + floor), γ₃₂ = (n + m + k + 2)·2⁻²⁴; the double side's error is
        // 2⁻²⁹ times smaller. Tolerance 2·γ₃₂·(κ + floor). The float backward pass takes the float forward output, as the
        // training engine does.
        let toF (a: float[]) = Array.map float32 a
        let yf = this.Forward32(mode, batch, toF theta, toF x)
        for r in 0 .. k * m - 1 do
            check PrimitiveCheckKind.Float32 "Forward" mode $"Y[{r / m},{r % m}]" "Forward<float>" (float (yf[r]))
                "Forward<double>" (y[r]) (2.0 * gamma32 * (magnitudeY[r])) "tolerance 2·γ₃₂·(κ_Y + max(1, ‖Y_s‖∞)), γ₃₂ = (n + m + k + 2)·2⁻²⁴"
        let dxf, gf = this.Backward32(mode, batch, toF theta, toF x, yf, toF u)
        for c in 0 .. k * n - 1 do
            check PrimitiveCheckKind.Float32 "Backward dX" mode $"dX[{c / n},{c % n}]" "Backward<float>" (float (dxf[c]))
                "Backward<double>" (dX[c]) (2.0 * gamma32 * (magnitudeDx[c])) "tolerance 2·γ₃₂·(κ_B + max(1, ‖row‖∞))"
        for q in 0 .. count - 1 do
            check PrimitiveCheckKind.Float32 "Backward parameter gradient" mode (thetaNames[q]) "Backward<float>" (float (gf[q]))
                "Backward<double>" (g[q]) (2.0 * gamma32 * (magnitudeG[q])) "tolerance 2·γ₃₂·(κ_B + max(1, ‖g‖∞))"

        // 6. Determinism: the same call again gives the same bits; Backward without dX the same parameter gradient.
        let same part location (first: float[]) (again: float[]) =
            for i in 0 .. first.Length - 1 do
                comparisons <- comparisons + 1L
                if not (bitsEqual first[i] again[i]) then
                    add { Kind = PrimitiveCheckKind.Determinism; Check = title PrimitiveCheckKind.Determinism; Part = part; Mode = mode
                          Location = location i; ActualName = "second call"; Actual = again[i]; ExpectedName = "first call"
                          Expected = first[i]; Tolerance = 0.0; Note = "identical calls must give bit-identical results" }
        same "Forward repeated" (fun i -> $"Y[{i / m},{i % m}]") y (this.Forward(mode, batch, theta, x))
        let dX2, g2 = this.Backward(mode, batch, theta, x, y, u, true)
        same "Backward repeated: dX" (fun i -> $"dX[{i / n},{i % n}]") dX dX2
        same "Backward repeated: parameter gradient" (fun q -> thetaNames[q]) g g2
        let _, g3 = this.Backward(mode, batch, theta, x, y, u, false)
        same "Backward with an empty dX: parameter gradient" (fun q -> thetaNames[q]) g g3
        same "InputJacobians repeated" (fun i -> $"sample {i / (m * n)}, J[{i % (m * n) / n}, {i % n}]") jac (this.InputJacobians(mode, batch, theta, x, y))
        match diagonal with
        | Some d ->
            match this.Diagonal(mode, batch, theta, x, y) with
            | Some again -> same "DiagonalJacobian repeated" (fun i -> $"sample {i / m}, d[{i % m}]") d again
            | None -> fail PrimitiveCheckKind.Determinism "DiagonalJacobian repeated" mode "" "returned true, then false on the same arguments"
        | None -> ()

    /// Runs both modes and the layer-value check; raises RejectPoint to re-draw.
    member this.Run() : PointOutcome =
        let before = LayerSnapshot.take layer
        let copy = LayerSnapshot.copy layer
        let mutable rejected = None
        for training in [ false; true ] do
            if rejected.IsNone then
                try this.CheckMode training with
                | RejectPoint reason -> rejected <- Some reason
                | LayerThrew(call, e) ->
                    fail PrimitiveCheckKind.Execution $"{call} threw" (modeText training) "" $"{e.GetType().Name}: {e.Message}"
        match rejected with
        | Some reason -> Rejected reason
        | None ->
            // 5. The layer's value: its fields (a few levels deep, arrays by content) and its record equality with a
            // copy taken before the calls.
            let after = LayerSnapshot.take layer
            comparisons <- comparisons + 1L
            let changed =
                if before.Length <> after.Length then Some("(its field structure)", $"{before.Length} fields", $"{after.Length} fields")
                else Array.zip before after |> Array.tryPick (fun ((path, a), (_, b)) -> if a <> b then Some(path, a, b) else None)
            match changed with
            | Some(path, a, b) ->
                fail PrimitiveCheckKind.Purity "the layer's value changed during the calls" "(all calls)" path
                    $"{path} was {a}, is now {b}: a layer is an immutable value"
            | None -> ()
            match copy with
            | Some c when not (layer.Equals c) ->
                fail PrimitiveCheckKind.Purity "the layer's value changed during the calls" "(all calls)" "layer"
                    "the layer is no longer equal (record equality) to a copy taken before the calls"
            | _ -> ()
            let failures = [| for key in order -> worst[key] |] |> Array.sortBy (fun f -> int f.Kind)
            Evaluated(failures, comparisons)

/// The property kit's one-call check of a primitive — any <see cref="Layer"/>: dense, maxout, every activation
/// (element-wise or not: softmax), dropout, layer normalisation, a <see cref="PerSampleLayer"/> or
/// <see cref="FunctionLayer"/>, a <see cref="CustomLayer"/>, a <see cref="CustomActivation"/> or
/// <see cref="FunctionActivation"/>. At generated points — θ drawn by the layer's own <see cref="Layer.Initialize"/>
/// (Glorot uniform) from a seed and perturbed entry by entry by U(−perturbation, perturbation) so that gains and biases
/// are not trivially 1 and 0, batches X of 1..rows rows with entries in [−bound, bound], cotangents U with entries in
/// [−cotangentBound, cotangentBound] — and in evaluation mode and in a training step (Batch.Training = true with the
/// point's seed; one Batch for the forward pass, the backward pass and every central difference, so dropout's mask is
/// fixed), it checks:
/// <list type="number">
/// <item>the input Jacobian from <see cref="Layer.InputJacobians{T}"/> (and diag(d) from <see cref="Layer.DiagonalJacobian{T}"/>
/// when it returns true) and the parameter Jacobian implied by <see cref="Layer.Backward{T}"/> (δ = e_i at sample s gives
/// row i of J_θ(x_s)) against central differences of Forward (003 Thm 1.3, 003 Def 1.2), and that a sample's output
/// does not depend on the other rows;</item>
/// <item>Backward against u·J: dX rows U_s·J(x_s) and the parameter gradient Σ_s U_s·J_θ(x_s), J from the central
/// differences (an oracle independent of the layer's own Jacobians);</item>
/// <item>the batch against one row at a time, Forward and Backward (evaluation only: a training step's draws depend on
/// the row's index in the batch, Batch.Uniform(row·width + column), so a row alone draws other numbers);</item>
/// <item>Forward&lt;float&gt; and Backward&lt;float&gt; against double;</item>
/// <item>purity: no argument span modified (each call gets copies, compared after it) and the layer's value unchanged
/// (its fields, arrays by content, and record equality with a copy);</item>
/// <item>determinism: identical calls give bit-identical results, and Backward with an empty dX the same parameter
/// gradient.</item>
/// </list>
/// Outputs start as NaN, so an entry a pass leaves unwritten (or accumulates into) is reported.
/// <para>
/// <b>Tolerances are derived.</b> Rounding: a value computed with L-term sums is within e = γ·(κ + max(1, ‖row‖∞)) of the
/// exact one, γ = (n + m + k + 2)·u (u = 2⁻⁵³, or 2⁻²⁴ in float32), κ = Σ_c |∂v/∂p_c|·|p_c| + |v| its condition in X, θ
/// (and U), measured by central differences. Central differences with h = ε^{1/3}·max(1, |p|) err by h²|f‴|/6 + e/h: the
/// truncation is estimated from a second difference with step 2h, so the tolerance is |d(2h) − d(h)| + 3e/h. Batch vs
/// per-sample: 2e. float32 vs float64: 2·γ₃₂·(κ + floor). Each failure's note repeats the derivation. The floor assumes
/// a pass's intermediates are not much larger than its inputs' and outputs' rows; an algorithm that cancels larger ones
/// fails check 4, rightly, since its float32 result is then less accurate than the rounding of its value — e.g. layer
/// normalisation of 2 features, whose input gradient (g − ḡ)·ε/(σ(v + ε)) the standard formula forms as a difference of
/// terms of size |g|/σ, with a relative error of 2⁻²⁴·v/ε or more in float32 (its checks here use 6 features).
/// </para>
/// <para>
/// <b>Kinks.</b> Points where central differences would straddle a kink are re-drawn, never compared: for ReLU, leaky
/// ReLU, ELU and maxout by <see cref="Kinks.network"/> (the same rule as the network properties); for any layer, also
/// when Forward's fourth difference y(p+2h) − 4y(p+h) + 6y − 4y(p−h) + y(p−2h) exceeds its rounding noise 16e (≈ h⁴f''''
/// for a smooth f, of order h·|jump| near a kink) — a test on Forward alone, so it cannot hide a wrong derivative.
/// The clearance it guarantees (no kink within 2h ≈ 1.2e-5·max(1, |p|) of any coordinate's probe) also exceeds the
/// rounding of the inputs to float32 (≤ 2⁻²⁴·|p| per coordinate) for fan-ins up to about 200, so the float32 pass
/// stays on the same side of every kink. A layer whose points are mostly re-drawn (not smooth almost everywhere) fails.
/// </para>
/// <para>
/// <b>Cost.</b> About 6·(k·n + |θ|) forward and backward passes per mode and case (central differences in every
/// coordinate, at ±h and ±2h, and of the backward pass at ±h), plus k·m backward passes for the parameter Jacobian: check
/// a layer at small widths (a dense 5 → 3 layer takes about 3 ms a case).
/// </para>
/// <para>
/// A stochastic layer must draw from <see cref="Batch.Uniform"/> (or otherwise from the Batch alone), and override
/// <see cref="Layer.InputJacobians{T}"/> when it draws by row index: the default derives J from a backward pass on m
/// copies of the sample, which would draw the copies' numbers in a training step.
/// </para>
/// </summary>
[<AbstractClass; Sealed>]
type PrimitiveCheck =
    static member private Settings(layer: Layer, inputWidth: int, rows: int, bound: float, cotangentBound: float, perturbation: float) =
        if isNull (box layer) then nullArg (nameof layer)
        if rows < 1 then invalidArg (nameof rows) $"PrimitiveCheck: rows must be at least 1, got {rows}."
        if not (bound > 0.0 && Double.IsFinite bound) then invalidArg (nameof bound) $"PrimitiveCheck: bound must be positive and finite, got {bound}."
        if not (cotangentBound > 0.0 && Double.IsFinite cotangentBound) then invalidArg (nameof cotangentBound) $"PrimitiveCheck: cotangentBound must be positive and finite, got {cotangentBound}."
        if not (perturbation >= 0.0 && Double.IsFinite perturbation) then invalidArg (nameof perturbation) $"PrimitiveCheck: perturbation must be ≥ 0 and finite, got {perturbation}."
        let fixedWidth =
            match inputWidth, Option.ofNullable layer.InputSize with
            | w, Some n when w > 0 && w <> n -> invalidArg (nameof inputWidth) $"PrimitiveCheck: {layer.Name} takes rows of width {n}, not {w}."
            | _, Some n -> Some n
            | w, None when w > 0 -> Some w
            | w, None when w < 0 -> invalidArg (nameof inputWidth) $"PrimitiveCheck: inputWidth must be positive (or 0: the layer's own or drawn), got {w}."
            | _ -> None
        fixedWidth |> Option.iter (fun w -> layer.OutputSize w |> ignore)
        { FixedWidth = fixedWidth; MaxWidth = 6; MaxRows = rows; Bound = bound; CotangentBound = cotangentBound; Perturbation = perturbation }

    static member internal Describe(layer: Layer, width: int option) =
        let settings =
            layer.Settings |> Seq.map (fun kv -> $"{kv.Key} = {kv.Value.ToString(CultureInfo.InvariantCulture)}") |> String.concat ", "
        let shape =
            match width with
            | Some n -> $"{n} → {layer.OutputSize n}, |θ| = {layer.ParameterCount}"
            | None -> "any width (drawn 1..6)"
        let extra = if settings = "" then "" else settings + "; "
        $"{layer.Name} ({layer.GetType().Name}; {extra}{shape})"

    /// θ for inputs of width n: the layer's Initialize (Glorot uniform) from Rng(seed), plus the perturbation.
    static member private Parameters(layer: Layer, n: int, seed: int, perturbation: float[]) =
        let theta = Array.zeroCreate layer.ParameterCount
        let mutable rng = Rng(seed)
        layer.Initialize(Span<float>(theta), n, Initialization.GlorotUniform, &rng)
        Array.map2 (+) theta perturbation

    static member private Generator(layer: Layer, s: PrimitiveSettings) : Gen<PrimitivePoint> =
        gen {
            let! n = match s.FixedWidth with Some n -> Gen.constant n | None -> Gen.choose (1, s.MaxWidth)
            let m = layer.OutputSize n
            let! k = Gen.choose (1, s.MaxRows)
            let! x = Gen.arrayOfLength (k * n) (Generators.bounded s.Bound)
            let! u = Gen.arrayOfLength (k * m) (Generators.bounded s.CotangentBound)
            let! initSeed = Gen.choose (0, Int32.MaxValue)
            let! perturbation = Gen.arrayOfLength layer.ParameterCount (Generators.bounded s.Perturbation)
            let! hi = Gen.choose (0, Int32.MaxValue)
            let! lo = Gen.choose (0, Int32.MaxValue)
            return
                { InputWidth = n; OutputWidth = m; Rows = k; X = x; U = u
                  Theta = PrimitiveCheck.Parameters(layer, n, initSeed, perturbation)
                  TrainingSeed = (uint64 hi <<< 32) ||| uint64 lo }
        }

    /// Simpler points: one row fewer; for a layer of any width, one column fewer (that column dropped from U too when the
    /// output narrows with the input); then entries of X, U and θ made simpler (0, an integer, one decimal).
    static member private Shrinker(layer: Layer) (p: PrimitivePoint) : seq<PrimitivePoint> =
        seq {
            let n, m = p.InputWidth, p.OutputWidth
            if p.Rows > 1 then
                for r in 0 .. p.Rows - 1 do
                    let drop (a: float[]) w = Array.append a[.. r * w - 1] a[(r + 1) * w ..]
                    yield { p with Rows = p.Rows - 1; X = drop p.X n; U = drop p.U m }
            if not layer.InputSize.HasValue && n > 1 then
                let m' = try layer.OutputSize(n - 1) with _ -> -1
                let dropColumn (a: float[]) (w: int) (c: int) = a |> Array.indexed |> Array.filter (fun (i, _) -> i % w <> c) |> Array.map snd
                for c in 0 .. n - 1 do
                    let u = if m' = m then Some p.U elif m' = m - 1 then Some(dropColumn p.U m (min c (m - 1))) else None
                    match u with
                    | Some u -> yield { p with InputWidth = n - 1; OutputWidth = m'; X = dropColumn p.X n c; U = u }
                    | None -> ()
            let simpler (a: float[]) = seq { for i in 0 .. a.Length - 1 do for c in Shrink.scalar a[i] do yield Array.updateAt i c a }
            for x in simpler p.X do yield { p with X = x }
            for u in simpler p.U do yield { p with U = u }
            for t in simpler p.Theta do yield { p with Theta = t }
        }

    /// Re-draw reasons known before any call: ReLU, leaky ReLU, ELU and maxout by Kinks.network on the one-layer network.
    static member private KnownKink(layer: Layer, p: PrimitivePoint) : string option =
        let kinked =
            match layer with
            | :? Activation as a -> Kinks.isKinked a
            | :? Maxout -> true
            | _ -> false
        if not kinked then None
        else
            let layers = [ layer ]
            let net = Network.ofParameters p.InputWidth layers (Parameters.ofVector (Network.layoutOf p.InputWidth layers) (Vector<float>.Build.DenseOfArray p.Theta))
            let x = Matrix<float>.Build.DenseOfRowMajor(p.Rows, p.InputWidth, p.X)
            if Kinks.network true true net x then None
            else Some "a unit lies within the central differences' reach of its kink (Kinks.network): re-drawn"

    static member internal EvaluatePoint(layer: Layer, p: PrimitivePoint) : PointOutcome =
        match PrimitiveCheck.KnownKink(layer, p) with
        | Some reason -> Rejected reason
        | None -> PointEvaluation(layer, p).Run()

    /// The arbitrary of points the check draws for `layer` (shrinking drops rows and simplifies entries); for your own
    /// properties over <see cref="PrimitiveCheck.Evaluate"/>.
    static member Points(layer: Layer,
                         [<Optional; DefaultParameterValue(0)>] inputWidth: int,
                         [<Optional; DefaultParameterValue(4)>] rows: int,
                         [<Optional; DefaultParameterValue(2.0)>] bound: float,
                         [<Optional; DefaultParameterValue(1.0)>] cotangentBound: float,
                         [<Optional; DefaultParameterValue(0.5)>] perturbation: float) : Arbitrary<PrimitivePoint> =
        let s = PrimitiveCheck.Settings(layer, inputWidth, rows, bound, cotangentBound, perturbation)
        Arb.fromGenShrink (PrimitiveCheck.Generator(layer, s), PrimitiveCheck.Shrinker layer)

    /// Every check at one point (both modes). A point near a kink is not checked: the report then has Cases = 0,
    /// Rejected = 1 and the reason.
    static member Evaluate(layer: Layer, point: PrimitivePoint) : PrimitiveReport =
        if isNull (box layer) then nullArg (nameof layer)
        let name = PrimitiveCheck.Describe(layer, Some point.InputWidth)
        match PrimitiveCheck.EvaluatePoint(layer, point) with
        | Rejected reason -> { Layer = name; Cases = 0; Rejected = 1; Comparisons = 0L; Failures = [||]; Point = Some point; RejectionReason = reason }
        | Evaluated(failures, comparisons) ->
            { Layer = name; Cases = 1; Rejected = 0; Comparisons = comparisons; Failures = failures
              Point = (if failures.Length = 0 then None else Some point); RejectionReason = "" }

    /// Checks `cases` points drawn from `seed` (re-drawing those near a kink) and reports the first failing case, or
    /// that all passed. Fails (with no point) when more points are re-drawn than max(10, cases): a layer that is not
    /// smooth almost everywhere.
    static member Run(layer: Layer,
                      [<Optional; DefaultParameterValue(0)>] inputWidth: int,
                      [<Optional; DefaultParameterValue(4)>] rows: int,
                      [<Optional; DefaultParameterValue(0)>] seed: int,
                      [<Optional; DefaultParameterValue(20)>] cases: int,
                      [<Optional; DefaultParameterValue(2.0)>] bound: float,
                      [<Optional; DefaultParameterValue(1.0)>] cotangentBound: float,
                      [<Optional; DefaultParameterValue(0.5)>] perturbation: float) : PrimitiveReport =
        let s = PrimitiveCheck.Settings(layer, inputWidth, rows, bound, cotangentBound, perturbation)
        if cases < 1 then invalidArg (nameof cases) $"PrimitiveCheck: cases must be at least 1, got {cases}."
        let gen = PrimitiveCheck.Generator(layer, s)
        let name = PrimitiveCheck.Describe(layer, s.FixedWidth)
        let maxRejected = max 10 cases
        let rec loop attempt passed rejected comparisons reason =
            if passed >= cases then
                { Layer = name; Cases = passed; Rejected = rejected; Comparisons = comparisons; Failures = [||]; Point = None; RejectionReason = reason }
            elif rejected > maxRejected then
                let f =
                    { Kind = PrimitiveCheckKind.Execution; Check = "the layer's calls"; Part = "too many points re-drawn near a kink"
                      Mode = "both modes"; Location = ""; ActualName = ""; Actual = nan; ExpectedName = ""; Expected = nan; Tolerance = nan
                      Note = $"{rejected} of {attempt} points were within the central differences' reach of a kink or jump of Forward (last: {reason}); a layer must be smooth almost everywhere" }
                { Layer = name; Cases = passed; Rejected = rejected; Comparisons = comparisons; Failures = [| f |]; Point = None; RejectionReason = reason }
            else
                let point = Gen.sampleWithSeed (Rnd(uint64 (uint32 seed), 2UL * uint64 attempt + 1UL)) 10 1 gen |> Array.head
                match PrimitiveCheck.EvaluatePoint(layer, point) with
                | Rejected why -> loop (attempt + 1) passed (rejected + 1) comparisons why
                | Evaluated(failures, c) when failures.Length > 0 ->
                    { Layer = PrimitiveCheck.Describe(layer, Some point.InputWidth); Cases = passed + 1; Rejected = rejected
                      Comparisons = comparisons + c; Failures = failures; Point = Some point; RejectionReason = reason }
                | Evaluated(_, c) -> loop (attempt + 1) (passed + 1) rejected (comparisons + c) reason
        loop 0 0 0 0L ""

    /// As <see cref="Run"/>, throwing <see cref="PrimitiveCheckException"/> (the report's multi-line message) on failure;
    /// returns the report when every check passed.
    static member Assert(layer: Layer,
                         [<Optional; DefaultParameterValue(0)>] inputWidth: int,
                         [<Optional; DefaultParameterValue(4)>] rows: int,
                         [<Optional; DefaultParameterValue(0)>] seed: int,
                         [<Optional; DefaultParameterValue(20)>] cases: int,
                         [<Optional; DefaultParameterValue(2.0)>] bound: float,
                         [<Optional; DefaultParameterValue(1.0)>] cotangentBound: float,
                         [<Optional; DefaultParameterValue(0.5)>] perturbation: float) : PrimitiveReport =
        let report = PrimitiveCheck.Run(layer, inputWidth, rows, seed, cases, bound, cotangentBound, perturbation)
        if not report.Passed then raise (PrimitiveCheckException report)
        report

    /// The check as an FsCheck property over <see cref="Points"/>: each generated point is evaluated (points near a kink
    /// are discarded), a failure is shrunk (fewer rows, simpler entries) and labelled with the report's message (the
    /// layer, each failed check, mode, entry, both sides, the tolerance, and the point).
    static member Property(layer: Layer,
                           [<Optional; DefaultParameterValue(0)>] inputWidth: int,
                           [<Optional; DefaultParameterValue(4)>] rows: int,
                           [<Optional; DefaultParameterValue(2.0)>] bound: float,
                           [<Optional; DefaultParameterValue(1.0)>] cotangentBound: float,
                           [<Optional; DefaultParameterValue(0.5)>] perturbation: float) : Property =
        let points = PrimitiveCheck.Points(layer, inputWidth, rows, bound, cotangentBound, perturbation)
        Prop.forAll points (fun point ->
            let report = PrimitiveCheck.Evaluate(layer, point)
            report.Cases = 1 ==> lazy (report.Passed |> Prop.label report.Message))

/// <see cref="Verify"/>'s member for primitives (F#): `Verify.Primitive(layer)` is <see cref="PrimitiveCheck.Property"/>.
[<AutoOpen>]
module VerifyPrimitive =
    type Verify with
        /// The one-call check of a layer (<see cref="PrimitiveCheck"/>) as an FsCheck property: Jacobians, backward pass,
        /// batch vs per-sample, float32 vs float64, purity and determinism, in evaluation and in a training step.
        static member Primitive(layer: Layer, ?inputWidth: int, ?rows: int, ?bound: float, ?cotangentBound: float, ?perturbation: float) : Property =
            PrimitiveCheck.Property(layer, defaultArg inputWidth 0, defaultArg rows 4, defaultArg bound 2.0,
                                    defaultArg cotangentBound 1.0, defaultArg perturbation 0.5)
