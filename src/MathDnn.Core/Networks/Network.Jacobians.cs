using IFloat = System.Numerics;
using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Networks;

/// <summary>
/// Explicit Jacobians of a network by the chain rule, J_N(x) = J_{ℓ_p} ⋯ J_{ℓ_1} (003 Thm 1.3), kept as a chain of
/// structured factors (<see cref="LinearMap"/>) and multiplied out in the cheapest order on the GEMM kernels; parameter
/// Jacobians written block by block from their structure (003 Props 4.2–4.3); batched forms that treat k samples
/// together; forward-mode (J·v) and reverse-mode (u·J) products on batches.
/// </summary>
public sealed partial class Network
{
    // ---- building blocks ----

    /// <summary>The factors of J_N at each row of X, leftmost (the last layer's) first: their product at sample s is J_N(x_s).</summary>
    internal List<Factor<T>> JacobianFactors<T>(Mat<T>[] acts, T[] theta) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var factors = new List<Factor<T>>();
        for (int k = Layers.Length - 1; k >= 0; k--) AppendLayerFactors(k, acts, theta, factors);
        return factors;
    }

    /// <summary>The factors of layer <paramref name="layer"/>'s Jacobian at each row of its input, leftmost first.</summary>
    internal List<Factor<T>> LayerFactors<T>(int layer, Mat<T>[] acts, T[] theta) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var factors = new List<Factor<T>>();
        AppendLayerFactors(layer, acts, theta, factors);
        return factors;
    }

    private void AppendLayerFactors<T>(int layer, Mat<T>[] acts, T[] theta, List<Factor<T>> factors) where T : unmanaged, IFloat.IFloatingPointIeee754<T> =>
        Layers[layer].AppendJacobianFactors(theta.AsMemory(offsets[layer], counts[layer]), acts[layer], acts[layer + 1], factors);

    private Mat<T>[] Activations<T>(ReadOnlySpan<T> inputs, string operation, out int k) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        k = Rows(inputs.Length, operation);
        CheckFinite(inputs, k, columnMajor: false, "X");
        return ForwardAll(new Mat<T>(inputs.ToArray(), k, InputSize), Theta<T>());
    }

    private Mat<double>[] Activations(Vector<double> x, string operation)
    {
        Guard.Length(operation, "x", x, InputSize);
        return Activations<double>(x.AsArrayOrCopy(), operation, out _);
    }

    /// <summary>
    /// The output-side sweep of the chain rule (003 Thm 1.3): every layer with parameters, from the last, with B (k blocks
    /// of m_p rows × the layer's output width, one per sample), the Jacobian of the layers after it at its output. B starts
    /// as I at the output and is multiplied by each layer's factors on the way down, no further than the first layer
    /// with parameters.
    /// </summary>
    private IEnumerable<(int Layer, T[] B)> SweepFromOutput<T>(Mat<T>[] acts, T[] theta, int k) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        if (firstParameterLayer < 0) yield break;
        int m = OutputSize;
        var b = new T[k * m * m];
        for (int s = 0; s < k; s++)
            for (int i = 0; i < m; i++) b[(s * m + i) * m + i] = T.One;
        for (int layer = Layers.Length - 1; ; layer--)
        {
            if (counts[layer] > 0) yield return (layer, b);
            if (layer == firstParameterLayer) yield break;
            var next = new T[k * m * Widths[layer]];
            ChainProduct.ApplyRight(LayerFactors(layer, acts, theta), b, m, k, next); // B ← B·J_layer
            b = next;
        }
    }

    private static void CheckLength(string operation, string what, int length, int expected, string shape)
    {
        if (length != expected)
            throw new ArgumentException($"{operation}: {what} must have {expected} entries ({shape}), got {length}.");
    }

    // ---- input Jacobians ----

    /// <summary>J_N(x) ∈ M_{m_p, m_0}: J_{ℓ_p} ⋯ J_{ℓ_1} at x (003 Thm 1.3), multiplied out in the cheapest order.</summary>
    public Matrix<double> InputJacobian(Vector<double> x) => InputJacobian(x, JacobianOrder.Auto);

    /// <summary>J_N(x) multiplied out in <paramref name="order"/> (from the output side, from the input side, or the cheapest).</summary>
    public Matrix<double> InputJacobian(Vector<double> x, JacobianOrder order)
    {
        LinearMap.CheckOrder(order);
        var acts = Activations(x, "Network input Jacobian");
        return LinearMap.Materialize(JacobianFactors(acts, Parameters.Values), order);
    }

    /// <summary>
    /// J_N(x) as a structured chain: dense factors W_k (003 Prop 4.1), diagonal factors for element-wise activations
    /// (003 Props 2.1, 5.1), diag(s) − sᵀs for softmax (003 Prop 2.2), selection·W for maxout; J·v and u·J without forming it.
    /// </summary>
    public LinearMap InputJacobianMap(Vector<double> x)
    {
        var acts = Activations(x, "Network input Jacobian");
        return new LinearMap([.. JacobianFactors(acts, Parameters.Values).Select(f => f.Sample(0))]);
    }

    /// <summary>J_N(x_s) for every row x_s of X, computed together (the shared factors W_k are applied to all samples in one product).</summary>
    public Matrix<double>[] InputJacobians(Matrix<double> x, JacobianOrder order = JacobianOrder.Auto)
    {
        LinearMap.CheckOrder(order);
        var input = CheckInput(x);
        var acts = ForwardAll(input, Parameters.Values);
        int k = input.Rows, m = OutputSize, n = InputSize;
        var all = new double[k * m * n];
        ChainProduct.Materialize(JacobianFactors(acts, Parameters.Values), k, order, all);
        var result = new Matrix<double>[k];
        for (int s = 0; s < k; s++) result[s] = Mat.ToMatrix(all.AsSpan(s * m * n, m * n), m, n);
        return result;
    }

    /// <summary>
    /// J_N(x_s) for the k rows of <paramref name="inputs"/> (row-major, k×m_0), in float or double, written to
    /// <paramref name="jacobians"/> as k row-major m_p×m_0 blocks.
    /// </summary>
    public void InputJacobians<T>(ReadOnlySpan<T> inputs, Span<T> jacobians, JacobianOrder order = JacobianOrder.Auto)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        LinearMap.CheckOrder(order);
        var acts = Activations(inputs, "Network input Jacobians", out int k);
        CheckLength("Network input Jacobians", "the Jacobian span", jacobians.Length, k * OutputSize * InputSize, $"{k} blocks of {OutputSize}×{InputSize}");
        ChainProduct.Materialize(JacobianFactors(acts, Theta<T>()), k, order, jacobians);
    }

    /// <summary>The plan <see cref="InputJacobian(Vector{double}, JacobianOrder)"/> follows at x: the association of the factors and its cost.</summary>
    public ChainPlan InputJacobianPlan(Vector<double> x, JacobianOrder order = JacobianOrder.Auto) => InputJacobianMap(x).Plan(order);

    // ---- parameter Jacobians ----

    /// <summary>
    /// The Jacobian of θ ↦ N(x; θ) at the current θ, m_p × |θ|, columns in the order of <see cref="Parameters"/>. With B_k
    /// the Jacobian of the layers after layer k at its output (m_p × m_k, accumulated from the output side), the block
    /// of W_k is the outer products B_k[:, i]·y_{k−1}[j] (003 Prop 4.2) and the block of b_k is B_k (003 Prop 4.3):
    /// written directly, in MathNet's column-major layout.
    /// </summary>
    public Matrix<double> ParameterJacobian(Vector<double> x)
    {
        var acts = Activations(x, "Network parameter Jacobian");
        int m = OutputSize;
        var data = NewParameterJacobian<double>(m * ParameterCount);
        ParameterJacobianColumns(acts, data);
        return Matrix<double>.Build.Dense(m, ParameterCount, data);
    }

    /// <summary>Column-major m_p×|θ| at one sample: each B (m_p × m_k, small) is transposed so that the layer's block is written column by column.</summary>
    private void ParameterJacobianColumns(Mat<double>[] acts, Span<double> dest)
    {
        int m = OutputSize;
        foreach (var (layer, b) in SweepFromOutput(acts, Parameters.Values, 1))
        {
            var bt = Mat.Transpose<double>(b, m, Widths[layer + 1]);
            Layers[layer].ParameterJacobianColumns<double>(LayerParameters<double>(Parameters.Values, layer), acts[layer], acts[layer + 1],
                bt, m, dest.Slice(offsets[layer] * m, counts[layer] * m));
        }
    }

    /// <summary>
    /// The parameter Jacobians at the k rows of <paramref name="inputs"/> (row-major k×m_0), in float or double, written to
    /// <paramref name="jacobians"/> as k row-major m_p×|θ| blocks (003 Thm 1.3 with 003 Props 4.2–4.3).
    /// </summary>
    public void ParameterJacobians<T>(ReadOnlySpan<T> inputs, Span<T> jacobians) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var acts = Activations(inputs, "Network parameter Jacobians", out int k);
        int m = OutputSize, p = ParameterCount;
        CheckLength("Network parameter Jacobians", "the Jacobian span", jacobians.Length, k * m * p, $"{k} blocks of {m}×{p}");
        if (!writesWholeParameterJacobian) jacobians.Clear();
        var theta = Theta<T>();
        foreach (var (layer, b) in SweepFromOutput(acts, theta, k))
            Layers[layer].ParameterJacobianRows<T>(LayerParameters<T>(theta, layer), acts[layer], acts[layer + 1], b, m, jacobians[offsets[layer]..], p);
    }

    /// <summary>The parameter Jacobian at every row of X, each m_p × |θ|.</summary>
    public Matrix<double>[] ParameterJacobians(Matrix<double> x)
    {
        var input = CheckInput(x);
        var result = new Matrix<double>[input.Rows];
        for (int s = 0; s < input.Rows; s++)
        {
            var acts = ForwardAll(new Mat<double>(input.Row(s).ToArray(), 1, InputSize), Parameters.Values);
            var data = NewParameterJacobian<double>(OutputSize * ParameterCount);
            ParameterJacobianColumns(acts, data);
            result[s] = Matrix<double>.Build.Dense(OutputSize, ParameterCount, data);
        }
        return result;
    }

    /// <summary>θ ↦ N(x; θ) linearised at the current θ: J_θ·v and u·J_θ at the cost of a forward and a backward pass.</summary>
    public ParameterLinearMap ParameterJacobianMap(Vector<double> x) => new(this, Activations(x, "Network parameter Jacobian"));

    // ---- forward and reverse mode on batches ----

    /// <summary>
    /// Forward mode on a batch: N(X) and, for every row, J_N(x_s)·v_sᵀ, the directional derivative along row s of V
    /// (k×m_0), propagated alongside the forward pass layer by layer (each layer's factor applied to the tangent).
    /// </summary>
    public (Matrix<double> Output, Matrix<double> Tangent) Jvp(Matrix<double> x, Matrix<double> v)
    {
        var input = CheckInput(x);
        CheckDirections("Network Jvp", "V", v, x.RowCount, InputSize);
        var y = new double[x.RowCount * OutputSize];
        var t = new double[x.RowCount * OutputSize];
        Jvp<double>(input.Span, Mat.RowMajor(v), y, t);
        return (Mat.ToMatrix(y, x.RowCount, OutputSize), Mat.ToMatrix(t, x.RowCount, OutputSize));
    }

    /// <summary>J_N(x)·vᵀ for one sample.</summary>
    public Vector<double> Jvp(Vector<double> x, Vector<double> v)
    {
        Guard.Length("Network Jvp", "v", v, InputSize);
        Guard.Length("Network Jvp", "x", x, InputSize);
        var y = new double[OutputSize];
        var t = new double[OutputSize];
        Jvp<double>(x.AsArrayOrCopy(), v.AsArrayOrCopy(), y, t);
        return Vector<double>.Build.Dense(t);
    }

    /// <summary>Forward mode on row-major spans (k rows), in float or double: outputs N(x_s) and tangents J_N(x_s)·v_sᵀ.</summary>
    public void Jvp<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<T> directions, Span<T> outputs, Span<T> tangents) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var acts = Activations(inputs, "Network Jvp", out int k);
        CheckLength("Network Jvp", "the directions", directions.Length, k * InputSize, $"{k}×{InputSize}");
        CheckLength("Network Jvp", "the outputs", outputs.Length, k * OutputSize, $"{k}×{OutputSize}");
        CheckLength("Network Jvp", "the tangents", tangents.Length, k * OutputSize, $"{k}×{OutputSize}");
        var theta = Theta<T>();
        var t = directions.ToArray();
        for (int layer = 0; layer < Layers.Length; layer++)
        {
            var next = new T[k * Widths[layer + 1]];
            ChainProduct.ApplyLeft(LayerFactors(layer, acts, theta), t, k, next);
            t = next;
        }
        acts[^1].Span.CopyTo(outputs);
        t.CopyTo(tangents);
    }

    /// <summary>Reverse mode on a batch: u_s·J_N(x_s) for every row of U (k×m_p), by backpropagation (the recursion of 001 Section 5).</summary>
    public Matrix<double> Vjp(Matrix<double> x, Matrix<double> u)
    {
        var input = CheckInput(x);
        CheckDirections("Network Vjp", "U", u, x.RowCount, OutputSize);
        var r = new double[x.RowCount * InputSize];
        Vjp<double>(input.Span, Mat.RowMajor(u), r);
        return Mat.ToMatrix(r, x.RowCount, InputSize);
    }

    /// <summary>u·J_N(x) for one sample.</summary>
    public Vector<double> Vjp(Vector<double> x, Vector<double> u)
    {
        Guard.Length("Network Vjp", "x", x, InputSize);
        Guard.Length("Network Vjp", "u", u, OutputSize);
        var r = new double[InputSize];
        Vjp<double>(x.AsArrayOrCopy(), u.AsArrayOrCopy(), r);
        return Vector<double>.Build.Dense(r);
    }

    /// <summary>Reverse mode on row-major spans (k rows), in float or double: <paramref name="result"/> receives u_s·J_N(x_s).</summary>
    public void Vjp<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<T> cotangents, Span<T> result) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var acts = Activations(inputs, "Network Vjp", out int k);
        CheckLength("Network Vjp", "the cotangents", cotangents.Length, k * OutputSize, $"{k}×{OutputSize}");
        CheckLength("Network Vjp", "the result", result.Length, k * InputSize, $"{k}×{InputSize}");
        var theta = Theta<T>();
        var d = new Mat<T>(cotangents.ToArray(), k, OutputSize);
        for (int layer = Layers.Length - 1; layer >= 0; layer--)
        {
            var dx = new Mat<T>(k, Widths[layer]);
            Layers[layer].BackwardInput(LayerParameters<T>(theta, layer), acts[layer], acts[layer + 1], d, dx);
            d = dx;
        }
        d.Span.CopyTo(result);
    }

    private static void CheckDirections(string operation, string name, Matrix<double> m, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(m, name);
        if (m.RowCount != rows || m.ColumnCount != cols)
            throw new ArgumentException($"{operation}: X has {rows} rows but {name} is {Guard.Shape(m)}; {name} must be {rows}×{cols}.");
    }

    /// <summary>Whether every layer with parameters writes all of its block of a parameter Jacobian (so a buffer for one need not be cleared first).</summary>
    internal bool WritesWholeParameterJacobian => writesWholeParameterJacobian;

    /// <summary>An array for a parameter Jacobian: not zeroed when every layer with parameters writes its whole block.</summary>
    private T[] NewParameterJacobian<T>(int length) =>
        writesWholeParameterJacobian ? GC.AllocateUninitializedArray<T>(length) : new T[length];
}
