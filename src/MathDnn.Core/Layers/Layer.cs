using System.Buffers;
using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Layers;

/// <summary>The shape of one parameter block of a layer: a rows×columns matrix (a bias is 1×m).</summary>
public sealed record ParameterShape(string Name, int Rows, int Columns)
{
    public int Length => Rows * Columns;
}

/// <summary>
/// One stage of a network: a dense layer, an activation, maxout… A layer is an immutable description (its sizes);
/// its parameters live in the network's <see cref="Networks.Parameters"/>, laid out as <see cref="ParameterShapes"/>
/// says. Batches have one sample per row (003 Convention 2). The batched forward and backward passes are generic
/// over the element type so that float32 and float64 share one implementation.
/// </summary>
public abstract record Layer
{
    /// <summary>A short name used in messages and model files (e.g. "dense", "relu").</summary>
    public abstract string Name { get; }

    /// <summary>The input width this layer requires, or null when it accepts any width (element-wise activations, softmax).</summary>
    public virtual int? InputSize => null;

    /// <summary>The output width for a given input width (throws when the input width is not accepted).</summary>
    public virtual int OutputSize(int inputSize) => inputSize;

    /// <summary>The parameter blocks of this layer, in storage order; empty for parameter-free layers.</summary>
    public virtual IReadOnlyList<ParameterShape> ParameterShapes => [];

    /// <summary>Σ of the block lengths.</summary>
    public int ParameterCount => ParameterShapes.Sum(s => s.Length);

