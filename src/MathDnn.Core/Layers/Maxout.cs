using System.Numerics.Tensors;
using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Layers;

/// <summary>
/// Maxout (004): y_j = max_{i=1..k} (x·W⁽ⁱ⁾ᵀ + b⁽ⁱ⁾)_j, the pointwise maximum of k affine pieces W⁽ⁱ⁾ ∈ M_{m,n}, b⁽ⁱ⁾ ∈ ℝᵐ.
/// The gradient flows through the piece that attains the maximum; on a tie the lowest piece index is chosen (a valid
/// subgradient choice, as ReLU's 003 Assumption 1 picks one side at its kink). Parameters are stored as W (k·m rows of n,
/// piece-major: row i·m + j is unit j of piece i) followed by b (k·m).
/// </summary>
public sealed record Maxout : Layer
{
    /// <summary>Maxout ℝⁿ → ℝᵐ with n = <paramref name="inputs"/>, m = <paramref name="outputs"/> and k = <paramref name="pieces"/> affine pieces per unit (default 2).</summary>
    /// <exception cref="ArgumentException">A size or the number of pieces is below 1.</exception>
    public Maxout(int inputs, int outputs, int pieces = 2)
    {
        if (inputs < 1 || outputs < 1 || pieces < 1)
            throw new ArgumentException($"Maxout layer: sizes and pieces must be positive, got {inputs} → {outputs} with {pieces} pieces.");
        Inputs = inputs;
        Outputs = outputs;
        Pieces = pieces;
    }

    /// <summary>n, the input width.</summary>
    public int Inputs { get; }
    /// <summary>m, the output width (number of units).</summary>
    public int Outputs { get; }

    /// <summary>k, the number of affine pieces per unit.</summary>
    public int Pieces { get; }

    /// <inheritdoc/>
    public override string Name => "maxout";
    /// <summary>n (<see cref="Inputs"/>).</summary>
    public override int? InputSize => Inputs;

    /// <summary>m (<see cref="Outputs"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="inputSize"/> is not n.</exception>
    public override int OutputSize(int inputSize)
    {
        CheckInput("Maxout layer", inputSize);
        return Outputs;
    }

    /// <summary>W (k·m rows of n, piece-major) then b (a vector of k·m).</summary>
    public override IReadOnlyList<ParameterShape> ParameterShapes =>
        [new("W", Pieces * Outputs, Inputs), ParameterShape.Vector("b", Pieces * Outputs)];

