using System.Buffers;
using IFloat = System.Numerics;
using System.Numerics.Tensors;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace MathDnn.Networks;

/// <summary>The forward pass of the public API, on the engine's kernels: N(x) = ℓ_p(⋯ℓ_1(x)) (003 Notation 7).</summary>
public sealed partial class Network
{
    private float[]? thetaFloat;

    /// <summary>θ in the element type T: the parameters themselves for double, a copy rounded to nearest made once for float.</summary>
    internal T[] Theta<T>() where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return (T[])(object)Parameters.Values;
        if (typeof(T) != typeof(float)) throw new NotSupportedException($"Network: {typeof(T).Name} is not supported; use float or double.");
        if (thetaFloat is null)
        {
            var f = new float[Parameters.Count];
            TensorPrimitives.ConvertTruncating<double, float>(Parameters.Values, f);
            Interlocked.CompareExchange(ref thetaFloat, f, null);
        }
        return (T[])(object)thetaFloat!;
    }

    /// <summary>N(x) for one sample.</summary>
    public Vector<double> Apply(Vector<double> x)
    {
        Guard.Length("Network input", "x", x, InputSize);
        var data = x.AsArrayOrCopy();
        CheckFinite<double>(data, 1, columnMajor: false, "x");
        var y = new double[OutputSize];
        ForwardInto<double>(data, 1, inputTransposed: false, y);
        return Vector<double>.Build.Dense(y);
    }

    /// <summary>N(X) row by row, for a batch with one sample per row (003 Convention 2).</summary>
    public Matrix<double> Forward(Matrix<double> x)
    {
        var (data, transposed) = Input(x);
        var y = ArrayPool<double>.Shared.Rent(x.RowCount * OutputSize);
        try
        {
            ForwardInto<double>(data, x.RowCount, transposed, y);
            return Mat.ToMatrix(y.AsSpan(0, x.RowCount * OutputSize), x.RowCount, OutputSize);
        }
        finally { ArrayPool<double>.Shared.Return(y); }
    }

    /// <summary>argmax of each output row (the predicted class).</summary>
    public int[] Predict(Matrix<double> x)
    {
        var (data, transposed) = Input(x);
        int k = x.RowCount, m = OutputSize;
        var y = ArrayPool<double>.Shared.Rent(k * m);
        try
        {
            ForwardInto<double>(data, k, transposed, y);
            var classes = new int[k];
            for (int r = 0; r < k; r++) classes[r] = TensorPrimitives.IndexOfMax<double>(y.AsSpan(r * m, m));
            return classes;
        }
        finally { ArrayPool<double>.Shared.Return(y); }
    }

    /// <summary>
    /// N(X) on row-major spans in float or double: <paramref name="inputs"/> holds k rows of <see cref="InputSize"/>,
    /// <paramref name="outputs"/> receives k rows of <see cref="OutputSize"/>. For float, θ is rounded to float once per network.
    /// </summary>
    public void Forward<T>(ReadOnlySpan<T> inputs, Span<T> outputs) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        int k = Rows(inputs.Length, "Network forward");
        if (outputs.Length != k * OutputSize)
            throw new ArgumentException($"Network forward: {k} input rows give {k}×{OutputSize} outputs, but the output span has {outputs.Length} entries.");
        CheckFinite(inputs, k, columnMajor: false, "X");
        ForwardInto(inputs, k, inputTransposed: false, outputs);
    }

    /// <summary>The number of rows of a row-major span of inputs; its length must be a positive multiple of the input width.</summary>
    internal int Rows(int length, string operation)
    {
        if (length == 0 || length % InputSize != 0)
            throw new ArgumentException($"{operation}: the input span has {length} entries, not a positive multiple of the input width {InputSize} (k rows of {InputSize}).");
        return length / InputSize;
    }

    /// <summary>X's entries without a row-major copy: MathNet's column-major array is Xᵀ row-major, which the first dense layer reads transposed.</summary>
    private (double[] Data, bool Transposed) Input(Matrix<double> x)
    {
        CheckWidth(x);
        if (x.RowCount == 0) throw new ArgumentException($"Network input: X is {Guard.Shape(x)}; it needs at least one row.");
        // At most 3 rows, a dense layer runs the dot-product kernel on row-major X (GemmDots), and products too small to pack
        // run the reference loops, whose order of summation depends on the transposes; so do they here, for the same bits.
        bool direct = x.Storage is DenseColumnMajorMatrixStorage<double> && (Layers[0] is Dense d && x.RowCount > GemmDots.MaxRows
            && !Blas.PrefersReference(false, true, x.RowCount, d.Outputs, d.Inputs) && !Blas.PrefersReference(true, true, x.RowCount, d.Outputs, d.Inputs)
            || x.RowCount == 1);
        var data = direct ? ((DenseColumnMajorMatrixStorage<double>)x.Storage).Data : Mat.RowMajor(x);
        CheckFinite<double>(data.AsSpan(0, x.RowCount * InputSize), x.RowCount, columnMajor: direct && x.RowCount > 1, "X");
        return (data, direct && x.RowCount > 1);
    }

    /// <summary>
    /// Writes X (k×m_0) row-major into <paramref name="dest"/> in T, straight from MathNet's column-major storage (one
    /// blocked transposing copy, no intermediate array), after checking its width and that every entry is finite.
    /// </summary>
    internal void CopyInputTo<T>(Matrix<double> x, Span<T> dest) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        CheckWidth(x);
        int rows = x.RowCount, cols = InputSize;
        if (x.Storage is DenseColumnMajorMatrixStorage<double> dense)
        {
            var data = dense.Data.AsSpan(0, rows * cols); // Xᵀ row-major
            CheckFinite<double>(data, rows, columnMajor: true, "X");
            Mat.TransposeInto(data, cols, rows, dest);
            return;
        }
        var rowMajor = x.ToRowMajorArray();
        CheckFinite<double>(rowMajor, rows, columnMajor: false, "X");
        TensorPrimitives.ConvertTruncating<double, T>(rowMajor, dest);
    }

    private void CheckFinite<T>(ReadOnlySpan<T> data, int rows, bool columnMajor, string what) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        if (TensorPrimitives.IsFiniteAll(data)) return;
        int i = 0;
        while (T.IsFinite(data[i])) i++;
        var (row, col) = columnMajor ? (i % rows, i / rows) : (i / InputSize, i % InputSize);
        throw new ArgumentException($"Network input: {what} contains {data[i]} at row {row}, column {col}; inputs must be finite.");
    }

    /// <summary>
    /// Runs every layer on k rows into <paramref name="output"/> (k×m_p row-major) with two pooled buffers.
    /// With <paramref name="inputTransposed"/>, <paramref name="x"/> is Xᵀ (m_0×k row-major) and the first layer is dense.
    /// </summary>
    private void ForwardInto<T>(ReadOnlySpan<T> x, int k, bool inputTransposed, Span<T> output) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var theta = Theta<T>();
        int width = Widths.Max();
        var a = ArrayPool<T>.Shared.Rent(k * width);
        var b = ArrayPool<T>.Shared.Rent(k * width);
        try
        {
            int start = 0;
            if (inputTransposed)
            {
                var dense = (Dense)Layers[0];
                int m = dense.Outputs, n = dense.Inputs;
                var p = LayerParameters<T>(theta, 0);
                // Y = X·Wᵀ + b with X read from Xᵀ (op(A) = Aᵀ): no transposing copy of the input; a ReLU after it in place, in the same store.
                bool relu = forwardFusion[0];
                Blas.GemmBias(true, true, k, m, n, T.One, x, k, p[..(m * n)], n, T.Zero, a, m, p.Slice(m * n, m), relu ? a.AsSpan(0, k * m) : default, m);
                start = relu ? 2 : 1;
            }
            else x[..(k * InputSize)].CopyTo(a);
            for (int layer = start; layer < Layers.Length; layer++)
            {
                var input = new Mat<T>(a, k, Widths[layer]);
                var result = new Mat<T>(b, k, Widths[layer + 1]);
                if (forwardFusion[layer])
                {
                    // The pair's second output overwrites its first in place: only the last is needed here.
                    Layers[layer].ForwardFusedOn(LayerParameters<T>(theta, layer), input, result, new Mat<T>(b, k, Widths[layer + 2]));
                    layer++;
                }
                else Layers[layer].ForwardOn(LayerParameters<T>(theta, layer), input, result);
                (a, b) = (b, a);
            }
            a.AsSpan(0, k * OutputSize).CopyTo(output);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(a);
            ArrayPool<T>.Shared.Return(b);
        }
    }
}
