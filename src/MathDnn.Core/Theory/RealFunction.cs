using MathDnn.Calculus;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// A real function f ∈ 𝒟(ℝᵐ, ℝ) (003 Section 6 takes every f there from this set) held with its gradient ∇f, a 1×m row
/// (003 Def 1.2 with one output). The object every statement of 003 Section 6 is about: <see cref="Convexity"/>,
/// <see cref="Smoothness"/> and the estimators take it. Build one from a value and a gradient, from a
/// <see cref="DifferentiableFunction"/> ℝᵐ → ℝ, or from a value alone with a central-difference gradient.
/// Evaluations never mutate their argument; results are checked for shape and finiteness.
/// </summary>
public sealed class RealFunction
{
    private readonly Func<Vector<double>, double> value;
    private readonly Func<Vector<double>, Vector<double>> gradient;

    private RealFunction(string name, int dimension, Func<Vector<double>, double> value, Func<Vector<double>, Vector<double>> gradient, bool numericGradient)
    {
        if (dimension < 1) throw new ArgumentException($"Real function {name}: the dimension m of ℝᵐ must be positive, got {dimension}.");
        Name = name;
        Dimension = dimension;
        this.value = value ?? throw new ArgumentNullException(nameof(value));
        this.gradient = gradient ?? throw new ArgumentNullException(nameof(gradient));
        HasNumericGradient = numericGradient;
    }

    /// <summary>The function's name, for messages.</summary>
    public string Name { get; }

    /// <summary>m, the dimension of the domain ℝᵐ.</summary>
    public int Dimension { get; }

    /// <summary>Whether ∇f is a central-difference estimate (relative error ≈ 1e-10, not ≈ ε): comparisons should use a looser tolerance.</summary>
    public bool HasNumericGradient { get; }

    /// <summary>f from its value and its gradient (a 1×m row).</summary>
    public static RealFunction Of(string name, int dimension, Func<Vector<double>, double> value, Func<Vector<double>, Vector<double>> gradient) =>
        new(name, dimension, value, gradient, false);

    /// <summary>f from its value alone; ∇f is the central-difference gradient (<see cref="FiniteDifferences.Gradient"/>).</summary>
    public static RealFunction WithNumericGradient(string name, int dimension, Func<Vector<double>, double> value) =>
        new(name, dimension, value, x => FiniteDifferences.Gradient(value, x), true);

    /// <summary>A <see cref="DifferentiableFunction"/> ℝᵐ → ℝ read as a real function; its gradient is its 1×m Jacobian (003 Def 1.2).</summary>
    public static RealFunction From(DifferentiableFunction f)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.OutputDimension != 1)
            throw new ArgumentException($"Real function: {f.Name} maps ℝ^{f.InputDimension} → ℝ^{f.OutputDimension}; a real function needs one output.");
        var one = Vector<double>.Build.Dense(1, 1.0);
        return new(f.Name, f.InputDimension, x => f.Apply(x)[0], x => f.VectorJacobianProduct(x, one), false);
    }

    /// <summary>f(x).</summary>
    public double Value(Vector<double> x)
    {
        Guard.Length($"Real function {Name}", "the point x", x, Dimension);
        double v = value(x.Clone());
        if (double.IsNaN(v))
            throw new ArithmeticException($"Real function {Name}: f(x) is NaN at x = {Format(x)}.");
        return v;
    }

    /// <summary>∇f(x), a 1×m row.</summary>
    public Vector<double> Gradient(Vector<double> x)
    {
        Guard.Length($"Real function {Name}", "the point x", x, Dimension);
        var g = gradient(x.Clone());
        if (g is null || g.Count != Dimension)
            throw new InvalidOperationException($"Real function {Name}: the gradient must be 1×{Dimension}, the function returned {(g is null ? "null" : Guard.Shape(g))}.");
        for (int j = 0; j < g.Count; j++)
            if (double.IsNaN(g[j])) throw new ArithmeticException($"Real function {Name}: ∇f(x) has NaN at entry {j}, x = {Format(x)}.");
        return g;
    }

    /// <summary>As a <see cref="DifferentiableFunction"/> ℝᵐ → ℝ (Jacobian = the gradient as a 1×m matrix).</summary>
    public DifferentiableFunction AsFunction() =>
        new(Name, Dimension, 1, x => Vector<double>.Build.Dense(1, Value(x)), x => Gradient(x).ToRowMatrix());

    /// <summary>"name: ℝ^m → ℝ".</summary>
    public override string ToString() => $"{Name}: ℝ^{Dimension} → ℝ";

    /// <summary>A row on one line, entries to 17 significant digits so that a counterexample can be pasted back.</summary>
    public static string Format(Vector<double> v) =>
        "(" + string.Join(", ", v.Select(e => e.ToString("G17", System.Globalization.CultureInfo.InvariantCulture))) + ")";
}
