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
        var x = inputs;
        int k = x.RowCount, p = network.ParameterCount;
        var data = GC.AllocateUninitializedArray<double>(k * p); // every entry is written (or cleared) below
        if (precision == Precision.Float32)
        {
            var f = GC.AllocateUninitializedArray<float>(k * p);
            PerSampleColumns<float>(network, x, t, f);
            TensorPrimitives.ConvertTruncating<float, double>(f, data);
        }
        else PerSampleColumns<double>(network, x, t, data);
        return Matrix<double>.Build.Dense(k, p, data);
    }

    /// <summary>g_i for every sample, in float or double, written row-major into <paramref name="gradients"/> (k rows of |θ|).</summary>
    public void PerSampleGradients<T>(Network network, Matrix<double> inputs, Matrix<double> targets, Span<T> gradients)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var t = CheckTargets(network, inputs, targets);
        var x = inputs;
        int p = network.ParameterCount;
        if (gradients.Length != x.RowCount * p)
            throw new ArgumentException($"Per-sample gradients: {x.RowCount} samples of |θ| = {p} need {x.RowCount * p} entries, the span has {gradients.Length}.");
        var (ws, views, theta) = Deltas<T>(network, x, t, Reduction.Sum, inputGradient: false);
        try
        {
            for (int k = 0; k < network.Layers.Length; k++)
                if (network.LayerParameterCount(k) > 0 && (k >= ws.LayerCount || !network.Layers[k].WritesWholeParameterJacobian))
                    for (int i = 0; i < x.RowCount; i++) gradients.Slice(i * p + network.ParameterOffset(k), network.LayerParameterCount(k)).Clear();
            for (int k = 0; k < ws.LayerCount; k++)
                if (network.LayerParameterCount(k) > 0)
                    network.Layers[k].ParameterJacobianRows<T>(network.LayerParameters<T>(theta, k), views.Acts[k], views.Acts[k + 1],
                        views.Deltas[k + 1].Span, 1, gradients[network.ParameterOffset(k)..], p);
        }
        finally { WorkspaceCache<T>.Return(ws); }
    }

    /// <summary>‖g_i‖ for every sample, from ‖δ_i‖²(‖y_i‖² + 1) per dense layer: the per-sample gradients are never formed.</summary>
    public Vector<double> PerSampleGradientNorms(Network network, Matrix<double> inputs, Matrix<double> targets, Precision precision = Precision.Float64)
    {
        var t = CheckTargets(network, inputs, targets);
        var x = inputs;
        return Vector<double>.Build.Dense(precision == Precision.Float32 ? NormsOnly<float>(network, x, t) : NormsOnly<double>(network, x, t));
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
        var x = inputs;
        return precision == Precision.Float32 ? Clipped<float>(network, x, t, clip) : Clipped<double>(network, x, t, clip);
    }

    /// <summary>∇_X𝒪, the gradient of the objective with respect to the inputs (k × m_0, row i = ∂𝒪/∂x_i), with this objective's reduction.</summary>
    public Matrix<double> InputGradient(Network network, Matrix<double> inputs, Matrix<double> targets)
    {
        var t = CheckTargets(network, inputs, targets);
        var x = inputs;
        var (ws, views, _) = Deltas<double>(network, x, t, Reduction, inputGradient: true);
        try { return Mat.ToMatrix(views.Deltas[0].Span, x.RowCount, network.InputSize); }
        finally { WorkspaceCache<double>.Return(ws); }
    }

    // ---- the passes ----

    private (Workspace<T> Ws, Workspace<T>.Views Views, T[] Theta) Deltas<T>(Network network, Matrix<double> x, Mat<double> t, Reduction reduction, bool inputGradient)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var ws = WorkspaceCache<T>.Rent(network, Loss, x.RowCount, inputGradient);
        var views = ws.For(x.RowCount);
        try { network.CopyInputTo(x, views.Input.Span); } // checks X: width, finite entries
        catch { WorkspaceCache<T>.Return(ws); throw; }
        t.Span.CopyTo(views.Targets.Span);
        var theta = network.Theta<T>();
        double value = Backpropagation.Run(ws, views, theta, reduction, inputGradient ? Backpropagation.Pass.InputDeltas : Backpropagation.Pass.Deltas);
        if (!double.IsFinite(value))
        {
            WorkspaceCache<T>.Return(ws);
            Finite(network, Mat.From(x), value); // throws, naming the layer and sample that overflow
        }
        return (ws, views, theta); // the caller returns ws to the cache when done with the views
    }

    private void PerSampleColumns<T>(Network network, Matrix<double> x, Mat<double> t, Span<T> dest) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var (ws, views, theta) = Deltas<T>(network, x, t, Reduction.Sum, inputGradient: false);
        try
        {
            int k = x.RowCount;
            for (int layer = 0; layer < network.Layers.Length; layer++)
            {
                if (network.LayerParameterCount(layer) == 0) continue;
                var block = dest.Slice(network.ParameterOffset(layer) * k, network.LayerParameterCount(layer) * k);
                if (layer >= ws.LayerCount || !network.Layers[layer].WritesWholeParameterJacobian) block.Clear();
                if (layer >= ws.LayerCount) continue;
                var delta = views.Deltas[layer + 1];
                var deltaT = Mat.Transpose<T>(delta.Span, k, delta.Cols); // δᵀ: one column per sample
                network.Layers[layer].ParameterJacobianColumns<T>(network.LayerParameters<T>(theta, layer), views.Acts[layer], views.Acts[layer + 1],
                    deltaT, 1, block);
            }
        }
        finally { WorkspaceCache<T>.Return(ws); }
    }

    private double[] NormsOnly<T>(Network network, Matrix<double> x, Mat<double> t) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var (norms, ws, _, _) = Norms<T>(network, x, t);
        WorkspaceCache<T>.Return(ws);
        return norms;
    }

    /// <summary>The per-sample norms and the pass they came from; the caller returns the workspace to the cache.</summary>
    private (double[] Norms, Workspace<T> Ws, Workspace<T>.Views Views, T[] Theta) Norms<T>(Network network, Matrix<double> x, Mat<double> t)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var (ws, views, theta) = Deltas<T>(network, x, t, Reduction.Sum, inputGradient: false);
        var squares = new T[x.RowCount];
        for (int k = 0; k < ws.LayerCount; k++)
            if (network.LayerParameterCount(k) > 0)
                network.Layers[k].AddPerSampleSquaredNorms<T>(network.LayerParameters<T>(theta, k), views.Acts[k], views.Acts[k + 1], views.Deltas[k + 1], squares);
        var norms = new double[x.RowCount];
        for (int i = 0; i < norms.Length; i++) norms[i] = Math.Sqrt(double.CreateTruncating(squares[i]));
        return (norms, ws, views, theta);
    }

    private (Parameters, Vector<double>) Clipped<T>(Network network, Matrix<double> x, Mat<double> t, double clip) where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var (norms, ws, views, theta) = Norms<T>(network, x, t);
        try { return ClippedFrom(network, ws, views, theta, norms, x.RowCount, clip); }
        finally { WorkspaceCache<T>.Return(ws); }
    }

    private static (Parameters, Vector<double>) ClippedFrom<T>(Network network, Workspace<T> ws, Workspace<T>.Views views, T[] theta, double[] norms, int k, double clip)
        where T : unmanaged, IFloat.IFloatingPointIeee754<T>
    {
        var scale = new T[k];
        for (int i = 0; i < k; i++) scale[i] = T.CreateTruncating(norms[i] > clip ? clip / norms[i] : 1.0); // min(1, c/‖g_i‖)
        var g = new T[network.ParameterCount];
        for (int layer = 0; layer < ws.LayerCount; layer++)
        {
            if (network.LayerParameterCount(layer) == 0) continue;
            var delta = views.Deltas[layer + 1];
            var scaled = new Mat<T>(k, delta.Cols);
            for (int i = 0; i < k; i++) TensorPrimitives.Multiply<T>(delta.Row(i), scale[i], scaled.Row(i));
            // Σ_i s_i (δ_i ⊗ y_i) = (S·δ)ᵀ·Y: the layer's ordinary backward pass on the scaled rows.
            network.Layers[layer].Backward<T>(network.LayerParameters<T>(theta, layer), views.Acts[layer], views.Acts[layer + 1], scaled, null,
                g.AsSpan(network.ParameterOffset(layer), network.LayerParameterCount(layer)));
        }
        var sum = new double[g.Length];
        Backpropagation.Convert<T, double>(g, sum);
        return (Parameters.Own(network.Parameters.Layout, sum), Vector<double>.Build.Dense(norms));
    }
}
