using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Networks;

/// <summary>
/// θ ↦ N(x; θ) linearised at the network's θ and one sample x: J_θ ∈ M_{m_p, |θ|} (003 Thm 1.3 with 003 Props 4.2–4.3)
/// as a linear map. J_θ·v (<see cref="Jvp(Parameters)"/>) propagates a tangent alongside the forward pass,
/// t_k = J_{ℓ_k}·t_{k−1} + J_{θ_k}ℓ_k·v_k; u·J_θ (<see cref="Vjp"/>) is one backward pass. Neither forms J_θ;
/// <see cref="ToMatrix"/> writes it block by block. Immutable.
/// </summary>
public sealed class ParameterLinearMap
{
    private readonly Network network;
    private readonly Mat<double>[] acts;

    internal ParameterLinearMap(Network network, Mat<double>[] acts) => (this.network, this.acts) = (network, acts);

    /// <summary>m_p.</summary>
    public int Rows => network.OutputSize;

    /// <summary>|θ|.</summary>
    public int Columns => network.ParameterCount;

    /// <summary>J_θ·vᵀ ∈ ℝ^{m_p}: how N(x; θ) changes along the parameter direction v.</summary>
    public Vector<double> Jvp(Parameters v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (!v.Layout.Equals(network.Parameters.Layout))
            throw new ArgumentException($"Parameter Jacobian J_θ·v: v has layout [{v.Layout}] but the network's is [{network.Parameters.Layout}].");
        var theta = network.Parameters.Values;
        var t = new Mat<double>(1, network.InputSize); // x does not move
        for (int k = 0; k < network.Layers.Length; k++)
        {
            var layer = network.Layers[k];
            var next = new Mat<double>(1, network.Widths[k + 1]);
            ChainProduct.ApplyLeft(network.LayerFactors(k, acts, theta), t.Span, 1, next.Span);
            if (network.LayerParameterCount(k) > 0)
                layer.AddParameterTangent<double>(network.LayerParameters<double>(theta, k), acts[k], acts[k + 1],
                    network.LayerParameters<double>(v.Values, k), next);
            t = next;
        }
        return Vector<double>.Build.Dense(t.Data);
    }

    /// <summary>J_θ·vᵀ for v given as a vector of |θ| entries in the order of the parameters.</summary>
    public Vector<double> Jvp(Vector<double> v)
    {
        Guard.Length("Parameter Jacobian J_θ·v", "v", v, Columns);
        return Jvp(Parameters.FromVector(network.Parameters.Layout, v));
    }

    /// <summary>u·J_θ, laid out like θ: the gradient of u·N(x; θ) by one backward pass.</summary>
    public Parameters Vjp(Vector<double> u)
    {
        Guard.Length("Parameter Jacobian u·J_θ", "u", u, Rows);
        var theta = network.Parameters.Values;
        var g = new double[Columns];
        var d = new Mat<double>(u.ToArray(), 1, Rows);
        for (int k = network.Layers.Length - 1; k >= 0; k--)
        {
            var dx = k > 0 ? new Mat<double>(1, network.Widths[k]) : null;
            network.Layers[k].BackwardOn<double>(network.LayerParameters<double>(theta, k), acts[k], acts[k + 1], d, dx,
                g.AsSpan(network.ParameterOffset(k), network.LayerParameterCount(k)));
            if (dx is null) break;
            d = dx;
        }
        return Parameters.Own(network.Parameters.Layout, g);
    }

    /// <summary>J_θ as an m_p × |θ| matrix, written block by block (003 Props 4.2–4.3).</summary>
    public Matrix<double> ToMatrix() => network.ParameterJacobian(Vector<double>.Build.Dense(acts[0].Span.ToArray()));
}
