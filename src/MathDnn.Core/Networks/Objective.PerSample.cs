using System.Numerics.Tensors;
using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;
using IFloat = System.Numerics;

namespace MathDnn.Networks;

/// <summary>
/// Per-sample gradients of the objective: each sample's g_i = ∇_θ ξ(N(x_i; θ), y_i*), the terms of 003 Def 5.2 before
/// the sum (so Σ_i g_i = ∇_θ𝒪 with <see cref="Reduction.Sum"/>, and their mean with <see cref="Reduction.Mean"/>).
/// They come from one batched pass: the downstream gradients δ_i of every layer are computed for all samples together
/// (001 Section 5), and a dense layer's share of g_i is the outer product δ_i ⊗ y_i (003 Prop 5.2) with the bias share
/// δ_i (003 Prop 4.3). Norms and clipped sums never form the k × |θ| array: ‖δ_i ⊗ y_i‖ = ‖δ_i‖·‖y_i‖.
/// </summary>
public sealed partial record Objective
{
    /// <summary>g_i for every sample, as the rows of a k × |θ| matrix (columns in the order of the parameters).</summary>
    public Matrix<double> PerSampleGradients(Network network, Matrix<double> inputs, Matrix<double> targets, Precision precision = Precision.Float64)
    {
        var t = CheckTargets(network, inputs, targets);
        int k = inputs.RowCount, p = network.ParameterCount;
        var data = GC.AllocateUninitializedArray<double>(k * p); // every entry is written (or cleared) below
        if (precision == Precision.Float32)
        {
            var f = GC.AllocateUninitializedArray<float>(k * p);
            PerSampleColumns<float>(network, inputs, t, f);
            TensorPrimitives.ConvertTruncating<float, double>(f, data);
        }
        else PerSampleColumns<double>(network, inputs, t, data);
        return Matrix<double>.Build.Dense(k, p, data);
    }

