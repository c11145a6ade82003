using System.Buffers;
using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Layers;

/// <summary>
/// The shape of one parameter block of a layer: a rows×columns matrix, or a vector (<see cref="IsVector"/>, one row of
/// <see cref="Columns"/> values, e.g. a bias b ∈ ℝᵐ). Model files write a matrix as rows and a vector as a flat array; the
/// default initialisation draws matrices and starts vectors at 0.
/// </summary>
/// <param name="Name">The block's name in model files and messages (e.g. "W", "b").</param>
/// <param name="Rows">The number of rows (1 for a vector).</param>
/// <param name="Columns">The number of columns (the length of a vector).</param>
public sealed record ParameterShape(string Name, int Rows, int Columns)
{
    /// <summary>Rows·Columns, the number of parameters in the block.</summary>
    public int Length => Rows * Columns;

    /// <summary>True for a vector (1×length, written flat, initialised to 0 by default).</summary>
    public bool IsVector { get; init; }

    /// <summary>A vector block of <paramref name="length"/> values.</summary>
    public static ParameterShape Vector(string name, int length) => new(name, 1, length) { IsVector = true };
}

/// <summary>
/// One stage of a network ℓ: ℝⁿ → ℝᵐ (a dense layer, an activation, maxout, dropout, layer normalisation, or a user's
/// own): an immutable description — its sizes and settings — whose parameters live in the network's
/// <see cref="Networks.Parameters"/>, laid out as <see cref="ParameterShapes"/> says.
/// <para>
/// <b>Writing a layer.</b> Derive a record and give what the mathematics needs: <see cref="Name"/>, the widths
/// (<see cref="InputSize"/>, <see cref="OutputSize"/>), the parameter blocks (<see cref="ParameterShapes"/>, drawn by
/// <see cref="Initialize"/>), the value (<see cref="Forward{T}"/>) and the backward pass u ↦ u·J
/// (<see cref="Backward{T}"/>). Both work on a batch: contiguous row-major spans with one sample per row (003 Convention
/// 2), generic over the element type so that one implementation runs in float64 and float32 in the training engine and
/// allocates nothing when written without allocations. The explicit Jacobian is optional: <see cref="InputJacobians{T}"/>
/// derives it from the backward pass row by row (u = e_1, …, e_m gives the rows of J, 003 Thm 1.3) unless overridden, and a
/// layer whose Jacobian is diagonal says so in <see cref="DiagonalJacobian{T}"/>. Element-wise activations need only f and
/// f′ (<see cref="Activations.ElementwiseActivation"/>); a layer written one sample at a time in double is a
/// <see cref="PerSampleLayer"/>. <see cref="Settings"/> names the numbers a model file must store to rebuild the layer.
/// </para>
/// </summary>
public abstract record Layer
{
    /// <summary>A short name used in messages and model files (e.g. "dense", "relu"); a model file finds the layer's reader by it.</summary>
    public abstract string Name { get; }

    /// <summary>The input width this layer requires, or null when it accepts any width (element-wise activations, softmax).</summary>
    public virtual int? InputSize => null;

    /// <summary>The output width for a given input width (throws when the input width is not accepted).</summary>
    public virtual int OutputSize(int inputSize) => inputSize;

    /// <summary>The parameter blocks of this layer, in storage order; empty for parameter-free layers.</summary>
    public virtual IReadOnlyList<ParameterShape> ParameterShapes => [];

    /// <summary>Σ of the block lengths.</summary>
    public int ParameterCount => ParameterShapes.Sum(s => s.Length);

    /// <summary>
    /// The numbers, besides the parameters, that rebuild this layer (e.g. dropout's rate, leaky ReLU's slope), by name: a
    /// model file stores them beside the parameter blocks. Empty by default.
    /// </summary>
    public virtual IReadOnlyDictionary<string, double> Settings => EmptySettings;

    private static readonly IReadOnlyDictionary<string, double> EmptySettings = new Dictionary<string, double>();

    /// <summary>
    /// Draws this layer's initial parameters (its slice of θ, laid out as <see cref="ParameterShapes"/>) from
    /// <paramref name="rng"/> under <paramref name="scheme"/> (resolved: never <see cref="Initialization.Auto"/>), for inputs of
    /// width <paramref name="inputSize"/>. By default every matrix block W (rows × columns) is drawn with fan-in = columns and
    /// fan-out = rows as <see cref="Initialization"/> states, and every vector block starts at 0.
    /// </summary>
    public virtual void Initialize(Span<double> parameters, int inputSize, Initialization scheme, ref Rng rng) =>
        InitializeBlocks(ParameterShapes, parameters, scheme, ref rng);

