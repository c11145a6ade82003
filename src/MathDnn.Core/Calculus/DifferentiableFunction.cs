using MathDnn.Jacobians;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Calculus;

/// <summary>
/// A differentiable application f: ℝⁿ → ℝᵐ (003 Def 1.1) held as a value: its map, its Jacobian
/// J_f(a) ∈ M_{m,n} (003 Def 1.2, rows = outputs, columns = inputs), its vector–Jacobian product
/// u ↦ u·J_f(a) (u a 1×m row, the backward pass) and its Jacobian–vector product v ↦ J_f(a)·vᵀ (the forward pass).
/// Values compose by the chain rule (003 Thm 1.3) and add by the sum rule (003 Prop 1.2). A composition keeps its
/// Jacobian as the chain of its parts' structured Jacobians (<see cref="Linearize"/>, a <see cref="LinearMap"/>) and
/// multiplies it out in the cheapest order only when <see cref="Jacobian"/> asks for the matrix.
/// Vectors are rows (003 Convention 2); a MathNet <see cref="Vector{T}"/> is read as a 1×n row.
/// Every operation leaves its arguments unchanged.
/// </summary>
public sealed class DifferentiableFunction
{
    private readonly Func<Vector<double>, Vector<double>> apply;
    private readonly Func<Vector<double>, Matrix<double>> jacobian;
    private readonly Func<Vector<double>, Vector<double>, Vector<double>> vjp;
    private readonly Func<Vector<double>, Vector<double>, Vector<double>> jvp;
    private readonly Func<Vector<double>, LinearMap>? linearize;

    /// <summary>
    /// Builds f from its map and its Jacobian; the vector–Jacobian and Jacobian–vector products default to u·J and J·vᵀ.
    /// <paramref name="linearization"/>, when given, is J_f(a) as a structured <see cref="LinearMap"/> (by default the
    /// Jacobian as one dense factor).
    /// </summary>
    public DifferentiableFunction(
        string name, int inputDimension, int outputDimension,
        Func<Vector<double>, Vector<double>> apply,
        Func<Vector<double>, Matrix<double>> jacobian,
        Func<Vector<double>, Vector<double>, Vector<double>>? vectorJacobianProduct = null,
        Func<Vector<double>, Vector<double>, Vector<double>>? jacobianVectorProduct = null,
        Func<Vector<double>, LinearMap>? linearization = null)
    {
        if (inputDimension < 1 || outputDimension < 1)
            throw new ArgumentException($"{name}: dimensions must be positive, got ℝ^{inputDimension} → ℝ^{outputDimension}.");
        Name = name;
        InputDimension = inputDimension;
        OutputDimension = outputDimension;
        this.apply = apply ?? throw new ArgumentNullException(nameof(apply));
        this.jacobian = jacobian ?? throw new ArgumentNullException(nameof(jacobian));
        vjp = vectorJacobianProduct ?? ((a, u) => jacobian(a).LeftMultiply(u));
        jvp = jacobianVectorProduct ?? ((a, v) => jacobian(a) * v);
        linearize = linearization;
    }

    /// <summary>The function's name, for messages and <see cref="ToString"/>.</summary>
    public string Name { get; }

    /// <summary>n, the dimension of the domain ℝⁿ.</summary>
    public int InputDimension { get; }

    /// <summary>m, the dimension of the codomain ℝᵐ.</summary>
    public int OutputDimension { get; }

    /// <summary>f(a) ∈ ℝᵐ.</summary>
    public Vector<double> Apply(Vector<double> a)
    {
        Guard.Length(Name, "the point", a, InputDimension);
        return Checked("value", apply(a.Clone()), OutputDimension);
    }

    /// <summary>J_f(a) ∈ M_{m,n}: entry (i, j) is ∂f_i/∂e_j(a) (003 Def 1.2).</summary>
    public Matrix<double> Jacobian(Vector<double> a)
    {
        Guard.Length(Name, "the point", a, InputDimension);
        var j = jacobian(a.Clone());
        if (j.RowCount != OutputDimension || j.ColumnCount != InputDimension)
            throw new InvalidOperationException(
                $"{Name}: the Jacobian must be {OutputDimension}×{InputDimension}, the function returned {Guard.Shape(j)}.");
        return j;
    }

    /// <summary>J_f(a) as a structured linear map: for a composition, the chain of its parts' factors (003 Thm 1.3).</summary>
    public LinearMap Linearize(Vector<double> a)
    {
        Guard.Length(Name, "the point", a, InputDimension);
        var map = LinearizeUnchecked(a.Clone());
        if (map.Rows != OutputDimension || map.Columns != InputDimension)
            throw new InvalidOperationException(
                $"{Name}: the linearisation must be {OutputDimension}×{InputDimension}, the function returned {map.Rows}×{map.Columns}.");
        return map;
    }

    private LinearMap LinearizeUnchecked(Vector<double> a) => linearize is null ? LinearMap.Dense(jacobian(a)) : linearize(a);