    /// <summary>g_i for every sample, in float or double, written row-major into <paramref name="gradients"/> (k rows of |θ|).</summary>
    public void PerSampleGradients<T>(Network network, Matrix<double> inputs, Matrix<double> targets, Span<T> gradients)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var t = CheckTargets(network, inputs, targets);
        int k = inputs.RowCount, p = network.ParameterCount;
        if (gradients.Length != k * p)
            throw new ArgumentException($"Per-sample gradients: {k} samples of |θ| = {p} need {k * p} entries, the span has {gradients.Length}.");
        if (!network.WritesWholeParameterJacobian) gradients.Clear();
        using var pass = Deltas<T>(network, inputs, t, Reduction.Sum, inputGradient: false);
        foreach (int layer in pass.LayersWithParameters)
            network.Layers[layer].ParameterJacobianRows<T>(network.LayerParameters<T>(pass.Theta, layer), pass.Views.Acts[layer], pass.Views.Acts[layer + 1],
                pass.Views.Deltas[layer + 1].Span, 1, gradients[network.ParameterOffset(layer)..], p);
    }

    /// <summary>‖g_i‖ for every sample, from ‖δ_i‖²(‖y_i‖² + 1) per dense layer: the per-sample gradients are never formed.</summary>
    public Vector<double> PerSampleGradientNorms(Network network, Matrix<double> inputs, Matrix<double> targets, Precision precision = Precision.Float64)
    {
        var t = CheckTargets(network, inputs, targets);
        return Vector<double>.Build.Dense(precision == Precision.Float32 ? Norms<float>(network, inputs, t, clip: null).Norms : Norms<double>(network, inputs, t, clip: null).Norms);
    }

    /// <summary>
    /// Σ_i g_i·min(1, c/‖g_i‖), the sum of the per-sample gradients each clipped to norm at most c (the step of DP-SGD,
    /// Abadi et al. 2016, before its noise), with the norms ‖g_i‖: one forward pass, one pass of downstream gradients and one
    /// product per layer with the rows of δ scaled, as many products as one batched backward pass.
    /// </summary>
    public (Parameters Sum, Vector<double> Norms) ClippedGradientSum(Network network, Matrix<double> inputs, Matrix<double> targets, double clip,
        Precision precision = Precision.Float64)
    {
        if (!(clip > 0) || !double.IsFinite(clip)) throw new ArgumentException($"Clipped gradient sum: the clipping norm c must be positive and finite, got {clip}.");
        var t = CheckTargets(network, inputs, targets);
        var (norms, sum) = precision == Precision.Float32 ? Norms<float>(network, inputs, t, clip) : Norms<double>(network, inputs, t, clip);
        return (Parameters.Own(network.Parameters.Layout, sum!), Vector<double>.Build.Dense(norms));
    }

    /// <summary>∇_X𝒪, the gradient of the objective with respect to the inputs (k × m_0, row i = ∂𝒪/∂x_i), with this objective's reduction.</summary>
    public Matrix<double> InputGradient(Network network, Matrix<double> inputs, Matrix<double> targets)
    {
        var t = CheckTargets(network, inputs, targets);
        using var pass = Deltas<double>(network, inputs, t, Reduction, inputGradient: true);
        return Mat.ToMatrix(pass.Views.Deltas[0].Span, inputs.RowCount, network.InputSize);
    }

    // ---- the passes ----

    /// <summary>
    /// One pass on this thread's cached workspace (<see cref="WorkspaceCache{T}"/>), returned to the cache on
    /// <see cref="Dispose"/>: X copied once straight into it from MathNet's storage (and checked there), Y* beside it.
    /// </summary>
    private readonly struct Pass<T>(Network network, Workspace<T> ws, Workspace<T>.Views views, T[] theta, double value) : IDisposable
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        public Workspace<T> Ws { get; } = ws;
        public Workspace<T>.Views Views { get; } = views;
        public T[] Theta { get; } = theta;
        public double Value { get; } = value;

        /// <summary>The layers before a fused loss that have parameters (a fused last layer, softmax or sigmoid, has none).</summary>
        public IEnumerable<int> LayersWithParameters => WithParameters(network, Ws.LayerCount);

        private static IEnumerable<int> WithParameters(Network network, int layers)
        {
            for (int k = 0; k < layers; k++)
                if (network.LayerParameterCount(k) > 0) yield return k;
        }

        public void Dispose() => WorkspaceCache<T>.Return(Ws);
    }

    /// <summary>Forward, loss and the backward pass <paramref name="what"/> asks for; a non-finite objective throws, naming where it overflowed.</summary>
    private Pass<T> RunPass<T>(Network network, Matrix<double> x, Mat<double> t, Reduction reduction, Backpropagation.Pass what, bool inputGradient = false)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var ws = WorkspaceCache<T>.Rent(network, Loss, x.RowCount, inputGradient);
        var views = ws.For(x.RowCount);
        try
        {
            network.CopyInputTo(x, views.Input.Span); // checks X: width, finite entries
            t.Span.CopyTo(views.Targets.Span);
            var theta = network.Theta<T>();
            double value = Backpropagation.Run(ws, views, theta, reduction, what);
            Finite(network, x, value); // throws, naming the layer and sample that overflow
            return new Pass<T>(network, ws, views, theta, value);
        }
        catch
        {
            WorkspaceCache<T>.Return(ws);
            throw;
        }
    }

    private Pass<T> Deltas<T>(Network network, Matrix<double> x, Mat<double> t, Reduction reduction, bool inputGradient)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T> =>
        RunPass<T>(network, x, t, reduction, inputGradient ? Backpropagation.Pass.InputDeltas : Backpropagation.Pass.Deltas, inputGradient);

    private void PerSampleColumns<T>(Network network, Matrix<double> x, Mat<double> t, Span<T> dest) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        int k = x.RowCount;
        if (!network.WritesWholeParameterJacobian) dest.Clear();
        using var pass = Deltas<T>(network, x, t, Reduction.Sum, inputGradient: false);
        foreach (int layer in pass.LayersWithParameters)
        {
            var delta = pass.Views.Deltas[layer + 1];
            var deltaT = Mat.Transpose<T>(delta.Span, k, delta.Cols); // δᵀ: one column per sample
            network.Layers[layer].ParameterJacobianColumns<T>(network.LayerParameters<T>(pass.Theta, layer), pass.Views.Acts[layer], pass.Views.Acts[layer + 1],
                deltaT, 1, dest.Slice(network.ParameterOffset(layer) * k, network.LayerParameterCount(layer) * k));
        }
    }

    /// <summary>
    /// ‖g_i‖ for every sample and, with <paramref name="clip"/> = c, Σ_i s_i·g_i with s_i = min(1, c/‖g_i‖): each layer's
    /// ordinary backward pass on the rows of δ scaled by s_i, Σ_i s_i (δ_i ⊗ y_i) = (S·δ)ᵀ·Y (003 Prop 5.2).
    /// </summary>
    private (double[] Norms, double[]? Sum) Norms<T>(Network network, Matrix<double> x, Mat<double> t, double? clip)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        int k = x.RowCount;
        using var pass = Deltas<T>(network, x, t, Reduction.Sum, inputGradient: false);
        var squares = new T[k];
        foreach (int layer in pass.LayersWithParameters)
            network.Layers[layer].AddPerSampleSquaredNorms<T>(network.LayerParameters<T>(pass.Theta, layer), pass.Views.Acts[layer], pass.Views.Acts[layer + 1],
                pass.Views.Deltas[layer + 1], squares);
        var norms = new double[k];
        for (int i = 0; i < k; i++) norms[i] = Math.Sqrt(double.CreateTruncating(squares[i]));
        if (clip is not double c) return (norms, null);

        var g = new T[network.ParameterCount];
        int width = network.Widths.Max();
        var scaled = new Mat<T>(System.Buffers.ArrayPool<T>.Shared.Rent(k * width), k, width);
        try
        {
            foreach (int layer in pass.LayersWithParameters)
            {
                var delta = pass.Views.Deltas[layer + 1];
                var rows = new Mat<T>(scaled.Data, k, delta.Cols);
                for (int i = 0; i < k; i++)
                    TensorPrimitives.Multiply<T>(delta.Row(i), T.CreateTruncating(norms[i] > c ? c / norms[i] : 1.0), rows.Row(i)); // min(1, c/‖g_i‖)
                network.Layers[layer].BackwardOn<T>(network.LayerParameters<T>(pass.Theta, layer), pass.Views.Acts[layer], pass.Views.Acts[layer + 1], rows, null,
                    g.AsSpan(network.ParameterOffset(layer), network.LayerParameterCount(layer)));
            }
        }
        finally { System.Buffers.ArrayPool<T>.Shared.Return(scaled.Data); }
        if (g is double[] sum) return (norms, sum);
        var converted = new double[g.Length];
        Backpropagation.Convert<T, double>(g, converted);
        return (norms, converted);
    }
}
