using System.Numerics.Tensors;
using MathDnn.Activations;
using MathDnn.Calculus;
using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Layers;

/// <summary>
/// The dense layer 𝕃(y, W, b) = y·Wᵀ + b with y ∈ ℝⁿ, W ∈ M_{m,n}, b ∈ ℝᵐ (003 Def 4.1). Its Jacobians are
/// W with respect to y (003 Prop 4.1), the matrix with y at row i* and zeros elsewhere with respect to row i* of W
/// (003 Prop 4.2), and Iₘ with respect to b (003 Prop 4.3). On a batch Y (one sample per row) with upstream
/// gradient δ: dW = δᵀ·Y (003 Prop 5.2, summed over samples), db = column sums of δ, dY = δ·W.
/// Parameters are stored as W (m rows of n, row-major) followed by b.
/// </summary>
public sealed record Dense : Layer
{
    /// <summary>A dense layer ℝⁿ → ℝᵐ with n = <paramref name="inputs"/>, m = <paramref name="outputs"/>: W ∈ M_{m,n}, b ∈ ℝᵐ.</summary>
    /// <exception cref="ArgumentException">A size is below 1.</exception>
    public Dense(int inputs, int outputs)
    {
        if (inputs < 1 || outputs < 1)
            throw new ArgumentException($"Dense layer: sizes must be positive, got {inputs} → {outputs}.");
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>n, the input width.</summary>
    public int Inputs { get; }

    /// <summary>m, the output width (number of units).</summary>
    public int Outputs { get; }

    /// <inheritdoc/>
    public override string Name => "dense";
    /// <summary>n (<see cref="Inputs"/>).</summary>
    public override int? InputSize => Inputs;

    /// <summary>m (<see cref="Outputs"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="inputSize"/> is not n.</exception>
    public override int OutputSize(int inputSize)
    {
        CheckInput("Dense layer", inputSize);
        return Outputs;
    }

    /// <summary>W (m×n, row-major) then b (a vector of m).</summary>
    public override IReadOnlyList<ParameterShape> ParameterShapes => [new("W", Outputs, Inputs), ParameterShape.Vector("b", Outputs)];

    // ---- the mathematics on one sample (003 Section 4) ----

    /// <summary>𝕃(y, W, b) = y·Wᵀ + b (003 Def 4.1).</summary>
    public static Vector<double> Apply(Vector<double> y, Matrix<double> w, Vector<double> b)
    {
        CheckShapes("Dense layer", y.Count, w, b);
        return w * y + b;
    }

    /// <summary>Y·Wᵀ + b for a batch Y with one sample per row.</summary>
    public static Matrix<double> Apply(Matrix<double> y, Matrix<double> w, Vector<double> b)
    {
        CheckShapes("Dense layer", y.ColumnCount, w, b);
        var layer = new Dense(w.ColumnCount, w.RowCount);
        var x = Mat.From(y);
        var output = new Mat<double>(x.Rows, w.RowCount);
        layer.ForwardOn<double>(Pack(w, b), x, output);
        return output.ToMatrix();
    }

    /// <summary>J_{𝕃(·, W, b)}(y) = W ∈ M_{m,n} (003 Prop 4.1).</summary>
    public static Matrix<double> InputJacobian(Matrix<double> w) => w.Clone();

    /// <summary>J_{𝕃(y, …, ·, …, b)} with respect to row i* of W: y at row i*, zeros elsewhere, in M_{m,n} (003 Prop 4.2).</summary>
    public static Matrix<double> RowJacobian(Vector<double> y, int outputs, int row)
    {
        if (row < 0 || row >= outputs)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Dense layer: the row index must be in [0, {outputs}).");
        var j = Matrix<double>.Build.Dense(outputs, y.Count);
        j.SetRow(row, y);
        return j;
    }

    /// <summary>J_{𝕃(y, W, ·)}(b) = Iₘ (003 Prop 4.3).</summary>
    public static Matrix<double> BiasJacobian(int outputs) => Matrix<double>.Build.DenseIdentity(outputs);

    /// <summary>
    /// The batched backward pass of 003 Prop 5.2: for inputs Y (k×n), weights W (m×n) and upstream gradient δ (k×m),
    /// dW = δᵀ·Y, db = Σ_rows δ, dY = δ·W.
    /// </summary>
    public static (Matrix<double> dW, Vector<double> db, Matrix<double> dY) Backward(Matrix<double> y, Matrix<double> w, Matrix<double> delta)
    {
        if (y.ColumnCount != w.ColumnCount || delta.ColumnCount != w.RowCount || delta.RowCount != y.RowCount)
            throw new ArgumentException(
                $"Dense backward: Y is {Guard.Shape(y)}, W is {Guard.Shape(w)}, δ is {Guard.Shape(delta)}; need Y k×n, W m×n, δ k×m.");
        var layer = new Dense(w.ColumnCount, w.RowCount);
        var x = Mat.From(y);
        var d = Mat.From(delta);
        var dx = new Mat<double>(x.Rows, x.Cols);
        var grad = new double[layer.ParameterCount];
        var b = new double[w.RowCount];
        layer.BackwardOn<double>(Pack(w, Vector<double>.Build.DenseOfArray(b)), x, new Mat<double>(d.Rows, d.Cols), d, dx, grad);
        return (Mat.ToMatrix(grad[..(w.RowCount * w.ColumnCount)], w.RowCount, w.ColumnCount),
                Vector<double>.Build.DenseOfArray(grad[(w.RowCount * w.ColumnCount)..]),
                dx.ToMatrix());
    }

    /// <summary>y ↦ y·Wᵀ + b as a <see cref="DifferentiableFunction"/> (Jacobian W, 003 Prop 4.1).</summary>
    public static DifferentiableFunction AsFunction(Matrix<double> w, Vector<double> b)
    {
        CheckShapes("Dense layer", w.ColumnCount, w, b);
        var (wc, bc) = (w.Clone(), b.Clone());
        return new DifferentiableFunction("dense", wc.ColumnCount, wc.RowCount,
            y => wc * y + bc, _ => wc.Clone(), (_, u) => wc.LeftMultiply(u), (_, v) => wc * v, _ => LinearMap.Dense(wc));
    }

    /// <summary>w ↦ 𝕃(y, W with row i* replaced by w, b) as a <see cref="DifferentiableFunction"/> (003 Prop 4.2).</summary>
    public static DifferentiableFunction AsFunctionOfRow(Vector<double> y, Matrix<double> w, Vector<double> b, int row)
    {
        CheckShapes("Dense layer", y.Count, w, b);
        var (yc, wc, bc) = (y.Clone(), w.Clone(), b.Clone());
        return new DifferentiableFunction($"dense(row {row} of W)", wc.ColumnCount, wc.RowCount,
            r => { var wr = wc.Clone(); wr.SetRow(row, r); return wr * yc + bc; },
            _ => RowJacobian(yc, wc.RowCount, row));
    }

    /// <summary>b ↦ 𝕃(y, W, b) as a <see cref="DifferentiableFunction"/> (003 Prop 4.3).</summary>
    public static DifferentiableFunction AsFunctionOfBias(Vector<double> y, Matrix<double> w)
    {
        if (y.Count != w.ColumnCount)
            throw new ArgumentException($"Dense layer: y is {Guard.Shape(y)} but W is {Guard.Shape(w)}; y must be 1×{w.ColumnCount}.");
        var (yc, wc) = (y.Clone(), w.Clone());
        return new DifferentiableFunction("dense(b)", wc.RowCount, wc.RowCount, bb => wc * yc + bb, _ => BiasJacobian(wc.RowCount));
    }

    // ---- the engine ----

    /// <summary>Y = X·Wᵀ + b (003 Def 4.1, one sample per row), the bias added in the product's store (<see cref="Blas.GemmBias{T}"/>).</summary>
    public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
    {
        int m = Outputs, n = Inputs;
        Blas.GemmBias(false, true, batch.Rows, m, n, T.One, x, n, parameters[..(m * n)], n, T.Zero, y, m, parameters.Slice(m * n, m));
    }

    /// <summary>A ReLU right after a dense layer is written by the dense layer's product (<see cref="ForwardFusedOn{T}"/>).</summary>
    internal override bool FusesForwardWith(Layer next) => next is Relu;

    /// <summary>
    /// Z = X·Wᵀ + b (003 Def 4.1) into <paramref name="y"/> and 𝓡(Z) = max(Z, 0) (003 Def 2.1) into <paramref name="z"/>, both
    /// in the store of one product: bit-identical to <see cref="Forward{T}"/> then <see cref="Relu"/>'s forward pass.
    /// </summary>
    internal override void ForwardFusedOn<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> z)
    {
        int m = Outputs, n = Inputs;
        Blas.GemmBias(false, true, x.Rows, m, n, T.One, x.Span, n, parameters[..(m * n)], n, T.Zero, y.Span, m, parameters.Slice(m * n, m), z.Span, m);
    }

