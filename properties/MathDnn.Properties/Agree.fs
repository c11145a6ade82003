namespace MathDnn.Properties

open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.FSharp

/// Comparisons of analytic derivatives with central differences, and exact comparisons, as FsCheck properties
/// whose label says what was compared and where the largest discrepancy is.
module Agree =
    /// The tolerance of every central-difference comparison below. Derivation: with hⱼ = ε^{1/3}·max(1, |pⱼ|) a central
    /// difference errs by h²|f'''|/6 + ε·κ/h ≈ ε^{2/3}·(|f'''|·max(1,|p|)²/6 + κ) ≈ 4e-11·(…), κ the size of the terms
    /// summed to compute f; Calculus.jacobianCheck measures it relative to max(1, ‖f‖∞, |entry|), and on these
    /// generators (|p| ≤ 5, widths ≤ 16, depth ≤ 4) κ/‖f‖ and |f'''|·max(1,|p|)²/(6‖f‖) stay below ~1e3, so errors stay
    /// below ~1e-7; 1e-6 keeps a factor 10 of margin while a wrong entry (relative error ≳ 1e-6) still fails.
    let tolerance = 1e-6

    /// A row printed on one line, entries to 17 significant digits so that the point can be pasted back.
    let row (v: Vector<float>) = "(" + (v.ToArray() |> Array.map (fun e -> e.ToString("G17")) |> String.concat ", ") + ")"

    /// J_f(a) agrees with the central-difference Jacobian of f's map (Calculus.jacobianCheck).
    let jacobian (tol: float) (f: DifferentiableFunction) (a: Vector<float>) : Property =
        let r = Calculus.jacobianCheck f a
        r.MaxRelativeError <= tol |> Prop.label $"J of {f.Name} at {row a}: {r} (tolerance {tol:G3})"

    /// An analytic gradient g of the scalar function f at x agrees with its central-difference gradient.
    let gradient (tol: float) (what: string) (f: Vector<float> -> float) (g: Vector<float>) (x: Vector<float>) : Property =
        let r = Calculus.gradientCheck f g x
        r.MaxRelativeError <= tol |> Prop.label $"gradient of {what}: {r} (tolerance {tol:G3})"

    /// The bits of every entry (so that −0 ≠ +0 and NaN = NaN of the same payload).
    let bits (values: float[]) = values |> Array.map System.BitConverter.DoubleToInt64Bits

    /// Whether two arrays are bit-identical.
    let bitIdentical (a: float[]) (b: float[]) = bits a = bits b

    /// |aⱼ − bⱼ| ≤ boundⱼ for every j; the label names the worst entry.
    let within (what: string) (bound: Vector<float>) (a: Vector<float>) (b: Vector<float>) : Property =
        if a.Count <> b.Count || bound.Count <> a.Count then
            false |> Prop.label $"{what}: lengths {a.Count}, {b.Count}, bound {bound.Count}"
        elif a.Count = 0 then
            true |> Prop.label what
        else
            let worst =
                Seq.init a.Count (fun j -> j, abs (a[j] - b[j]) - bound[j])
                |> Seq.maxBy (fun (_, excess) -> if System.Double.IsNaN excess then infinity else excess)
            let j, excess = worst
            excess <= 0.0 |> Prop.label $"{what}: entry {j}: {a[j]:G17} vs {b[j]:G17}, bound {bound[j]:G3}"

    /// Exact equality of two vectors (entry by entry, so −0 = +0).
    let equal (what: string) (a: Vector<float>) (b: Vector<float>) : Property =
        within what (Vector.zeros a.Count) a b
