using MathDnn.Kernels;
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
    public Maxout(int inputs, int outputs, int pieces = 2)
    {
        if (inputs < 1 || outputs < 1 || pieces < 1)
            throw new ArgumentException($"Maxout layer: sizes and pieces must be positive, got {inputs} → {outputs} with {pieces} pieces.");
        Inputs = inputs;
        Outputs = outputs;
        Pieces = pieces;
    }

    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>k, the number of affine pieces per unit.</summary>
    public int Pieces { get; }

    public override string Name => "maxout";
    public override int? InputSize => Inputs;

    public override int OutputSize(int inputSize)
    {
        CheckInput("Maxout layer", inputSize);
        return Outputs;
    }

    public override IReadOnlyList<ParameterShape> ParameterShapes =>
        [new("W", Pieces * Outputs, Inputs), new("b", 1, Pieces * Outputs)];

    /// <summary>The k·m pre-activations of every row, in a buffer rented from the shared pool (return it with <see cref="Return"/>).</summary>
    private Mat<T> PreActivations<T>(ReadOnlySpan<T> parameters, Mat<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int km = Pieces * Outputs, n = Inputs;
        var z = Rent<T>(x.Rows, km);
        Blas.Gemm(false, true, x.Rows, km, n, T.One, x.Data, n, parameters[..(km * n)], n, T.Zero, z.Data, km);
        Blas.AddRowVector(z, parameters.Slice(km * n, km));
        return z;
    }

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

    internal override void Forward<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y)
    {
        var z = PreActivations(parameters, x);
        for (int r = 0; r < x.Rows; r++)
        {
            var zr = z.Row(r);
            var yr = y.Row(r);
            for (int j = 0; j < Outputs; j++)
            {
                T v = zr[ArgMax(zr, j) * Outputs + j];
                for (int i = 0; i < Pieces; i++) if (T.IsNaN(zr[i * Outputs + j])) v = zr[i * Outputs + j];
                yr[j] = v;
            }
        }
        Return(z);
    }

    internal override void Backward<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T>? dx, Span<T> parameterGradient)
    {
        int km = Pieces * Outputs, n = Inputs;
        var z = PreActivations(parameters, x);
        var dz = Rent<T>(x.Rows, km);
        dz.Span.Clear();
        for (int r = 0; r < x.Rows; r++)
        {
            var zr = z.Row(r);
            for (int j = 0; j < Outputs; j++) dz.Data[r * km + ArgMax(zr, j) * Outputs + j] = dy.Data[r * Outputs + j];
        }
        Blas.Gemm(true, false, km, n, x.Rows, T.One, dz.Data, km, x.Data, n, T.Zero, parameterGradient[..(km * n)], n);
        Blas.ColumnSums(dz, parameterGradient.Slice(km * n, km));
        if (dx is not null) Blas.Gemm(false, false, x.Rows, n, km, T.One, dz.Data, km, parameters[..(km * n)], n, T.Zero, dx.Data, n);
        Return(z);
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
