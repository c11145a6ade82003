using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>
/// Bounds on the Lipschitz constant Lip(N) = sup_{x≠y} ‖N(x) − N(y)‖ / ‖x − y‖ of a network x ↦ N(x) (Euclidean norms).
/// <para>
/// Upper: Lip(ℓ_p ∘ … ∘ ℓ_1) ≤ Π_k Lip(ℓ_k) (the chain rule 003 Thm 1.3 bounds ‖J_N‖ by the product of the layers'
/// ‖J_ℓ‖). A dense layer contributes ‖W‖₂, its largest singular value (its Jacobian is W, 003 Prop 4.1); an element-wise
/// activation sup|f'|: ReLU 1, leaky ReLU max(1, a), ELU max(1, α), tanh 1, sigmoid ¼, identity 1; softmax ½ (its
/// Jacobian diag(s) − sᵀs of 003 Prop 2.2 has u·J·uᵀ = Var_s(u) ≤ (max u − min u)²/4 ≤ ½ for ‖u‖ = 1, by Popoviciu's
/// inequality); a maxout layer √(Σ_j max_i ‖w_{ij}‖²) (unit j moves by at most max_i |w_{ij}·(x − y)ᵀ|).
/// </para>
/// <para>
/// Lower: Lip(N) ≥ ‖J_N(x)‖₂ at every x where N is differentiable, so the largest spectral norm of the input Jacobian
/// over sampled points (for one output, the largest gradient norm) is a lower bound.
/// </para>
/// </summary>
public static class LipschitzBounds
{
    /// <summary>The product upper bound and the sampled lower bound at <paramref name="samples"/> (one sample per row).</summary>
    public static LipschitzBoundsResult Of(Network network, Matrix<double> samples)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.ColumnCount != network.InputSize || samples.RowCount == 0)
            throw new ArgumentException($"Lipschitz bounds: the samples are {Guard.Shape(samples)} but the network takes rows of width {network.InputSize} (need k×{network.InputSize}, k ≥ 1).");
        var factors = new List<LayerFactor>();
        double upper = 1;
        for (int k = 0; k < network.Layers.Length; k++)
        {
            var layer = network.Layers[k];
            double factor = layer switch
            {
                Dense => SpectralNorm(network.Parameters.Weights(k)),
                Maxout mx => MaxoutFactor(mx, network.Parameters.Weights(k)),
                Relu or Tanh or Identity => 1.0,
                LeakyRelu l => Math.Max(1.0, Math.Abs(l.Slope)),
                Elu e => Math.Max(1.0, e.Alpha),
                Sigmoid => 0.25,
                Softmax => 0.5,
                _ => throw new ArgumentException($"Lipschitz bounds: no Lipschitz constant is known for layer {k} ({layer.Name})."),
            };
            factors.Add(new LayerFactor(k, layer.Name, factor));
            upper *= factor;
        }
        double lower = 0;
        int argmax = 0;
        for (int i = 0; i < samples.RowCount; i++)
        {
            double norm = SpectralNorm(network.InputJacobian(samples.Row(i)));
            if (norm > lower) (lower, argmax) = (norm, i);
        }
        return new LipschitzBoundsResult(lower, upper, [.. factors], samples.RowCount, RealFunction.Format(samples.Row(argmax)));
    }

    /// <summary>‖A‖₂, the largest singular value (0 for a zero matrix).</summary>
    public static double SpectralNorm(Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.RowCount == 0 || a.ColumnCount == 0 ? 0 : a.Svd(computeVectors: false).S[0];
    }

    private static double MaxoutFactor(Maxout mx, Matrix<double> w)
    {
        // W holds k·m rows, piece-major: row i·m + j is unit j of piece i.
        double sum = 0;
        for (int j = 0; j < mx.Outputs; j++)
        {
            double best = 0;
            for (int i = 0; i < mx.Pieces; i++) best = Math.Max(best, w.Row(i * mx.Outputs + j).L2Norm());
            sum += best * best;
        }
        return Math.Sqrt(sum);
    }
}

/// <summary>One layer's factor in the product bound: ‖W‖₂ for a dense layer, sup|f'| for an activation.</summary>
/// <param name="Layer">The layer's index.</param>
/// <param name="Name">The layer's name.</param>
/// <param name="Factor">‖W‖₂ for a dense layer, sup|f′| for an activation.</param>
public sealed record LayerFactor(int Layer, string Name, double Factor);

/// <summary>
/// Lower ≤ Lip(N) ≤ Upper: <see cref="Lower"/> the largest ‖J_N(x)‖₂ over <see cref="Samples"/> points (attained at
/// <see cref="LowerAt"/>), <see cref="Upper"/> the product of the <see cref="Factors"/>.
/// </summary>
/// <param name="Lower">max ‖J_N(x)‖₂ over the sampled points.</param>
/// <param name="Upper">The product of the layer factors.</param>
/// <param name="Factors">Each layer's factor.</param>
/// <param name="Samples">The points sampled.</param>
/// <param name="LowerAt">The point where the lower bound is attained.</param>
public sealed record LipschitzBoundsResult(double Lower, double Upper, System.Collections.Immutable.ImmutableArray<LayerFactor> Factors, int Samples, string LowerAt)
{
    /// <summary>Upper / Lower: how loose the pair is (1 when they meet, e.g. for one dense layer).</summary>
    public double Ratio => Upper / Lower;
}
