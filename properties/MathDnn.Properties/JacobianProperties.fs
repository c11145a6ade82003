namespace MathDnn.Properties

open Xunit
open FsCheck
open FsCheck.Xunit
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Activations
open MathDnn.Jacobians
open MathDnn.Layers
open MathDnn.Losses
open MathDnn.Training
open MathDnn.FSharp

/// One layer of the textbook chain at one sample: its Jacobian J_k as a dense MathNet matrix, the entrywise absolute
/// values of the terms that form J_k (|W| for a dense layer, diag(s) + sᵀs for softmax's diag(s) − sᵀs), its input
/// y_{k−1}, the maxout piece chosen for each unit, and for kinked units their pre-activations and absolute sizes.
type Stage =
    { Index: int
      Layer: Layer
      Input: Vector<float>
      Jacobian: Matrix<float>
      Absolute: Matrix<float>
      Selected: int[] option
      /// (z_u or the maxout gap, Z_u = (|W||y| + |b|)_u) for every unit whose derivative jumps.
      Kinks: (float * float) list }

/// The structured Jacobians (003 Thm 1.3, 003 Props 2.1, 2.2, 4.1–4.3, 5.1–5.3) against the textbook: every layer's
/// Jacobian formed densely — W_k from θ, Activation.Jacobian at the pre-activation, the chosen maxout pieces' rows —
/// and multiplied with MathNet's products; against central differences; and the linear-map identities.
module JacobianProperties =
    // ---- rounding bounds ----

    /// ε = 2⁻⁵³, the unit roundoff of float64.
    let private eps = System.Math.Pow(2.0, -53.0)

    /// ε_f = 2⁻²⁴, the unit roundoff of float32.
    let private epsFloat = System.Math.Pow(2.0, -24.0)

    /// γ_s = sε/(1 − sε) (Higham, Accuracy and Stability, Lemma 3.1): a product of matrices F_1 ⋯ F_q computed in any
    /// association, by any summation order or FMA, errs entrywise by at most γ_s·(|F_1| ⋯ |F_q|) with s the sum of the
    /// inner dimensions (Higham §3.5); a diagonal factor counts 1, diag(d) − aᵀb counts n + 2. We take s = Σ (n_k + 2).
    let private gamma (s: int) = float s * eps / (1.0 - float s * eps)

    let private absM (m: Matrix<float>) = m.PointwiseAbs()
    let private absV (v: Vector<float>) = v.PointwiseAbs()

    /// |a_ij − b_ij| ≤ bound_ij everywhere; the label names the worst entry.
    let private withinM (what: string) (bound: Matrix<float>) (a: Matrix<float>) (b: Matrix<float>) : Property =
        if a.RowCount <> b.RowCount || a.ColumnCount <> b.ColumnCount then
            false |> Prop.label $"{what}: shapes {a.RowCount}×{a.ColumnCount} and {b.RowCount}×{b.ColumnCount}"
        else
            let mutable worst, wi, wj = -infinity, 0, 0
            for i in 0 .. a.RowCount - 1 do
                for j in 0 .. a.ColumnCount - 1 do
                    let e = abs (a[i, j] - b[i, j]) - bound[i, j]
                    let e = if System.Double.IsNaN e then infinity else e
                    if e > worst then worst <- e; wi <- i; wj <- j
            worst <= 0.0 |> Prop.label $"{what}: entry ({wi}, {wj}): {a[wi, wj]:G17} vs {b[wi, wj]:G17}, bound {bound[wi, wj]:G3}"

    let private allOf (ps: Property list) = List.fold (.&.) (Prop.ofTestable true) ps

    // ---- the textbook chain ----

    /// The network of the first k layers with their parameters: its output is the network's y_k, computed by the same
    /// kernels as the network's own forward pass.
    let private prefix (net: MathDnn.Networks.Network) (layers: Layer list) (k: int) =
        let theta = Network.parameters net |> Parameters.toVector
        let count = layers |> List.sumBy Layer.parameterCount
        let layout = Network.layoutOf (Network.inputSize net) layers
        Network.ofParameters (Network.inputSize net) layers (Parameters.ofVector layout (theta.SubVector(0, count)))

    /// The textbook chain of `net` at row `row` of the batch X, one stage per layer (first layer first). The layers'
    /// inputs come from the prefix networks' forward pass on the whole batch, so that they are the very values the
    /// network's own batched pass computes (a GEMM on k rows may round differently from one on a single row).
    let stagesIn (net: MathDnn.Networks.Network) (xs: Matrix<float>) (row: int) : Stage list =
        let layers = Network.layers net |> List.toArray
        let theta = Network.parameters net
        let x = xs.Row row
        let yOf k = if k = 0 then x else (Network.forward xs (prefix net (List.ofArray layers[.. k - 1]) k)).Row row
        [ for k in 0 .. layers.Length - 1 do
            let y = yOf k
            match layers[k] with
            | :? Dense ->
                let w = Parameters.weights k theta
                { Index = k; Layer = layers[k]; Input = y; Jacobian = w; Absolute = absM w; Selected = None; Kinks = [] }
            | :? Maxout as mx ->
                let w = Parameters.weights k theta
                let b = Parameters.bias k theta
                let m, pieces = mx.Outputs, mx.Pieces
                // The k·m pieces W y + b, through a dense layer with the maxout's parameters (as the kit's Kinks does).
                let piecesNet =
                    let before = List.ofArray layers[.. k - 1]
                    let all = before @ [ Layer.dense mx.Inputs (pieces * m) ]
                    let count = (before |> List.sumBy Layer.parameterCount) + mx.ParameterCount
                    let layout = Network.layoutOf (Network.inputSize net) all
                    Network.ofParameters (Network.inputSize net) all (Parameters.ofVector layout ((Parameters.toVector theta).SubVector(0, count)))
                let z = (Network.forward xs piecesNet).Row row
                let size = absM w * absV y + absV b
                // The best piece of unit j, the lowest index on a tie (Maxout's documented choice).
                let best j = Seq.fold (fun bi i -> if z[i * m + j] > z[bi * m + j] then i else bi) 0 (seq { 1 .. pieces - 1 })
                let selected = Array.init m best
                let jac = Matrix.ofRows [ for j in 0 .. m - 1 -> w.Row(selected[j] * m + j) ]
                let kinks =
                    [ for j in 0 .. m - 1 do
                        let top = z[selected[j] * m + j]
                        let others = [ for i in 0 .. pieces - 1 do if i <> selected[j] then z[i * m + j] ]
                        let gap = top - List.max others
                        yield gap, List.max [ for i in 0 .. pieces - 1 -> size[i * m + j] ] ]
                { Index = k; Layer = layers[k]; Input = y; Jacobian = jac; Absolute = absM jac; Selected = Some selected; Kinks = kinks }
            | :? Activation as a ->
                let j = Activation.jacobian a y
                let absolute =
                    match a with
                    | :? Softmax ->
                        let s = Activation.apply a y
                        Matrix<float>.Build.DenseOfDiagonalVector s + s.OuterProduct s
                    | _ -> absM j
                let kinks =
                    if Generators.isKinked a then
                        // Z_u of the unit: the pre-activation's absolute size, from the dense stage before it.
                        let sizes =
                            if k = 0 then absV y
                            else
                                match layers[k - 1] with
                                | :? Dense -> absM (Parameters.weights (k - 1) theta) * absV (yOf (k - 1)) + absV (Parameters.bias (k - 1) theta)
                                | _ -> absV y
                        [ for u in 0 .. y.Count - 1 -> y[u], sizes[u] ]
                    else []
                { Index = k; Layer = layers[k]; Input = y; Jacobian = j; Absolute = absolute; Selected = None; Kinks = kinks }
            | other -> failwith $"no textbook Jacobian for layer {other}" ]

    /// The textbook chain of `net` at one sample x.
    let stages (net: MathDnn.Networks.Network) (x: Vector<float>) : Stage list = stagesIn net (batchOf x) 0

    /// J_p ⋯ J_1 and |J_p| ⋯ |J_1| with MathNet products, and s = Σ (n_k + 2) for γ_s.
    let textbook (chain: Stage list) : Matrix<float> * Matrix<float> * int =
        let first = List.head chain
        chain |> List.tail |> List.fold (fun (j, p, s) st -> st.Jacobian * j, st.Absolute * p, s + st.Jacobian.ColumnCount + 2)
                    (first.Jacobian, first.Absolute, first.Jacobian.ColumnCount + 2)

    /// The textbook parameter Jacobian m_p × |θ| (003 Props 4.2–4.3): with B_k = J_p ⋯ J_{k+1}, the block of W_k has
    /// columns B_k[:, r]·y_{k−1}[c] (the chosen piece's row for maxout), the block of b_k the columns B_k[:, r]; and the
    /// same with |J| and |y|; and s for γ_s.
    let textbookParameters (net: MathDnn.Networks.Network) (chain: Stage list) : Matrix<float> * Matrix<float> * int =
        let mp, count = Network.outputSize net, Network.parameterCount net
        let layout = Network.parameters net |> Parameters.layout
        let j = Matrix<float>.Build.Dense(mp, count)
        let p = Matrix<float>.Build.Dense(mp, count)
        let mutable b, babs, s = Matrix.identity mp, Matrix.identity mp, 0
        for st in List.rev chain do
            if Layer.parameterCount st.Layer > 0 then
                let wOff, bOff = layout.Block(st.Index, "W").Offset, layout.Block(st.Index, "b").Offset
                let n = st.Input.Count
                let units, rowOf =
                    match st.Selected with
                    | Some sel -> sel.Length, (fun r -> sel[r] * sel.Length + r)
                    | None -> st.Jacobian.RowCount, id
                for r in 0 .. units - 1 do
                    for i in 0 .. mp - 1 do
                        for c in 0 .. n - 1 do
                            j[i, wOff + rowOf r * n + c] <- b[i, r] * st.Input[c]
                            p[i, wOff + rowOf r * n + c] <- babs[i, r] * abs st.Input[c]
                        j[i, bOff + rowOf r] <- b[i, r]
                        p[i, bOff + rowOf r] <- babs[i, r]
            b <- b * st.Jacobian
            babs <- babs * st.Absolute
            s <- s + st.Jacobian.RowCount + 2
        j, p, s + 2

    // ---- generators ----

    /// Random networks of depth 1–4 with every hidden activation and maxout, ending in any head.
    let private anyHead = Gen.elements [ Some Activation.softmax; Some Activation.sigmoid; Some Activation.tanh; Some Activation.identity; None ]

    /// A network with a batch of 1–3 samples, away from kinks for probes of the input (central differences in x).
    let private networkAndRows (bound: float) =
        gen {
            let! head = anyHead
            let! net = Generators.network Generators.width head
            let! k = Gen.choose (1, 3)
            let! x = Generators.matrixOf k (Network.inputSize net) bound
            return net, x
        }

    let private networkAndBatch =
        networkAndRows 2.0 |> Gen.where (fun (net, x) -> Generators.awayFromKinks true false net x)

    let private orders = [ JacobianOrder.Auto; JacobianOrder.FromOutput; JacobianOrder.FromInput ]

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 with Props 2.1 2.2 4.1 the structured input Jacobian in every order equals the textbook product J_p⋯J_1 and central differences`` () : Property =
        Prop.forAll (Arb.fromGen networkAndBatch) (fun (net, xs) ->
            let batched = orders |> List.map (fun o -> o, Network.inputJacobiansIn o xs net)
            [ for s in 0 .. xs.RowCount - 1 do
                let x = xs.Row s
                let t, p, n = textbook (stages net x)
                // See gamma: structured and textbook products each err by ≤ γ_n·P (P = |J_p| ⋯ |J_1|) from the same
                // factors (the pre-activations come from the network's own kernels), so they differ by ≤ 2γ_n·P.
                let bound = 2.0 * gamma n * p
                // The batched Jacobians against the chain at the batch's own forward pass, with the same bound.
                let tb, pb, nb = textbook (stagesIn net xs s)
                let batchBound = 2.0 * gamma nb * pb
                yield withinM $"{net}: inputJacobian, sample {s}" bound t (Network.inputJacobian x net)
                for o in orders do
                    yield withinM $"{net}: inputJacobianIn {o}, sample {s}" bound t (Network.inputJacobianIn o x net)
                    yield withinM $"{net}: inputJacobianMap |> toMatrixIn {o}, sample {s}" bound t (Network.inputJacobianMap x net |> LinearMap.toMatrixIn o)
                    yield withinM $"{net}: inputJacobiansIn {o}, sample {s}" batchBound tb (batched |> List.find (fst >> (=) o) |> snd).[s]
                let f = Calculus.create "N" (Network.inputSize net) (Network.outputSize net) (fun v -> Network.apply v net) (fun v -> Network.inputJacobian v net)
                // See Agree.tolerance.
                yield Agree.jacobian Agree.tolerance f x |> Prop.label (string net) ]
            |> allOf)

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 with Props 4.2-4.3 the parameter Jacobian equals the textbook blocks B_k·y_k−1 and central differences, and ⟨u, J_θ v⟩ = ⟨u·J_θ, v⟩`` () : Property =
        let gen =
            gen {
                let! head = anyHead
                let! net, x = Generators.networkAndPoint Generators.width head
                let! u = Generators.vectorOf (Network.outputSize net) 1.0
                let! v = Generators.vectorOf (Network.parameterCount net) 1.0
                return net, x, u, v
            }
        Prop.forAll (Arb.fromGen gen) (fun (net, x, u, v) ->
            let t, p, n = textbookParameters net (stages net x)
            let map = Network.parameterJacobianMap x net
            // See gamma: every entry is a product through the same factors, ≤ γ_n·P_θ from the exact one on each side.
            let bound = 2.0 * gamma n * p
            let layout = Network.parameters net |> Parameters.layout
            let at theta = Network.withParameters (Parameters.ofVector layout theta) net
            let f = Calculus.create "θ ↦ N(x; θ)" (Network.parameterCount net) (Network.outputSize net)
                        (fun theta -> Network.apply x (at theta)) (fun theta -> (Network.parameterJacobianMap x (at theta)).ToMatrix())
            let jv = map.Jvp v
            let uj = map.Vjp u |> Parameters.toVector
            // ⟨u, J_θ v⟩ and ⟨u·J_θ, v⟩ each sum the same products u_i·J_ij·v_j: each errs by ≤ γ_{n+|θ|+m_p}·|u|·P_θ·|v|.
            let dotBound = 2.0 * gamma (n + Network.parameterCount net + Network.outputSize net) * (absV u * p * absV v)
            allOf
                [ withinM $"{net}: parameterJacobian" bound t (Network.parameterJacobian x net)
                  withinM $"{net}: parameterJacobians" bound t (Network.parameterJacobians (batchOf x) net).[0]
                  withinM $"{net}: parameterJacobianMap ToMatrix" bound t (map.ToMatrix())
                  // J_θ·vᵀ and u·J_θ: the forward tangent and the backward pass sum the same paths; ≤ γ_{n+|θ|}·(P_θ|v|) each.
                  Agree.within $"{net}: J_θ·v" (2.0 * gamma (n + Network.parameterCount net) * (p * absV v)) (t * v) jv
                  Agree.within $"{net}: u·J_θ" (2.0 * gamma (n + Network.outputSize net) * (absV u * p)) (u * t) uj
                  abs (u.DotProduct jv - uj.DotProduct v) <= dotBound
                  |> Prop.label $"{net}: ⟨u, J_θ v⟩ = {u.DotProduct jv:G17}, ⟨u·J_θ, v⟩ = {uj.DotProduct v:G17}, bound {dotBound:G3}"
                  // See Agree.tolerance.
                  Agree.jacobian Agree.tolerance f (Network.parameters net |> Parameters.toVector) |> Prop.label (string net) ])

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 Network jvp and vjp equal the textbook J_N(x)·v and u·J_N(x), one sample and batches`` () : Property =
        let gen =
            gen {
                let! head = anyHead
                let! net = Generators.network Generators.width head
                let! k = Gen.choose (1, 3)
                let! xs = Generators.matrixOf k (Network.inputSize net) 2.0
                let! vs = Generators.matrixOf k (Network.inputSize net) 1.0
                let! us = Generators.matrixOf k (Network.outputSize net) 1.0
                return net, xs, vs, us
            }
        Prop.forAll (Arb.fromGen gen) (fun (net, xs, vs, us) ->
            let outputs, tangents = Network.jvpRows xs vs net
            let cotangents = Network.vjpRows xs us net
            [ for s in 0 .. xs.RowCount - 1 do
                let x, v, u = xs.Row s, vs.Row s, us.Row s
                let t, p, n = textbook (stages net x)
                // See gamma: J·v through the factors (n + m_0 roundings), u·J likewise, against (J_p⋯J_1)·v.
                let jvBound = 2.0 * gamma (n + v.Count) * (p * absV v)
                let ujBound = 2.0 * gamma (n + u.Count) * (absV u * p)
                yield Agree.within $"{net}: jvp, sample {s}" jvBound (t * v) (Network.jvp x v net)
                // The batched forms against the chain at the batch's own forward pass (see stagesIn).
                let tb, pb, nb = textbook (stagesIn net xs s)
                yield Agree.within $"{net}: jvpRows, sample {s}" (2.0 * gamma (nb + v.Count) * (pb * absV v)) (tb * v) (tangents.Row s)
                yield Agree.equal $"{net}: jvpRows output, sample {s}" ((Network.forward xs net).Row s) (outputs.Row s)
                yield Agree.within $"{net}: vjp, sample {s}" ujBound (u * t) (Network.vjp x u net)
                yield Agree.within $"{net}: vjpRows, sample {s}" (2.0 * gamma (nb + u.Count) * (absV u * pb)) (u * tb) (cotangents.Row s)
                yield Agree.within $"{net}: inputJacobianMap |> jvp, sample {s}" jvBound (t * v) (Network.inputJacobianMap x net |> LinearMap.jvp v)
                yield Agree.within $"{net}: inputJacobianMap |> vjp, sample {s}" ujBound (u * t) (Network.inputJacobianMap x net |> LinearMap.vjp u) ]
            |> allOf)

    // ---- linear maps ----

    /// A factor with its dense matrix and the absolute values of the terms that form it.
    type private Piece = { Map: LinearMap; Matrix: Matrix<float>; Absolute: Matrix<float>; Inner: int }

    /// A dense m×n factor, diag(d), diag(d) − aᵀb or I (square ones m×m), entries in [-1, 1] (d in [-2, 2]).
    let private piece (m: int) (n: int) : Gen<Piece> =
        let dense =
            Generators.matrixOf m n 1.0 |> Gen.map (fun a -> { Map = LinearMap.dense a; Matrix = a; Absolute = absM a; Inner = n })
        if m <> n then dense
        else
            Gen.oneof
                [ dense
                  Generators.vectorOf m 2.0 |> Gen.map (fun d ->
                      let a = Matrix<float>.Build.DenseOfDiagonalVector d
                      { Map = LinearMap.diagonal d; Matrix = a; Absolute = absM a; Inner = 1 })
                  Gen.map3 (fun d a b ->
                      let dm = Matrix<float>.Build.DenseOfDiagonalVector d
                      { Map = LinearMap.diagonalMinusRankOne d a b; Matrix = dm - a.OuterProduct b
                        Absolute = absM dm + (absV a).OuterProduct(absV b); Inner = m + 2 })
                      (Generators.vectorOf m 2.0) (Generators.vectorOf m 1.0) (Generators.vectorOf m 1.0)
                  Gen.constant { Map = LinearMap.identity m; Matrix = Matrix.identity m; Absolute = Matrix.identity m; Inner = 1 } ]

    /// A chain of 1–5 factors m×n: each factor is square or changes the width (widths 1..16).
    let private chainOf (m: int) (n: int) : Gen<Piece list> =
        gen {
            let! q = Gen.choose (1, 5)
            let! inner = Gen.listOfLength (q - 1) (Gen.frequency [ 1, Generators.width; 1, Gen.constant 0 ])
            // A 0 keeps the previous width, so that square factors (diagonal, diag − rank one, I) occur.
            let widths = (m :: inner @ [ n ]) |> List.scan (fun w v -> if v = 0 then w else v) m |> List.tail
            return! widths |> List.pairwise |> List.map (fun (r, c) -> piece r c) |> Gen.sequenceToList
        }

    /// The chain's map A (composed with `compose`), the product of its matrices, |F_1| ⋯ |F_q| and s.
    let private product (pieces: Piece list) =
        let a = pieces |> List.map (fun p -> p.Map) |> List.reduce LinearMap.compose
        let m = pieces |> List.map (fun p -> p.Matrix) |> List.reduce (*)
        let abs = pieces |> List.map (fun p -> p.Absolute) |> List.reduce (*)
        a, m, abs, pieces |> List.sumBy (fun p -> p.Inner + 1)

    let private dims = Gen.zip Generators.width Generators.width

    [<Property(MaxTest = 200)>]
    let ``003 Thm 1.3 LinearMap toMatrix in every order equals the product of its factors, and plan Auto is the cheapest`` () : Property =
        let gen = dims |> Gen.bind (fun (m, n) -> chainOf m n)
        Prop.forAll (Arb.fromGen gen) (fun pieces ->
            let a, reference, pabs, s = product pieces
            // See gamma: the chain and MathNet's left-to-right product each err by ≤ γ_s·|F_1|⋯|F_q|.
            let bound = 2.0 * gamma s * pabs
            let plans = orders |> List.map (fun o -> LinearMap.plan o a)
            allOf
                [ yield withinM "toMatrix" bound reference (LinearMap.toMatrix a)
                  for o in orders do yield withinM $"toMatrixIn {o}" bound reference (LinearMap.toMatrixIn o a)
                  yield (LinearMap.factorCount a = pieces.Length && LinearMap.structure a = (pieces |> List.collect (fun p -> LinearMap.structure p.Map)))
                        |> Prop.label $"structure {LinearMap.structure a}"
                  yield (LinearMap.rows a, LinearMap.columns a) = (reference.RowCount, reference.ColumnCount) |> Prop.label "shape"
                  for i in 0 .. pieces.Length - 1 do
                      yield withinM $"factor {i}" (Matrix.zeros pieces[i].Matrix.RowCount pieces[i].Matrix.ColumnCount) pieces[i].Matrix (LinearMap.factor i a |> LinearMap.toMatrix)
                  // Auto minimises the cost over all associations, which include the two fixed orders.
                  yield (plans[0].Cost <= plans[1].Cost && plans[0].Cost <= plans[2].Cost && List.map (fun (p: ChainPlan) -> p.Order) plans = orders)
                        |> Prop.label $"plans {plans}" ])

    [<Property(MaxTest = 200)>]
    let ``003 Def 1.2 LinearMap jvp and vjp equal the materialised matrix times the vector, one row and many`` () : Property =
        let gen =
            gen {
                let! m, n = dims
                let! pieces = chainOf m n
                let! k = Gen.choose (1, 3)
                let! v = Generators.matrixOf k n 1.0
                let! u = Generators.matrixOf k m 1.0
                return pieces, v, u
            }
        Prop.forAll (Arb.fromGen gen) (fun (pieces, vs, us) ->
            let a, reference, pabs, s = product pieces
            let m, n = reference.RowCount, reference.ColumnCount
            // See gamma: applying the factors to v is the chain with v as one more factor (s + n + 1 roundings).
            let jvBound = 2.0 * gamma (s + n + 1) * (absM vs * pabs.Transpose())
            let ujBound = 2.0 * gamma (s + m + 1) * (absM us * pabs)
            allOf
                [ withinM "jvpRows" jvBound (vs * reference.Transpose()) (LinearMap.jvpRows vs a)
                  withinM "vjpRows" ujBound (us * reference) (LinearMap.vjpRows us a)
                  Agree.within "jvp" (jvBound.Row 0) (reference * vs.Row 0) (LinearMap.jvp (vs.Row 0) a)
                  Agree.within "vjp" (ujBound.Row 0) (us.Row 0 * reference) (LinearMap.vjp (us.Row 0) a) ])

    [<Property(MaxTest = 200)>]
    let ``003 Thm 1.3 LinearMap adjoint identities ⟨u, A·v⟩ = ⟨u·A, v⟩ and (A·B)ᵀ = BᵀAᵀ`` () : Property =
        let gen =
            gen {
                let! m, n = dims
                let! r = Generators.width
                let! pa = chainOf m n
                let! pb = chainOf n r
                let! u = Generators.vectorOf m 1.0
                let! v = Generators.vectorOf r 1.0
                return pa, pb, u, v
            }
        Prop.forAll (Arb.fromGen gen) (fun (pa, pb, u, v) ->
            let a, ma, absA, sa = product pa
            let b, mb, absB, sb = product pb
            let ab = a * b
            let s = sa + sb
            let pabs = absA * absB
            // ⟨u, (AB)v⟩ and ⟨u·(AB), v⟩ sum the same products u_i·(AB)_ij·v_j: each ≤ γ_{s+m+r+2}·|u|·|A||B|·|v|.
            let dotBound = 2.0 * gamma (s + u.Count + v.Count + 2) * (absV u * pabs * absV v)
            let left = u.DotProduct(LinearMap.jvp v ab)
            let right = (LinearMap.vjp u ab).DotProduct v
            // See gamma: three products of the same factors, each ≤ γ_s·|A||B| (transposed) from (AB)ᵀ.
            let bound = 2.0 * gamma s * pabs.Transpose()
            let exact = (ma * mb).Transpose()
            allOf
                [ pabs.RowCount = ma.RowCount |> Prop.label "shape"
                  abs (left - right) <= dotBound |> Prop.label $"⟨u, A·v⟩ = {left:G17}, ⟨u·A, v⟩ = {right:G17}, bound {dotBound:G3}"
                  withinM "(A·B)ᵀ" bound exact (LinearMap.transpose ab |> LinearMap.toMatrix)
                  withinM "BᵀAᵀ" bound exact (LinearMap.compose (LinearMap.transpose b) (LinearMap.transpose a) |> LinearMap.toMatrix)
                  withinM "a |> andThen … is the same chain" (Matrix.zeros ma.RowCount mb.ColumnCount)
                      (LinearMap.toMatrix ab) (b |> LinearMap.andThen a |> LinearMap.toMatrix)
                  (LinearMap.structure (LinearMap.transpose ab)).Length = LinearMap.factorCount ab |> Prop.label "transpose keeps the factors" ])

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 Calculus.linearize of a composition keeps its chain and equals its Jacobian`` () : Property =
        let gen = Generators.expressionAndPoint (fun n m -> Generators.expression n m 1)
        Prop.forAll (Arb.fromGen gen) (fun (e, x) ->
            let f = e.Function
            let l = Calculus.linearize f x
            let factors = [ for i in 0 .. LinearMap.factorCount l - 1 -> LinearMap.factor i l ]
            // See gamma: both are products of the same factors in two associations, each ≤ γ_s·|F_1|⋯|F_q|, where a
            // diag(s) − sᵀs factor's terms are bounded by diag(s) + sᵀs; every entry of that product is at most the
            // product of the factors' ∞-norms (‖diag(s) + sᵀs‖∞ ≤ 2 for a softmax, whose s is a probability vector).
            let norms =
                factors |> List.map (fun fk ->
                    let a = LinearMap.toMatrix fk |> absM
                    let rowMax = Seq.max (a.RowSums())
                    if (LinearMap.structure fk).Head.Contains "−" then max rowMax 2.0 else rowMax)
            let s = factors |> List.sumBy (fun fk -> LinearMap.columns fk + 2)
            let j = Calculus.jacobian f x
            let bound = 2.0 * gamma s * List.fold (*) 1.0 norms
            allOf
                [ withinM $"{f.Name}" (Matrix<float>.Build.Dense(j.RowCount, j.ColumnCount, bound)) j (LinearMap.toMatrix l)
                  (LinearMap.rows l, LinearMap.columns l) = (f.OutputDimension, f.InputDimension) |> Prop.label "shape" ])

    // ---- objectives ----

    /// Objective instances over several (head, loss) pairs: fused and unfused softmax cross-entropy, squared error,
    /// sigmoid with binary cross-entropy, logit losses.
    let private objectives =
        let sum = Gen.constant Reduction.Sum
        Gen.oneof
            [ Generators.objectiveCase (Gen.choose (2, 16)) (Some Activation.softmax) Loss.categoricalCrossEntropy sum
              Generators.objectiveCase Generators.width None Loss.squaredError sum
              Generators.objectiveCase (Gen.choose (2, 16)) (Some Activation.softmax) Loss.squaredError sum
              Generators.objectiveCase Generators.width (Some Activation.sigmoid) Loss.binaryCrossEntropy sum
              Generators.objectiveCase (Gen.choose (2, 16)) None Loss.softmaxCrossEntropy sum
              Generators.objectiveCase Generators.width (Some Activation.tanh) Loss.squaredError sum ]

    let private rowNorms (g: Matrix<float>) = Vector<float>.Build.Dense(g.RowCount, fun i -> g.Row(i).L2Norm())

    [<Property(MaxTest = 100)>]
    let ``003 Props 5.1-5.3 per-sample gradients sum to the Sum-reduction gradient and their norms equal PerSampleGradientNorms`` () : Property =
        Prop.forAll (Arb.fromGen objectives) (fun c ->
            let g = Objective.perSampleGradients c.Loss c.Network c.Inputs c.Targets
            let total = Objective.gradient c.Loss Reduction.Sum c.Network c.Inputs c.Targets |> Parameters.toVector
            let k, count = g.RowCount, g.ColumnCount
            // Both sum the same downstream gradients δ_i ⊗ y_i over the k samples, in different orders: ≤ γ_{k+1}·Σ|g_i| each.
            let sumBound = 2.0 * gamma (k + 1) * (absM g).ColumnSums()
            // ‖g_i‖² sums |θ| non-negative squares (≤ γ_{|θ|+1} relative) either way, and the square root halves it;
            // the norms computed from ‖δ‖²(‖y‖² + 1) add 4 roundings per layer, at most |θ| of them.
            let norms = rowNorms g
            let normBound = 2.0 * gamma (2 * count + 4) * norms
            allOf
                [ Agree.within $"Σ g_i vs ∇𝒪 for {c.Network}" sumBound (g.ColumnSums()) total
                  Agree.within $"‖g_i‖ for {c.Network}" normBound norms (Objective.perSampleGradientNorms c.Loss c.Network c.Inputs c.Targets)
                  (g.RowCount, g.ColumnCount) = (c.Inputs.RowCount, Network.parameterCount c.Network) |> Prop.label "shape" ])

    [<Property(MaxTest = 100)>]
    let ``003 Props 5.1-5.3 ClippedGradientSum equals Σ g_i·min(1, c/‖g_i‖) from PerSampleGradients`` () : Property =
        let gen = Gen.zip objectives (Gen.choose (1, 200))
        Prop.forAll (Arb.fromGen gen) (fun (c, percent) ->
            let g = Objective.perSampleGradients c.Loss c.Network c.Inputs c.Targets
            let norms = rowNorms g
            // c between 1% and 2× the largest norm, so that some samples are clipped and some not.
            let clip = max 1e-3 (float percent / 100.0 * (if norms.Count = 0 then 1.0 else norms.Maximum()))
            let scale = norms |> Vector.map (fun n -> if n > clip then clip / n else 1.0)
            let expected = g.TransposeThisAndMultiply scale
            let sum, reportedNorms = Objective.clippedGradientSum c.Loss clip c.Network c.Inputs c.Targets
            // Each ‖g_i‖ errs by ≤ γ_{2|θ|+4} relative (see the norms above), so each min(1, c/‖g_i‖) by about that
            // much again; then the k-term sums as above: ≤ (2γ_{2|θ|+4} + γ_{k+1})·Σ s_i|g_i| each side.
            let weighted = (absM g).TransposeThisAndMultiply scale
            let bound = 2.0 * (2.0 * gamma (2 * g.ColumnCount + 4) + gamma (g.RowCount + 1)) * weighted
            allOf
                [ Agree.within $"clipped sum for {c.Network}, c = {clip:G5}" bound expected (Parameters.toVector sum)
                  Agree.within "norms" (2.0 * gamma (2 * g.ColumnCount + 4) * norms) norms reportedNorms ])

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 with Props 5.1-5.3 InputGradient equals central differences of the objective in X`` () : Property =
        let gen =
            Gen.zip objectives (Gen.elements [ Reduction.Sum; Reduction.Mean ])
            |> Gen.where (fun (c, _) -> Generators.awayFromKinks true false c.Network c.Inputs)
        Prop.forAll (Arb.fromGen gen) (fun (c, reduction) ->
            let k, m0 = c.Inputs.RowCount, c.Inputs.ColumnCount
            let ofVector (v: Vector<float>) = Matrix<float>.Build.DenseOfRowMajor(k, m0, v.ToArray())
            let f (v: Vector<float>) = Objective.value c.Loss reduction c.Network (ofVector v) c.Targets
            let g = Objective.inputGradient c.Loss reduction c.Network c.Inputs c.Targets
            // See Agree.tolerance: relative to max(1, |𝒪|).
            Agree.gradient Agree.tolerance $"∇_X𝒪 for {c.Network}, {reduction}" f (Vector.ofArray (g.ToRowMajorArray())) (Vector.ofArray (c.Inputs.ToRowMajorArray())))

    // ---- float32 ----

    /// τ(p, w) = 8·(p + 1)·(w + 2)·(1 + 2Z)·ε_f, the float32 tolerance relative to |J_p|⋯|J_1| (Z ≤ 4, below). Derivation
    /// (first order): rounding x, θ to float32 costs ε_f relatively; each of the p stages computes a pre-activation z_u as
    /// a sum of at most w + 1 terms (≤ (w + 2)ε_f of Z_u = (|W||y| + |b|)_u) and passes its input's error on through
    /// J, so over the chain every z_u errs by ≤ (p + 1)(w + 2)ε_f·Z_u in the terms P accounts for; an activation's
    /// derivative then errs relatively by |f''/f'|·|Δz| ≤ 2|Δz| (σ: |1 − 2σ|, tanh: 2|tanh|, ELU: 1, softmax: 2,
    /// ReLU/leaky: 0 off the kink), and every factor's own float32 rounding adds (w + 2)ε_f; summed over the ≤ 2p + 1
    /// factors that is ≤ (p + 1)(w + 2)(1 + 2Z)ε_f·2 relatively, times 4 for the second-order terms and the product's
    /// own γ^f. Instances keep every kinked unit with |z_u| > τ·Z_u (float32 could flip it) and every σ/tanh unit with
    /// 1 − |y| ≥ 1/4 (y(1 − y) and 1 − y² lose ε_f/(1 − |y|) relatively near saturation), and Z ≤ 4.
    let private tau (p: int) (w: int) (z: float) = 8.0 * float (p + 1) * float (w + 2) * (1.0 + 2.0 * z) * epsFloat

    /// Whether an instance is in the float32 properties' range (see tau): Z_u ≤ 4, kinked units off their kink by
    /// τ·Z_u, σ/tanh units unsaturated.
    let private float32Safe (net: MathDnn.Networks.Network) (x: Matrix<float>) =
        let p = Network.layers net |> List.length
        let w = Network.widths net |> List.max
        let t = tau p w 4.0
        Matrix.rows x |> List.forall (fun xr ->
            stages net xr |> List.forall (fun st ->
                let sizeOk =
                    match st.Layer with
                    | :? Dense -> (absM st.Jacobian * absV st.Input + absV (Parameters.bias st.Index (Network.parameters net))).Maximum() <= 4.0
                    | _ -> true
                let kinksOk = st.Kinks |> List.forall (fun (z, size) -> abs z > t * max size 1.0 && size <= 4.0)
                let saturationOk =
                    match st.Layer with
                    | :? Sigmoid | :? Tanh -> (Activation.apply (st.Layer :?> Activation) st.Input) |> Seq.forall (fun y -> 1.0 - abs (if st.Layer :? Sigmoid then 2.0 * y - 1.0 else y) >= 0.25)
                    | _ -> true
                sizeOk && kinksOk && saturationOk))

    [<Property(MaxTest = 100)>]
    let ``003 Thm 1.3 float32 input Jacobians agree with float64 within τ(p, w) relative to |J_p|⋯|J_1|`` () : Property =
        let gen = networkAndRows 1.0 |> Gen.where (fun (net, x) -> float32Safe net x)
        Prop.forAll (Arb.fromGen gen) (fun (net, xs) ->
            let single = Network.inputJacobiansSingle xs net
            let p = Network.layers net |> List.length
            let w = Network.widths net |> List.max
            [ for s in 0 .. xs.RowCount - 1 do
                let t, pabs, _ = textbook (stages net (xs.Row s))
                // See tau.
                yield withinM $"{net}: float32, sample {s}" (tau p w 4.0 * pabs) t (single[s].Map(fun e -> float e)) ]
            |> allOf)

    [<Property(MaxTest = 100)>]
    let ``003 Props 5.1-5.3 float32 per-sample gradients agree with float64 within τ(p, w)`` () : Property =
        let gen = objectives |> Gen.where (fun c -> float32Safe c.Network c.Inputs)
        Prop.forAll (Arb.fromGen gen) (fun c ->
            let g64 = Objective.perSampleGradients c.Loss c.Network c.Inputs c.Targets
            let g32 = Objective.perSampleGradientsIn Precision.Float32 c.Loss c.Network c.Inputs c.Targets
            let p = Network.layers c.Network |> List.length
            let w = Network.widths c.Network |> List.max
            // See tau: g_i = (∂ξ/∂y)·J_θ, the loss's derivative adding one more factor (two for the head) of relative
            // error ≤ τ; measured against max(1, ‖g_i‖∞), since the gradient's absolute terms are not formed here.
            // The loss's gradient is O(1) on these targets (probabilities, ±1, [0, 1] or [-2, 2]), so 1 is its scale.
            let t = tau (p + 2) w 4.0
            [ for i in 0 .. g64.RowCount - 1 do
                let scale = max 1.0 (g64.Row(i).AbsoluteMaximum())
                yield Agree.within $"{c.Network}: g_{i} float32" (Vector.init g64.ColumnCount (fun _ -> t * scale)) (g64.Row i) (g32.Row i) ]
            |> allOf)