    /// <summary>The k·m pre-activations of every row, in a buffer rented from the shared pool (return it with <see cref="Return"/>).</summary>
    private Mat<T> PreActivations<T>(ReadOnlySpan<T> parameters, Mat<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        PreActivations(parameters, x.Span, x.Rows);

    private Mat<T> PreActivations<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, int rows) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int km = Pieces * Outputs, n = Inputs;
        var z = Rent<T>(rows, km);
        Blas.Gemm(false, true, rows, km, n, T.One, x, n, parameters[..(km * n)], n, T.Zero, z.Data, km);
        Blas.AddRowVector(z, parameters.Slice(km * n, km));
        return z;
    }

    /// <summary>He/Glorot with fan-in n and fan-out m (the units, not the k·m pieces) for W; b starts at 0.</summary>
    public override void Initialize(Span<double> parameters, int inputSize, Initialization scheme, ref Rng rng)
    {
        int km = Pieces * Outputs;
        Initializer.Draw(parameters[..(km * Inputs)], Inputs, Outputs, scheme, ref rng);
        parameters.Slice(km * Inputs, km).Clear();
    }

    /// <summary>The number of affine pieces per unit.</summary>
    public override IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["pieces"] = Pieces };

    private static Mat<T> Rent<T>(int rows, int cols) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new(System.Buffers.ArrayPool<T>.Shared.Rent(rows * cols), rows, cols);

    private static void Return<T>(Mat<T> m) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        System.Buffers.ArrayPool<T>.Shared.Return(m.Data);

    private int ArgMax<T>(Span<T> zRow, int unit) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < Pieces; i++)
            if (zRow[i * Outputs + unit] > zRow[best * Outputs + unit]) best = i;
        return best;
    }

    /// <summary>y_j = max over the pieces of (x·W⁽ⁱ⁾ᵀ + b⁽ⁱ⁾)_j; NaN propagates.</summary>
    public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
    {
        var z = PreActivations(parameters, x, batch.Rows);
        for (int r = 0; r < batch.Rows; r++)
        {
            var zr = z.Row(r);
            var yr = y.Slice(r * Outputs, Outputs);
            for (int j = 0; j < Outputs; j++)
            {
                T v = zr[ArgMax(zr, j) * Outputs + j];
                for (int i = 0; i < Pieces; i++) if (T.IsNaN(zr[i * Outputs + j])) v = zr[i * Outputs + j];
                yr[j] = v;
            }
        }
        Return(z);
    }

    /// <summary>The gradient flows through the maximising piece of each unit: dW, db, dX as a dense layer's on those pieces.</summary>
    public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch)
    {
        int km = Pieces * Outputs, n = Inputs, k = batch.Rows;
        var dz = ToPieces(Selection(parameters, x, k), dy, k);
        Blas.Gemm(true, false, km, n, k, T.One, dz.Data, km, x, n, T.Zero, parameterGradient[..(km * n)], n);
        Blas.ColumnSums(dz, parameterGradient.Slice(km * n, km));
        if (!dx.IsEmpty) Blas.Gemm(false, false, k, n, km, T.One, dz.Data, km, parameters[..(km * n)], n, T.Zero, dx, n);
        Return(dz);
    }

    /// <summary>The upstream gradient on the k·m pieces: unit u's entry at the piece that attains its maximum, 0 at the others (rented; return it).</summary>
    private Mat<T> ToPieces<T>(int[] sel, Mat<T> dy) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => ToPieces(sel, dy.Span, dy.Rows);

    private Mat<T> ToPieces<T>(int[] sel, ReadOnlySpan<T> dy, int rows) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int km = Pieces * Outputs;
        var dz = Rent<T>(rows, km);
        dz.Span.Clear();
        for (int s = 0; s < rows; s++)
            for (int u = 0; u < Outputs; u++) dz.Data[s * km + sel[s * Outputs + u]] = dy[s * Outputs + u];
        return dz;
    }

    // ---- structured Jacobians ----

    /// <summary>sel[s·m + u] = i·m + u for the piece i that attains the maximum of unit u at sample s (lowest on a tie).</summary>
    private int[] Selection<T>(ReadOnlySpan<T> parameters, Mat<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Selection(parameters, x.Span, x.Rows);

    private int[] Selection<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, int rows) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var z = PreActivations(parameters, x, rows);
        var sel = new int[rows * Outputs];
        for (int s = 0; s < rows; s++)
        {
            var zr = z.Row(s);
            for (int u = 0; u < Outputs; u++) sel[s * Outputs + u] = ArgMax(zr, u) * Outputs + u;
        }
        Return(z);
        return sel;
    }

    /// <summary>J = P·W: the selection of the maximising piece per unit (P ∈ M_{m, k·m}, per sample) times the stacked pieces W ∈ M_{k·m, n}.</summary>
    internal override void AppendJacobianFactors<T>(ReadOnlyMemory<T> parameters, Mat<T> x, Mat<T> y, List<Factor<T>> factors)
    {
        int km = Pieces * Outputs;
        factors.Add(new SelectionFactor<T>(Selection(parameters.Span, x), Outputs, km, x.Rows));
        factors.Add(DenseFactor<T>.Shared(parameters[..(km * Inputs)], km, Inputs));
    }

    internal override void BackwardInput<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T> dx)
    {
        int km = Pieces * Outputs, n = Inputs;
        var dz = ToPieces(Selection(parameters, x), dy);
        Blas.Gemm(false, false, x.Rows, n, km, T.One, dz.Data, km, parameters[..(km * n)], n, T.Zero, dx.Data, n);
        Return(dz);
    }

    internal override void ParameterJacobianRows<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> b, int q, Span<T> result, int ld)
    {
        int km = Pieces * Outputs, n = Inputs, m = Outputs;
        var sel = Selection(parameters, x);
        for (int rho = 0; rho < b.Length / m; rho++)
        {
            int s = rho / q;
            var dest = result.Slice(rho * ld, km * n + km);
            for (int u = 0; u < m; u++)
            {
                int row = sel[s * m + u];
                TensorPrimitives.Multiply(x.Row(s), b[rho * m + u], dest.Slice(row * n, n));
                dest[km * n + row] = b[rho * m + u];
            }
        }
    }

    internal override void ParameterJacobianColumns<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> bT, int q, Span<T> dest)
    {
        int km = Pieces * Outputs, n = Inputs, m = Outputs, rows = bT.Length / m;
        var sel = Selection(parameters, x);
        if (rows == q)
        {
            // One sample: unit u's piece row is the n×R outer product x ⊗ bᵀ[u, :], as a dense layer's (003 Prop 4.2).
            for (int u = 0; u < m; u++)
            {
                int row = sel[u];
                var bu = bT.Slice(u * rows, rows);
                Blas.OuterProduct(x.Row(0), bu, dest.Slice(row * n * rows, n * rows));
                bu.CopyTo(dest.Slice((km * n + row) * rows, rows));
            }
            return;
        }
        for (int rho = 0; rho < rows; rho++)
        {
            int s = rho / q;
            var xs = x.Row(s);
            for (int u = 0; u < m; u++)
            {
                int row = sel[s * m + u];
                T bu = bT[u * rows + rho];
                for (int c = 0; c < n; c++) dest[(row * n + c) * rows + rho] = bu * xs[c];
                dest[(km * n + row) * rows + rho] = bu;
            }
        }
    }

    /// <summary>Each unit's δ lands on one piece, so ‖g_s‖² = ‖δ_s‖²(‖x_s‖² + 1), as for a dense layer.</summary>
    internal override void AddPerSampleSquaredNorms<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Span<T> norms) =>
        Dense.AddOuterProductSquaredNorms(x, dy, norms);

    internal override void AddParameterTangent<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, ReadOnlySpan<T> v, Mat<T> tangent)
    {
        int km = Pieces * Outputs, n = Inputs;
        var sel = Selection(parameters, x);
        var dz = PreActivations(v, x); // x·Vᵀ + v_b over the k·m pieces
        for (int s = 0; s < x.Rows; s++)
            for (int u = 0; u < Outputs; u++) tangent.Data[s * Outputs + u] += dz.Data[s * km + sel[s * Outputs + u]];
        Return(dz);
    }

    internal override Matrix<double> InputJacobian(ReadOnlySpan<double> parameters, Vector<double> x)
    {
        var z = PreActivations(parameters, Mat.FromRow(x));
        var j = Matrix<double>.Build.Dense(Outputs, Inputs);
        for (int u = 0; u < Outputs; u++)
        {
            int row = ArgMax(z.Row(0), u) * Outputs + u;
            for (int c = 0; c < Inputs; c++) j[u, c] = parameters[row * Inputs + c];
        }
        return j;
    }

    internal override Matrix<double> ParameterJacobian(ReadOnlySpan<double> parameters, Vector<double> x)
    {
        int km = Pieces * Outputs, n = Inputs;
        var z = PreActivations(parameters, Mat.FromRow(x));
        var j = Matrix<double>.Build.Dense(Outputs, km * n + km);
        for (int u = 0; u < Outputs; u++)
        {
            int row = ArgMax(z.Row(0), u) * Outputs + u;
            for (int c = 0; c < n; c++) j[u, row * n + c] = x[c];
            j[u, km * n + row] = 1.0;
        }
        return j;
    }
}
