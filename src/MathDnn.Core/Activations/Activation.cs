using MathDnn.Calculus;
using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Activations;

/// <summary>
/// An activation function ℝᵐ → ℝᵐ (003 Section 2): a parameter-free layer with its value, its explicit Jacobian
/// and its backward pass u ↦ u·J(z). Applied to a batch, it acts on each row.
/// </summary>
public abstract record Activation : Layer
{
    /// <summary>The activation of one sample z (a row).</summary>
    public Vector<double> Apply(Vector<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var y = new double[z.Count];
        Forward<double>(z.ToArray(), y, 1, z.Count);
        return Vector<double>.Build.DenseOfArray(y);
    }

    /// <summary>The activation of every row of a batch.</summary>
    public Matrix<double> Apply(Matrix<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var x = Mat.From(z);
        var y = new Mat<double>(x.Rows, x.Cols);
        Forward<double>(x.Span, y.Span, x.Rows, x.Cols);
        return y.ToMatrix();
    }

    /// <summary>The explicit Jacobian J(z) ∈ M_{m,m}.</summary>
    public abstract Matrix<double> Jacobian(Vector<double> z);

    /// <summary>
    /// The backward pass u·J(z): the gradient of F∘activation at z given the upstream gradient u of F at activation(z).
    /// Element-wise activations compute it without a matrix product (003 Prop 5.1).
    /// </summary>
    public Vector<double> Backward(Vector<double> z, Vector<double> upstream)
    {
        Guard.SameLength($"{Name} backward", z, "z", upstream, "the upstream gradient");
        var zs = z.ToArray();
        var y = new double[zs.Length];
        Forward<double>(zs, y, 1, zs.Length);
        var dz = new double[zs.Length];
        Backward<double>(zs, y, upstream.ToArray(), dz, 1, zs.Length);
        return Vector<double>.Build.DenseOfArray(dz);
    }

    /// <summary>This activation on ℝᵐ as a <see cref="DifferentiableFunction"/>.</summary>
    public DifferentiableFunction AsFunction(int m) =>
        new(Name, m, m, Apply, Jacobian, (z, u) => Backward(z, u), (z, v) => JacobianMap(z).Jvp(v), JacobianMap);

    /// <summary>y = f(z) for <paramref name="rows"/> rows of width <paramref name="cols"/>.</summary>
    internal abstract void Forward<T>(ReadOnlySpan<T> z, Span<T> y, int rows, int cols) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>dz = dy·J(z) row by row, given z and y = f(z).</summary>
    internal abstract void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dz, int rows, int cols)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    internal sealed override void Forward<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y) =>
        Forward<T>(x.Span, y.Span, x.Rows, x.Cols);

    internal sealed override void Backward<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T>? dx, Span<T> parameterGradient)
    {
        if (dx is not null) Backward<T>(x.Span, y.Span, dy.Span, dx.Span, x.Rows, x.Cols);
    }

    internal sealed override Matrix<double> InputJacobian(ReadOnlySpan<double> parameters, Vector<double> x) => Jacobian(x);

    internal sealed override void BackwardInput<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T> dx) =>
        Backward<T>(x.Span, y.Span, dy.Span, dx.Span, x.Rows, x.Cols);

    /// <summary>The structured Jacobian J(z) as a linear map (diagonal for element-wise activations, 003 Prop 2.1; diag(s) − sᵀs for softmax, 003 Prop 2.2).</summary>
    public LinearMap JacobianMap(Vector<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var x = Mat.FromRow(z);
        var y = new Mat<double>(1, z.Count);
        Forward<double>(x.Span, y.Span, 1, z.Count);
        var factors = new List<Factor<double>>();
        AppendJacobianFactors<double>(ReadOnlyMemory<double>.Empty, x, y, factors);
        return new LinearMap([.. factors.Select(f => f.Sample(0))]);
    }
}

/// <summary>
/// An activation applied coordinate by coordinate, y_i = f(z_i). Its Jacobian is diagonal, diag(f'(z_1), …, f'(z_m))
/// (003 Prop 2.1 for ReLU), so its backward pass is the Hadamard product u ⊙ f'(z), with no matrix product (003 Prop 5.1).
/// </summary>
public abstract record ElementwiseActivation : Activation
{
    /// <summary>f(z) for one scalar.</summary>
    public double Value(double z)
    {
        Span<double> y = stackalloc double[1];
        Forward<double>([z], y, 1, 1);
        return y[0];
    }

    /// <summary>f'(z) for one scalar (at a kink, the one-sided value this activation documents).</summary>
    public double Derivative(double z)
    {
        Span<double> y = stackalloc double[1], d = stackalloc double[1];
        Forward<double>([z], y, 1, 1);
        Derivative<double>([z], y, d);
        return d[0];
    }

    public sealed override Matrix<double> Jacobian(Vector<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var zs = z.ToArray();
        var y = new double[zs.Length];
        var d = new double[zs.Length];
        Forward<double>(zs, y, 1, zs.Length);
        Derivative<double>(zs, y, d);
        return Matrix<double>.Build.DenseOfDiagonalArray(d);
    }

    /// <summary>J(z_s) = diag(f′(z_s)) at every row (003 Prop 2.1, 003 Prop 5.1).</summary>
    internal sealed override void AppendJacobianFactors<T>(ReadOnlyMemory<T> parameters, Mat<T> x, Mat<T> y, List<Factor<T>> factors)
    {
        var d = new T[x.Rows * x.Cols];
        Derivative<T>(x.Span, y.Span, d);
        factors.Add(new DiagonalFactor<T>(d, x.Cols, x.Rows));
    }

    /// <summary>d_i = f'(z_i), given z and y = f(z) (some derivatives are cheapest from y, e.g. σ' = y(1 − y)).</summary>
    internal abstract void Derivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>f applied to every entry.</summary>
    internal abstract void Map<T>(ReadOnlySpan<T> z, Span<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    internal sealed override void Forward<T>(ReadOnlySpan<T> z, Span<T> y, int rows, int cols) => Map(z, y);

    internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dz, int rows, int cols)
    {
        // 003 Prop 5.1: (u·J)_j = u_j·f'(z_j) — a Hadamard product.
        Derivative(z, y, dz);
        System.Numerics.Tensors.TensorPrimitives.Multiply(dz, dy, dz);
    }
}
