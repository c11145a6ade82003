using MathDnn.Calculus;
using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Activations;

/// <summary>
/// An activation function ℝᵐ → ℝᵐ (003 Section 2): a parameter-free layer with its value, its explicit Jacobian
/// and its backward pass u ↦ u·J(z). Applied to a batch, it acts on each row. To write one, derive a record and give
/// <see cref="Layer.Forward{T}"/> and <see cref="Layer.Backward{T}"/> (the parameter spans are empty); an element-wise one
/// needs only f and f′ (<see cref="ElementwiseActivation"/>).
/// </summary>
public abstract record Activation : Layer
{
    /// <summary>The activation of one sample z (a row).</summary>
    public Vector<double> Apply(Vector<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var y = new double[OutputSize(z.Count)];
        Forward<double>([], z.ToArray(), y, new Batch(1, z.Count, y.Length));
        return Vector<double>.Build.DenseOfArray(y);
    }

    /// <summary>The activation of every row of a batch.</summary>
    public Matrix<double> Apply(Matrix<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var x = Mat.From(z);
        var y = new Mat<double>(x.Rows, OutputSize(x.Cols));
        ForwardOn([], x, y);
        return y.ToMatrix();
    }

    /// <summary>The explicit Jacobian J(z) ∈ M_{m,m} (by default from <see cref="Layer.InputJacobians{T}"/>).</summary>
    public virtual Matrix<double> Jacobian(Vector<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        return InputJacobian([], z);
    }

    /// <summary>
    /// The backward pass u·J(z): the gradient of F∘activation at z given the upstream gradient u of F at activation(z).
    /// Element-wise activations compute it without a matrix product (003 Prop 5.1).
    /// </summary>
    public Vector<double> Backward(Vector<double> z, Vector<double> upstream)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(upstream);
        var zs = z.ToArray();
        int m = OutputSize(zs.Length);
        if (upstream.Count != m)
            throw new ArgumentException($"{Name} backward: z is 1×{zs.Length} so the upstream gradient must be 1×{m}, got 1×{upstream.Count}.");
        var y = new double[m];
        var batch = new Batch(1, zs.Length, m);
        Forward<double>([], zs, y, batch);
        var dz = new double[zs.Length];
        Backward<double>([], zs, y, upstream.ToArray(), dz, [], batch);
        return Vector<double>.Build.DenseOfArray(dz);
    }

    /// <summary>This activation on ℝᵐ as a <see cref="DifferentiableFunction"/>.</summary>
    public DifferentiableFunction AsFunction(int m) =>
        new(Name, m, OutputSize(m), Apply, Jacobian, (z, u) => Backward(z, u), (z, v) => JacobianMap(z).Jvp(v), JacobianMap);

    /// <summary>The structured Jacobian J(z) as a linear map (diagonal for element-wise activations, 003 Prop 2.1; diag(s) − sᵀs for softmax, 003 Prop 2.2).</summary>
    public LinearMap JacobianMap(Vector<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var x = Mat.FromRow(z);
        var y = new Mat<double>(1, OutputSize(z.Count));
        ForwardOn([], x, y);
        var factors = new List<Factor<double>>();
        AppendJacobianFactors<double>(ReadOnlyMemory<double>.Empty, x, y, factors);
        return new LinearMap([.. factors.Select(f => f.Sample(0))]);
    }
}

/// <summary>
/// An activation applied coordinate by coordinate, y_i = f(z_i). Its Jacobian is diagonal, diag(f'(z_1), …, f'(z_m))
/// (003 Prop 2.1 for ReLU), so its backward pass is the Hadamard product u ⊙ f'(z), with no matrix product (003 Prop 5.1).
/// To write one, give f (<see cref="Value{T}"/>) and f′ (<see cref="Derivative{T}(T, T)"/>); override the span forms
/// <see cref="Values{T}"/> and <see cref="Derivatives{T}"/> to vectorise them.
/// </summary>
public abstract record ElementwiseActivation : Activation
{
    /// <summary>f(z) for one scalar.</summary>
    public abstract T Value<T>(T z) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>f′(z) for one scalar, given also y = f(z) (some derivatives are cheapest from y, e.g. σ′ = y(1 − y)); at a kink, the one-sided value the activation documents.</summary>
    public abstract T Derivative<T>(T z, T y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>f(z) for one scalar in double.</summary>
    public double Value(double z) => Value<double>(z);

    /// <summary>f′(z) for one scalar in double.</summary>
    public double Derivative(double z) => Derivative<double>(z, Value<double>(z));

    /// <summary>y_i = f(z_i) for every entry (by default one <see cref="Value{T}"/> per entry).</summary>
    public virtual void Values<T>(ReadOnlySpan<T> z, Span<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++) y[i] = Value(z[i]);
    }

    /// <summary>d_i = f′(z_i), given z and y = f(z) (by default one <see cref="Derivative{T}(T, T)"/> per entry).</summary>
    public virtual void Derivatives<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++) d[i] = Derivative(z[i], y[i]);
    }

    /// <summary>J(z) = diag(f′(z_1), …, f′(z_m)) ∈ M_{m,m} (003 Prop 2.1), built from <see cref="Derivatives{T}"/>.</summary>
    public sealed override Matrix<double> Jacobian(Vector<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var zs = z.ToArray();
        var y = new double[zs.Length];
        var d = new double[zs.Length];
        Values<double>(zs, y);
        Derivatives<double>(zs, y, d);
        return Matrix<double>.Build.DenseOfDiagonalArray(d);
    }

    /// <summary>J(z_s) = diag(f′(z_s)) at every row (003 Prop 2.1, 003 Prop 5.1).</summary>
    public sealed override bool DiagonalJacobian<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> diagonal, Batch batch)
    {
        int count = batch.Rows * batch.InputWidth;
        Derivatives(x[..count], y[..count], diagonal[..count]);
        return true;
    }

    /// <summary>J(z_s) = diag(f′(z_s)), written densely.</summary>
    public sealed override void InputJacobians<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> jacobians, Batch batch)
    {
        int k = batch.Rows, m = batch.InputWidth;
        var d = new T[k * m];
        Derivatives(x[..(k * m)], y[..(k * m)], d);
        jacobians[..(k * m * m)].Clear();
        for (int s = 0; s < k; s++)
            for (int i = 0; i < m; i++) jacobians[s * m * m + i * m + i] = d[s * m + i];
    }

    /// <summary>y_i = f(z_i) for every entry of the batch (one <see cref="Values{T}"/> call over all rows).</summary>
    public sealed override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
    {
        int count = batch.Rows * batch.InputWidth;
        Values(x[..count], y[..count]);
    }

    /// <summary>003 Prop 5.1: (u·J)_j = u_j·f′(z_j), a Hadamard product.</summary>
    public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch)
    {
        if (dx.IsEmpty) return;
        int count = batch.Rows * batch.InputWidth;
        Derivatives(x[..count], y[..count], dx[..count]);
        System.Numerics.Tensors.TensorPrimitives.Multiply(dx[..count], dy[..count], dx[..count]);
    }

    internal sealed override void BackwardInput<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T> dx) =>
        Backward(parameters, x.Span, y.Span, dy.Span, dx.Span, [], BatchOf(x, y));
}