    /// <summary>The default initialisation of blocks laid out as <paramref name="shapes"/>: matrices drawn with fan-in = columns, fan-out = rows; vectors 0.</summary>
    public static void InitializeBlocks(IReadOnlyList<ParameterShape> shapes, Span<double> parameters, Initialization scheme, ref Rng rng)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        int offset = 0;
        foreach (var shape in shapes)
        {
            var block = parameters.Slice(offset, shape.Length);
            if (shape.IsVector) block.Clear();
            else Initializer.Draw(block, shape.Columns, shape.Rows, scheme, ref rng);
            offset += shape.Length;
        }
    }

    /// <summary>
    /// Y = ℓ(X) row by row: <paramref name="x"/> holds <c>batch.Rows</c> rows of <c>batch.InputWidth</c>, <paramref name="y"/>
    /// receives <c>batch.Rows</c> rows of <c>batch.OutputWidth</c> (every entry written). <paramref name="parameters"/> is this
    /// layer's slice of θ. Must not write to anything but <paramref name="y"/>.
    /// </summary>
    public abstract void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>
    /// The backward pass (003 Thm 1.3, 001 Section 5): given the forward input X, its output Y = ℓ(X) and the upstream gradient
    /// δ = dY (one row per sample), writes the parameter gradient Σ_s δ_s·J_θ(x_s) (summed over the batch, every entry of
    /// <paramref name="parameterGradient"/> overwritten) and, unless <paramref name="dx"/> is empty, dX with rows δ_s·J(x_s).
    /// </summary>
    public abstract void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>
    /// The explicit Jacobians J(x_s) ∈ M_{m,n} of the output with respect to the input at every row s, written row-major one after
    /// the other into <paramref name="jacobians"/> (k·m·n entries). By default derived from <see cref="Backward{T}"/> row by row:
    /// row i of J(x_s) is e_i·J(x_s), the backward pass of the unit vector e_i (003 Thm 1.3), computed as one backward pass over m
    /// copies of sample s. Override it when J has a cheaper form, and in a stochastic layer whose draws depend on the row index
    /// (the copies sit at other rows than s).
    /// </summary>
    public virtual void InputJacobians<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> jacobians, Batch batch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int k = batch.Rows, n = batch.InputWidth, m = batch.OutputWidth;
        var xs = new T[m * n];
        var ys = new T[m * m];
        var basis = new T[m * m];
        for (int i = 0; i < m; i++) basis[i * m + i] = T.One;
        var grad = new T[ParameterCount];
        var one = batch with { Rows = m };
        for (int s = 0; s < k; s++)
        {
            // m copies of sample s against the m unit vectors: one batched backward pass gives J(x_s)'s m rows.
            for (int r = 0; r < m; r++) { x.Slice(s * n, n).CopyTo(xs.AsSpan(r * n)); y.Slice(s * m, m).CopyTo(ys.AsSpan(r * m)); }
            Backward<T>(parameters, xs, ys, basis, jacobians.Slice(s * m * n, m * n), grad, one);
        }
    }

    /// <summary>
    /// For a layer whose Jacobian is diagonal at every sample (element-wise maps, dropout): writes the diagonals, k rows of m, into
    /// <paramref name="diagonal"/> and returns true, so that Jacobian products treat it as a diagonal (003 Prop 5.1). The default
    /// returns false and writes nothing.
    /// </summary>
    public virtual bool DiagonalJacobian<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> diagonal, Batch batch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => false;

    // ---- the engine's calls on its row-major buffers ----

    /// <summary>Y = ℓ(X) on the engine's buffers; <paramref name="seed"/> non-null marks a training step.</summary>
    internal void ForwardOn<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ulong? seed = null, int firstRow = 0)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Forward(parameters, x.Span, y.Span, BatchOf(x, y, seed, firstRow));

    /// <summary>
    /// Whether the engine may run this layer and <paramref name="next"/>, the layer after it, as one pass
    /// (<see cref="ForwardFusedOn{T}"/>) — e.g. a dense layer and the ReLU after it. Only for pairs whose fused pass is
    /// bit-identical to the two forward passes and uses no training seed. False by default.
    /// </summary>
    internal virtual bool FusesForwardWith(Layer next) => false;

    /// <summary>
    /// Y = ℓ(X) into <paramref name="y"/> and Z = next(Y) into <paramref name="z"/> in one pass, for a <c>next</c> this layer
    /// <see cref="FusesForwardWith"/>; <paramref name="z"/> may be <paramref name="y"/> itself when Y is not needed.
    /// </summary>
    internal virtual void ForwardFusedOn<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> z)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"The {Name} layer fuses no forward pass with the next layer.");

    /// <summary>
    /// Whether the engine may run the backward passes of this layer and of <paramref name="previous"/>, the layer before it,
    /// as one (<see cref="BackwardFusedOn{T}"/>) — e.g. a dense layer's dX = δ·W and the mask of the ReLU before it. Only for
    /// pairs whose fused pass is bit-identical to the two backward passes, <paramref name="previous"/> without parameters,
    /// and neither using a training seed. False by default.
    /// </summary>
    internal virtual bool FusesBackwardWith(Layer previous) => false;

    /// <summary>
    /// This layer's parameter gradient (as <see cref="BackwardOn{T}"/>) and, instead of its dX, the previous layer's
    /// dX: <paramref name="previousDx"/> = δ·J(X)·J_previous(<paramref name="previousX"/>), the previous layer's input being
    /// <paramref name="previousX"/> (its output is X), for a previous layer this layer <see cref="FusesBackwardWith"/>.
    /// </summary>
    internal virtual void BackwardFusedOn<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T> previousX, Mat<T> previousDx, Span<T> parameterGradient)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"The {Name} layer fuses no backward pass with the previous layer.");

    /// <summary>The backward pass on the engine's buffers (dX skipped when <paramref name="dx"/> is null).</summary>
    internal void BackwardOn<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T>? dx, Span<T> parameterGradient, ulong? seed = null, int firstRow = 0)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Backward(parameters, x.Span, y.Span, dy.Span, dx is null ? default : dx.Span, parameterGradient, BatchOf(x, y, seed, firstRow));

    internal static Batch BatchOf<T>(Mat<T> x, Mat<T> y, ulong? seed = null, int firstRow = 0) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new(x.Rows, x.Cols, y.Cols, seed is not null, seed ?? 0, firstRow);

    /// <summary>
    /// The explicit Jacobian of the layer's output with respect to its input at one sample x (m×n), as a dense MathNet
    /// matrix: the textbook form, kept as the reference oracle of the tests (derived from <see cref="InputJacobians{T}"/>
    /// for layers that do not give it).
    /// </summary>
    internal virtual Matrix<double> InputJacobian(ReadOnlySpan<double> parameters, Vector<double> x)
    {
        int n = x.Count, m = OutputSize(n);
        var xs = x.ToArray();
        var y = new double[m];
        var batch = new Batch(1, n, m);
        Forward<double>(parameters, xs, y, batch);
        var j = new double[m * n];
        InputJacobians<double>(parameters, xs, y, j, batch);
        return Mat.ToMatrix(j, m, n);
    }

    /// <summary>
    /// The explicit Jacobian of the layer's output with respect to its flattened parameters at one sample x (m×|θ_layer|),
    /// dense: the textbook form, kept as the tests' reference oracle; the library writes the blocks from their structure
    /// (<see cref="ParameterJacobianRows{T}"/>, <see cref="ParameterJacobianColumns{T}"/>).
    /// </summary>
    internal virtual Matrix<double> ParameterJacobian(ReadOnlySpan<double> parameters, Vector<double> x)
    {
        int n = x.Count, m = OutputSize(n), count = ParameterCount;
        if (count == 0) return Matrix<double>.Build.Dense(m, 0);
        var xm = new Mat<double>(x.ToArray(), 1, n);
        var ym = new Mat<double>(1, m);
        ForwardOn(parameters, xm, ym);
        var basis = new double[m * m];
        for (int i = 0; i < m; i++) basis[i * m + i] = 1;
        var rows = new double[m * count];
        ParameterJacobianRows<double>(parameters, xm, ym, basis, m, rows, count);
        return Mat.ToMatrix(rows, m, count);
    }

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
        var batch = BatchOf(x, y);
        if (m == n)
        {
            var d = new T[k * m];
            if (DiagonalJacobian(parameters.Span, x.Span, y.Span, d, batch))
            {
                factors.Add(new DiagonalFactor<T>(d, m, k));
                return;
            }
        }
        var blocks = new T[k * m * n];
        InputJacobians(parameters.Span, x.Span, y.Span, blocks, batch);
        factors.Add(DenseFactor<T>.PerSample(blocks, m, n, k));
    }

    /// <summary>Whether <see cref="ParameterJacobianRows{T}"/> and <see cref="ParameterJacobianColumns{T}"/> write every entry of the layer's block (then callers need not clear it first).</summary>
    internal virtual bool WritesWholeParameterJacobian => false;

    /// <summary>dX = dY·J row by row, without the parameter gradient.</summary>
    internal virtual void BackwardInput<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T> dx)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int count = ParameterCount; // a sum over ParameterShapes, which layers build on each access: once here
        var grad = ArrayPool<T>.Shared.Rent(Math.Max(1, count));
        try { BackwardOn(parameters, x, y, dy, dx, grad.AsSpan(0, count)); }
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
            BackwardOn(parameters, xs, ys, dy, null, grad);
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