    /// <summary>u·J_f(a) ∈ ℝⁿ for a row u ∈ ℝᵐ: the backward pass (gradient of u·f at a).</summary>
    public Vector<double> VectorJacobianProduct(Vector<double> a, Vector<double> u)
    {
        Guard.Length(Name, "the point", a, InputDimension);
        Guard.Length(Name, "the cotangent u", u, OutputDimension);
        return Checked("vector–Jacobian product", vjp(a.Clone(), u.Clone()), InputDimension);
    }

    /// <summary>J_f(a)·vᵀ ∈ ℝᵐ for a direction v ∈ ℝⁿ: the directional derivative ∂f/∂v(a) (003 Def 1.1).</summary>
    public Vector<double> JacobianVectorProduct(Vector<double> a, Vector<double> v)
    {
        Guard.Length(Name, "the point", a, InputDimension);
        Guard.Length(Name, "the direction v", v, InputDimension);
        return Checked("Jacobian–vector product", jvp(a.Clone(), v.Clone()), OutputDimension);
    }

    /// <summary>
    /// g ∘ f (003 Notation 7) with J_{g∘f}(a) = J_g(f(a))·J_f(a) (003 Thm 1.3, the chain rule), kept as the chain of both
    /// linearisations and multiplied out in the cheapest order when the matrix is asked for; its backward pass is
    /// u ↦ (u·J_g(f(a)))·J_f(a) and its forward pass v ↦ J_g(f(a))·(J_f(a)·vᵀ), so no Jacobian is formed for them.
    /// </summary>
    public static DifferentiableFunction Compose(DifferentiableFunction g, DifferentiableFunction f)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(f);
        if (g.InputDimension != f.OutputDimension)
            throw new ArgumentException(
                $"Compose: {g.Name} takes 1×{g.InputDimension} but {f.Name} returns 1×{f.OutputDimension}.");
        return new DifferentiableFunction(
            $"{g.Name} ∘ {f.Name}", f.InputDimension, g.OutputDimension,
            a => g.apply(f.apply(a)),
            a => Chain(g, f, a).ToMatrix(),
            (a, u) => f.vjp(a, g.vjp(f.apply(a), u)),
            (a, v) => g.jvp(f.apply(a), f.jvp(a, v)),
            a => Chain(g, f, a));

        static LinearMap Chain(DifferentiableFunction g, DifferentiableFunction f, Vector<double> a) =>
            LinearMap.Compose(g.LinearizeUnchecked(f.apply(a)), f.LinearizeUnchecked(a));
    }

    /// <summary>g ∘ f written left to right: <c>f.Then(g)</c>.</summary>
    public DifferentiableFunction Then(DifferentiableFunction g) => Compose(g, this);

    /// <summary>f + g with J_{f+g} = J_f + J_g (003 Prop 1.2).</summary>
    public static DifferentiableFunction Sum(DifferentiableFunction f, DifferentiableFunction g)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(g);
        if (f.InputDimension != g.InputDimension || f.OutputDimension != g.OutputDimension)
            throw new ArgumentException(
                $"Sum: {f.Name} is ℝ^{f.InputDimension} → ℝ^{f.OutputDimension} but {g.Name} is ℝ^{g.InputDimension} → ℝ^{g.OutputDimension}.");
        return new DifferentiableFunction(
            $"({f.Name} + {g.Name})", f.InputDimension, f.OutputDimension,
            a => f.apply(a) + g.apply(a),
            a => f.jacobian(a) + g.jacobian(a),
            (a, u) => f.vjp(a, u) + g.vjp(a, u),
            (a, v) => f.jvp(a, v) + g.jvp(a, v));
    }

    /// <summary>The pointwise sum f + g, as <see cref="Sum"/>.</summary>
    public static DifferentiableFunction operator +(DifferentiableFunction f, DifferentiableFunction g) => Sum(f, g);

    /// <summary>The linear map x ↦ x·Aᵀ (so that its Jacobian is A ∈ M_{m,n}, as 003 Prop 4.1).</summary>
    public static DifferentiableFunction Linear(Matrix<double> a, string name = "linear")
    {
        var copy = a.Clone();
        return new DifferentiableFunction(name, copy.ColumnCount, copy.RowCount,
            x => copy * x, _ => copy.Clone(), (_, u) => copy.LeftMultiply(u), (_, v) => copy * v, _ => LinearMap.Dense(copy));
    }

    /// <summary>The identity of ℝⁿ, whose Jacobian is Iₙ.</summary>
    public static DifferentiableFunction Identity(int n) =>
        new("id", n, n, x => x, _ => Matrix<double>.Build.DenseIdentity(n), (_, u) => u, (_, v) => v, _ => LinearMap.Identity(n));

    /// <summary>"name: ℝ^n → ℝ^m".</summary>
    public override string ToString() => $"{Name}: ℝ^{InputDimension} → ℝ^{OutputDimension}";

    private Vector<double> Checked(string what, Vector<double> v, int expected)
    {
        if (v.Count != expected)
            throw new InvalidOperationException($"{Name}: the {what} must be 1×{expected}, the function returned 1×{v.Count}.");
        return v;
    }
}
