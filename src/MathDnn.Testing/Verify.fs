namespace MathDnn.Testing

open System
open System.Runtime.InteropServices
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open MathDnn.Calculus
open MathDnn.Losses
open MathDnn.Theory
open MathDnn.FSharp

/// Property builders for anyone's numerical code, from F# or C#: point one at your function and an Arbitrary of points
/// (see <see cref="Arbitraries"/>), run it with <see cref="Verify.Check"/> (or FsCheck's own Check). Each property
/// evaluates the statement's inequality at generated instances through MathDnn.Theory (<see cref="Convexity"/>,
/// <see cref="Smoothness"/>, <see cref="LossAxiom"/>); a failure is shrunk to a small counterexample and its label prints
/// the statement, the points, and both sides of the violated inequality with their values.
/// <para>
/// Tolerances: a negative relativeTolerance (the default, −1) means <see cref="InequalityCheck.DefaultRelativeTolerance"/> = 1e-12
/// (rounding of the two sides), or <see cref="InequalityCheck.NumericGradientRelativeTolerance"/> = 1e-6 when the
/// function's gradient is a central-difference estimate. Derivative checks compare with central differences relative
/// to max(1, ‖f‖∞, |entry|) (Calculus.jacobianCheck) with tolerance 1e-6 by default (their error is ≈ 4e-11·scale).
/// </para>
/// </summary>
[<AbstractClass; Sealed>]
type Verify =
    static member private Tolerance(f: RealFunction, relativeTolerance: float) =
        if relativeTolerance < 0.0 then
            (if f.HasNumericGradient then InequalityCheck.NumericGradientRelativeTolerance else InequalityCheck.DefaultRelativeTolerance)
        else relativeTolerance

    static member private Holds(check: InequalityCheck) : Property = check.Holds |> Prop.label (string check)

    /// J_f(a) agrees with the central-difference Jacobian of f's map at every generated point (003 Def 1.2).
    static member JacobianMatchesFiniteDifferences(f: DifferentiableFunction, points: Arbitrary<Vector<float>>,
                                                   [<Optional; DefaultParameterValue(1e-6)>] tolerance: float) : Property =
        Prop.forAll points (fun a ->
            let r = Calculus.jacobianCheck f a
            r.MaxRelativeError <= tolerance
            |> Prop.label $"J of {f.Name} at {RealFunction.Format a} disagrees with central differences: {r} (tolerance {tolerance:G3})")

    /// ∇f(x) agrees with the central-difference gradient at every generated point.
    static member GradientMatchesFiniteDifferences(f: RealFunction, points: Arbitrary<Vector<float>>,
                                                   [<Optional; DefaultParameterValue(1e-6)>] tolerance: float) : Property =
        Prop.forAll points (fun x ->
            let r = Calculus.gradientCheck f.Value (f.Gradient x) x
            r.MaxRelativeError <= tolerance
            |> Prop.label $"∇{f.Name} at {RealFunction.Format x} disagrees with central differences: {r} (tolerance {tolerance:G3})")

    /// f is convex: 003 Def 6.1 (15), f(τx + (1 − τ)y) ≤ τf(x) + (1 − τ)f(y), on generated x, y, τ.
    static member Convex(f: RealFunction, points: Arbitrary<Vector<float>>,
                         [<Optional; DefaultParameterValue(-1.0)>] relativeTolerance: float) : Property =
        let tol = Verify.Tolerance(f, relativeTolerance)
        Prop.forAll (Instances.pairs points) (fun p -> Verify.Holds(Convexity.Chord(f, p.X, p.Y, p.Tau, tol)))

    /// f is convex in the first-order form 003 Prop 6.1 (16): f(x) + ∇f(x)·(y − x)ᵀ ≤ f(y).
    static member ConvexFirstOrder(f: RealFunction, points: Arbitrary<Vector<float>>,
                                   [<Optional; DefaultParameterValue(-1.0)>] relativeTolerance: float) : Property =
        let tol = Verify.Tolerance(f, relativeTolerance)
        Prop.forAll (Instances.pairs points) (fun p -> Verify.Holds(Convexity.FirstOrder(f, p.X, p.Y, tol)))

    /// f is L-smooth: 003 Def 6.2 (17), ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖.
    static member Smooth(f: RealFunction, lipschitz: float, points: Arbitrary<Vector<float>>,
                         [<Optional; DefaultParameterValue(-1.0)>] relativeTolerance: float) : Property =
        let tol = Verify.Tolerance(f, relativeTolerance)
        Prop.forAll (Instances.pairs points) (fun p -> Verify.Holds(Smoothness.GradientLipschitz(f, lipschitz, p.X, p.Y, tol)))

    /// The descent lemma 003 Prop 6.2 (18): f(y) ≤ f(x) + ∇f(x)·(y − x)ᵀ + (L/2)‖y − x‖².
    static member DescentLemma(f: RealFunction, lipschitz: float, points: Arbitrary<Vector<float>>,
                               [<Optional; DefaultParameterValue(-1.0)>] relativeTolerance: float) : Property =
        let tol = Verify.Tolerance(f, relativeTolerance)
        Prop.forAll (Instances.pairs points) (fun p -> Verify.Holds(Smoothness.DescentLemma(f, lipschitz, p.X, p.Y, tol)))

    /// Gradient co-coercivity 003 Prop 6.3 (19): (1/L)‖∇f(y) − ∇f(x)‖² ≤ (∇f(y) − ∇f(x))·(y − x)ᵀ.
    static member CoCoercive(f: RealFunction, lipschitz: float, points: Arbitrary<Vector<float>>,
                             [<Optional; DefaultParameterValue(-1.0)>] relativeTolerance: float) : Property =
        let tol = Verify.Tolerance(f, relativeTolerance)
        Prop.forAll (Instances.pairs points) (fun p -> Verify.Holds(Smoothness.CoCoercivity(f, lipschitz, p.X, p.Y, tol)))

    /// The loss-function axiom 000 Def 3.1 along rays: ξ(y* + sε, y*) ≤ ξ(y* + tε, y*) for 0 &lt; s ≤ t ≤ 1, ε = p − y*,
    /// with targets y* from `targets` and points p from `outputs` (which must lie in the loss's output domain).
    static member LossAxiom(loss: Loss, targets: Arbitrary<Vector<float>>, outputs: Arbitrary<Vector<float>>,
                            [<Optional; DefaultParameterValue(1e-12)>] relativeTolerance: float) : Property =
        Prop.forAll (Instances.rays targets outputs) (fun r ->
            Verify.Holds(MathDnn.Theory.LossAxiom.AlongRay(loss, r.Target, r.Direction, r.S, r.T, relativeTolerance)))

    /// A row of the spec table (<see cref="SpecChecks"/>, the rows of `mathdnn verify`) as a property: each case runs one
    /// instance of the check, drawn from a generated seed (<c>Draw(seed, 0)</c>), and holds when its error is within the
    /// row's tolerance. The F# properties that state a row call it through this, so the table and the properties share
    /// one implementation of each statement.
    static member Spec(check: SpecCheck) : Property =
        Prop.forAll (Arb.fromGen (Gen.choose (0, Int32.MaxValue))) (fun seed ->
            let error = check.Instance.Invoke(Draw(seed, 0L))
            error <= check.Tolerance
            |> Prop.label $"{check.Statement} ({check.What}): error {error:G3} > tolerance {check.Tolerance:G3} on the instance of seed {seed}")

    /// The row <c>SpecChecks.Find(statement, what)</c> as a property (see the overload taking a <see cref="SpecCheck"/>).
    static member Spec(statement: string, [<Optional; DefaultParameterValue("")>] what: string) : Property =
        Verify.Spec(SpecChecks.Find(statement, what))

    /// Runs a property on `cases` instances (100 by default) and throws with FsCheck's report (the shrunk
    /// counterexample and the violated inequality) when it fails.
    static member Check(property: Property, [<Optional; DefaultParameterValue(100)>] cases: int) : unit =
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases), property)