    /// <summary>Y = layer(X) row by row. <paramref name="parameters"/> is this layer's slice of θ.</summary>
    internal abstract void Forward<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>
    /// The backward pass: given the forward input X, output Y and the upstream gradient dY (one row per sample),
    /// writes the parameter gradient (summed over the batch) into <paramref name="parameterGradient"/> and, when
    /// <paramref name="dx"/> is not null, the downstream gradient dX.
    /// </summary>
    internal abstract void Backward<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T>? dx, Span<T> parameterGradient)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>
    /// The explicit Jacobian of the layer's output with respect to its input at one sample x (m×n), as a dense MathNet
    /// matrix: the textbook form, kept as the reference oracle of the tests. The library's paths use
    /// <see cref="AppendJacobianFactors{T}"/>.
    /// </summary>
    internal abstract Matrix<double> InputJacobian(ReadOnlySpan<double> parameters, Vector<double> x);

    /// <summary>
    /// The explicit Jacobian of the layer's output with respect to its flattened parameters at one sample x (m×|θ_layer|),
    /// dense: the textbook form, kept as the tests' reference oracle; the library writes the blocks from their structure
    /// (<see cref="ParameterJacobianRows{T}"/>, <see cref="ParameterJacobianColumns{T}"/>).
    /// </summary>
    internal virtual Matrix<double> ParameterJacobian(ReadOnlySpan<double> parameters, Vector<double> x) =>
        Matrix<double>.Build.Dense(OutputSize(x.Count), 0);

    // ---- structured Jacobians (003 Thm 1.3) ----
    // Defaults derive everything from the backward pass, row by row (u·J for u = e_1 … e_m gives J's rows), so any layer
    // has them; the library's layers override them with their structure.

    /// <summary>
    /// Appends the factors of this layer's input Jacobian at each of the k rows of X (Y = layer(X)), leftmost first, so
    /// that their product is J_s at sample s. <paramref name="parameters"/> is this layer's slice of θ; factors may keep
    /// references to it and to X and Y.
    /// </summary>
    internal virtual void AppendJacobianFactors<T>(ReadOnlyMemory<T> parameters, Mat<T> x, Mat<T> y, List<Factor<T>> factors)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int k = x.Rows, n = x.Cols, m = y.Cols;
        var blocks = new T[k * m * n];
        var xs = new Mat<T>(m, n);
        var ys = new Mat<T>(m, m);
        var basis = new Mat<T>(m, m);
        for (int i = 0; i < m; i++) basis.Data[i * m + i] = T.One;
        var grad = ArrayPool<T>.Shared.Rent(Math.Max(1, ParameterCount));
        try
        {
            for (int s = 0; s < k; s++)
            {
                for (int r = 0; r < m; r++) { x.Row(s).CopyTo(xs.Row(r)); y.Row(s).CopyTo(ys.Row(r)); }
                var jac = new Mat<T>(m, n);
                Backward(parameters.Span, xs, ys, basis, jac, grad.AsSpan(0, ParameterCount));
                jac.Span.CopyTo(blocks.AsSpan(s * m * n, m * n));
            }
        }
        finally { ArrayPool<T>.Shared.Return(grad); }
        factors.Add(DenseFactor<T>.PerSample(blocks, m, n, k));
    }

    /// <summary>Whether <see cref="ParameterJacobianRows{T}"/> and <see cref="ParameterJacobianColumns{T}"/> write every entry of the layer's block (then callers need not clear it first).</summary>
    internal virtual bool WritesWholeParameterJacobian => false;

    /// <summary>dX = dY·J row by row, without the parameter gradient.</summary>
    internal virtual void BackwardInput<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T> dx)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var grad = ArrayPool<T>.Shared.Rent(Math.Max(1, ParameterCount));
        try { Backward(parameters, x, y, dy, dx, grad.AsSpan(0, ParameterCount)); }
        finally { ArrayPool<T>.Shared.Return(grad); }
    }

    /// <summary>
    /// Rows of the parameter Jacobian: for each of the k·q cotangents b_ρ (rows of <paramref name="b"/>, width m, ρ/q the
    /// sample), writes b_ρ·J_θ(x_{ρ/q}), this layer's |θ_layer| entries, at <c>result[ρ·ld ..]</c>. The rows are zero on entry.
    /// </summary>
    internal virtual void ParameterJacobianRows<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> b, int q, Span<T> result, int ld)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int m = y.Cols, count = ParameterCount;
        var xs = new Mat<T>(1, x.Cols);
        var ys = new Mat<T>(1, m);
        var dy = new Mat<T>(1, m);
        var grad = new T[count];
        for (int rho = 0; rho < b.Length / m; rho++)
        {
            x.Row(rho / q).CopyTo(xs.Span);
            y.Row(rho / q).CopyTo(ys.Span);
            b.Slice(rho * m, m).CopyTo(dy.Span);
            Backward(parameters, xs, ys, dy, null, grad);
            grad.CopyTo(result.Slice(rho * ld, count));
        }
    }

    /// <summary>
    /// The same entries written column-major: with R = k·q cotangents given transposed (<paramref name="bT"/> is m×R),
    /// entry (ρ, p) of the layer's block goes to <c>dest[p·R + ρ]</c>. <paramref name="dest"/> is zero on entry.
    /// </summary>
    internal virtual void ParameterJacobianColumns<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> bT, int q, Span<T> dest)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int m = y.Cols, count = ParameterCount, rows = bT.Length / m;
        var b = new T[rows * m];
        for (int u = 0; u < m; u++)
            for (int rho = 0; rho < rows; rho++) b[rho * m + u] = bT[u * rows + rho];
        var tmp = new T[rows * count];
        ParameterJacobianRows(parameters, x, y, b, q, tmp, count);
        for (int rho = 0; rho < rows; rho++)
            for (int p = 0; p < count; p++) dest[p * rows + rho] = tmp[rho * count + p];
    }

    /// <summary>norms[s] += ‖∇_θ_layer (δ_s·ℓ(x_s))‖², the squared norm of sample s's parameter gradient in this layer.</summary>
    internal virtual void AddPerSampleSquaredNorms<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Span<T> norms)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int count = ParameterCount;
        var rows = new T[x.Rows * count];
        ParameterJacobianRows(parameters, x, y, dy.Span, 1, rows, count);
        for (int s = 0; s < x.Rows; s++)
        {
            var g = rows.AsSpan(s * count, count);
            norms[s] += System.Numerics.Tensors.TensorPrimitives.Dot<T>(g, g);
        }
    }

    /// <summary>tangent += J_θ(x_s)·v_s for every row s: the output's change along the parameter direction v (this layer's slice).</summary>
    internal virtual void AddParameterTangent<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> v, Mat<T> tangent)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int m = y.Cols, count = ParameterCount;
        var jac = new T[m * count];
        var basis = new T[m * m];
        for (int i = 0; i < m; i++) basis[i * m + i] = T.One;
        var xs = new Mat<T>(1, x.Cols);
        var ys = new Mat<T>(1, m);
        for (int s = 0; s < x.Rows; s++)
        {
            x.Row(s).CopyTo(xs.Span);
            y.Row(s).CopyTo(ys.Span);
            Array.Clear(jac);
            ParameterJacobianRows(parameters, xs, ys, basis, m, jac, count);
            var t = tangent.Row(s);
            for (int i = 0; i < m; i++) t[i] += System.Numerics.Tensors.TensorPrimitives.Dot<T>(jac.AsSpan(i * count, count), v);
        }
    }

    /// <summary>Checks that an input of width <paramref name="inputSize"/> is accepted; the message names the layer and both shapes.</summary>
    internal void CheckInput(string operation, int inputSize)
    {
        if (InputSize is int n && n != inputSize)
            throw new ArgumentException($"{operation}: {Name} takes rows of width {n} but got rows of width {inputSize}.");
    }
}