    /// <summary>A ReLU right before a dense layer has its backward mask applied by the dense layer's dX product (<see cref="BackwardFusedOn{T}"/>).</summary>
    internal override bool FusesBackwardWith(Layer previous) => previous is Relu;

    /// <summary>
    /// dW = δᵀ·X (003 Prop 5.2), db = Σ_rows δ (003 Prop 4.3), and for the ReLU before this layer, whose input was Z
    /// (<paramref name="previousX"/>; its output is X): dZ = (δ·W) ⊙ 𝟙_{ℝ++}(Z) (003 Prop 4.1, 003 Prop 5.1), the mask applied in
    /// the store of the product (<see cref="Blas.GemmMask{T}"/>): bit-identical to <see cref="Backward{T}"/> then the ReLU's.
    /// </summary>
    internal override void BackwardFusedOn<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T> previousX, Mat<T> previousDx, Span<T> parameterGradient)
    {
        int m = Outputs, n = Inputs, k = x.Rows;
        var w = parameters[..(m * n)];
        Blas.Gemm(true, false, m, n, k, T.One, dy.Span, m, x.Span, n, T.Zero, parameterGradient[..(m * n)], n);
        Blas.ColumnSums(dy.Span, m, parameterGradient.Slice(m * n, m));
        Blas.GemmMask(false, false, k, n, m, T.One, dy.Span, m, w, n, previousDx.Span, n, previousX.Span, n);
    }

    /// <summary>dW = δᵀ·X (003 Prop 5.2), db = Σ_rows δ (003 Prop 4.3), dX = δ·W (003 Prop 4.1).</summary>
    public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch)
    {
        int m = Outputs, n = Inputs, k = batch.Rows;
        var w = parameters[..(m * n)];
        Blas.Gemm(true, false, m, n, k, T.One, dy, m, x, n, T.Zero, parameterGradient[..(m * n)], n);
        Blas.ColumnSums(dy[..(k * m)], m, parameterGradient.Slice(m * n, m));
        if (!dx.IsEmpty) Blas.Gemm(false, false, k, n, m, T.One, dy, m, w, n, T.Zero, dx, n);
    }

    /// <summary>J(x_s) = W at every sample (003 Prop 4.1).</summary>
    public override void InputJacobians<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> jacobians, Batch batch)
    {
        var w = parameters[..(Outputs * Inputs)];
        for (int s = 0; s < batch.Rows; s++) w.CopyTo(jacobians.Slice(s * w.Length, w.Length));
    }

    // ---- structured Jacobians ----

    /// <summary>J = W, shared by every sample (003 Prop 4.1).</summary>
    internal override void AppendJacobianFactors<T>(ReadOnlyMemory<T> parameters, Mat<T> x, Mat<T> y, List<Factor<T>> factors) =>
        factors.Add(DenseFactor<T>.Shared(parameters[..(Outputs * Inputs)], Outputs, Inputs));

    /// <summary>Every entry of a dense layer's parameter Jacobian is written (W's block by outer products, b's by a copy).</summary>
    internal override bool WritesWholeParameterJacobian => true;

    /// <summary>dX = δ·W (003 Prop 4.1).</summary>
    internal override void BackwardInput<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T> dx) =>
        Blas.Gemm(false, false, x.Rows, Inputs, Outputs, T.One, dy.Data, Outputs, parameters[..(Outputs * Inputs)], Inputs, T.Zero, dx.Data, Inputs);

    /// <summary>Row ρ: b_ρ·J_{W_{i,:}} = b_ρ[i]·x (003 Prop 4.2) for every unit i, then b_ρ·J_b = b_ρ (003 Prop 4.3).</summary>
    internal override void ParameterJacobianRows<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> b, int q, Span<T> result, int ld)
    {
        int m = Outputs, n = Inputs;
        for (int rho = 0; rho < b.Length / m; rho++)
        {
            var xs = x.Row(rho / q);
            var br = b.Slice(rho * m, m);
            var dest = result.Slice(rho * ld, m * n + m);
            for (int i = 0; i < m; i++) TensorPrimitives.Multiply(xs, br[i], dest.Slice(i * n, n));
            br.CopyTo(dest.Slice(m * n, m));
        }
    }

    /// <summary>Column (i, j) of W's block is bᵀ[i, :] ⊙ x_{·}[j] over the R rows (003 Prop 4.2); column i of b's block is bᵀ[i, :] (003 Prop 4.3).</summary>
    internal override void ParameterJacobianColumns<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> bT, int q, Span<T> dest)
    {
        int m = Outputs, n = Inputs, rows = bT.Length / m;
        if (rows == q)
        {
            // One sample: W's block for unit i is the n×R outer product x ⊗ bᵀ[i, :], R = q consecutive entries per column.
            var xs = x.Row(0);
            for (int i = 0; i < m; i++)
            {
                var bi = bT.Slice(i * rows, rows);
                Blas.OuterProduct(xs, bi, dest.Slice(i * n * rows, n * rows));
                bi.CopyTo(dest.Slice((m * n + i) * rows, rows));
            }
            return;
        }
        var xt = System.Buffers.ArrayPool<T>.Shared.Rent(n * rows); // xᵀ with each sample's column repeated q times
        try
        {
            for (int rho = 0; rho < rows; rho++)
            {
                var xs = x.Row(rho / q);
                for (int j = 0; j < n; j++) xt[j * rows + rho] = xs[j];
            }
            for (int i = 0; i < m; i++)
            {
                var bi = bT.Slice(i * rows, rows);
                for (int j = 0; j < n; j++) TensorPrimitives.Multiply(bi, xt.AsSpan(j * rows, rows), dest.Slice((i * n + j) * rows, rows));
                bi.CopyTo(dest.Slice((m * n + i) * rows, rows));
            }
        }
        finally { System.Buffers.ArrayPool<T>.Shared.Return(xt); }
    }

    /// <summary>‖δ_s ⊗ x_s‖² + ‖δ_s‖² = ‖δ_s‖²(‖x_s‖² + 1): the per-sample gradient δ_s ⊗ x_s (003 Prop 5.2) is never formed.</summary>
    internal override void AddPerSampleSquaredNorms<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Span<T> norms) =>
        AddOuterProductSquaredNorms(x, dy, norms);

    /// <summary>norms[s] += ‖δ_s‖²(‖x_s‖² + 1), the squared norm of (δ_s ⊗ x_s, δ_s): an affine layer's per-sample gradient.</summary>
    internal static void AddOuterProductSquaredNorms<T>(Mat<T> x, Mat<T> dy, Span<T> norms) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int s = 0; s < x.Rows; s++)
        {
            var d = dy.Row(s);
            var xs = x.Row(s);
            norms[s] += TensorPrimitives.Dot<T>(d, d) * (TensorPrimitives.Dot<T>(xs, xs) + T.One);
        }
    }

    /// <summary>tangent += X·Vᵀ + v_b: the dense layer is linear in (W, b) (003 Props 4.2–4.3).</summary>
    internal override void AddParameterTangent<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> v, Mat<T> tangent)
    {
        int m = Outputs, n = Inputs;
        Blas.Gemm(false, true, x.Rows, m, n, T.One, x.Data, n, v[..(m * n)], n, T.One, tangent.Data, m);
        Blas.AddRowVector(tangent, v.Slice(m * n, m));
    }

    internal override Matrix<double> InputJacobian(ReadOnlySpan<double> parameters, Vector<double> x) =>
        Mat.ToMatrix(parameters[..(Outputs * Inputs)].ToArray(), Outputs, Inputs);

    internal override Matrix<double> ParameterJacobian(ReadOnlySpan<double> parameters, Vector<double> x)
    {
        // Columns: W row-major (003 Prop 4.2: row i depends on W_{i,:} through x), then b (003 Prop 4.3: Iₘ).
        int m = Outputs, n = Inputs;
        var j = Matrix<double>.Build.Dense(m, m * n + m);
        for (int i = 0; i < m; i++)
        {
            for (int c = 0; c < n; c++) j[i, i * n + c] = x[c];
            j[i, m * n + i] = 1.0;
        }
        return j;
    }

    internal static double[] Pack(Matrix<double> w, Vector<double> b)
    {
        var p = new double[w.RowCount * w.ColumnCount + b.Count];
        w.ToRowMajorArray().CopyTo(p, 0);
        b.ToArray().CopyTo(p, w.RowCount * w.ColumnCount);
        return p;
    }

    private static void CheckShapes(string operation, int inputWidth, Matrix<double> w, Vector<double> b)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(b);
        if (w.ColumnCount != inputWidth)
            throw new ArgumentException($"{operation}: y is 1×{inputWidth} but W is {Guard.Shape(w)}; W must have {inputWidth} columns.");
        if (b.Count != w.RowCount)
            throw new ArgumentException($"{operation}: W is {Guard.Shape(w)} but b is {Guard.Shape(b)}; b must be 1×{w.RowCount}.");
    }
}
