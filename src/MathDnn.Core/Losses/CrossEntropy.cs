using MathDnn.Activations;

using MathDnn.Kernels;

namespace MathDnn.Losses;

/// <summary>
/// Categorical cross-entropy on probabilities, ξ(y, y*) = −Σ_k y*_k·log(y_k) (003 Def 3.1), defined on ]0,1[ᵐ, with
/// ∇ξ(·, y*)(y) = −(y*_1/y_1, …, y*_m/y_m) (003 Prop 3.1). Outputs outside ]0,1[ are rejected: use
/// <see cref="SoftmaxCrossEntropy"/> on logits, which a network ending in softmax uses automatically.
/// </summary>
public sealed record CategoricalCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "categorical-cross-entropy";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;

    /// <summary>−Σ_k y*_k·log(y_k) (003 Def 3.1); entries with y*_k = 0 contribute 0.</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int k = 0; k < output.Length; k++) if (target[k] != 0) s -= target[k] * Math.Log(output[k]);
        return s;
    }

    /// <summary>−(y*_1/y_1, …, y*_m/y_m) (003 Prop 3.1).</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int k = 0; k < output.Length; k++) gradient[k] = -target[k] / output[k]; // 003 Prop 3.1
    }

    /// <summary>Rejects an output entry outside ]0,1[, pointing to <see cref="SoftmaxCrossEntropy"/>.</summary>
    protected override string? OutputProblem(ReadOnlySpan<double> output)
    {
        foreach (var v in output)
            if (v is <= 0.0 or >= 1.0)
                return $"the unfused cross-entropy needs probabilities in ]0,1[, found {v:G17}; use softmax-cross-entropy on logits instead.";
        return null;
    }
}

/// <summary>
/// Softmax fused with categorical cross-entropy, on logits z: ξ(𝓢(z), y*) = log Σ_k e^{z_k} − ⟨y*, z⟩ for one-hot y*,
/// computed with log-sum-exp so it is finite for every finite z, and with gradient 𝓢(z) − y* (003 Prop 5.3; the text
/// writes the codomain as ℝ, it is ℝᵐ).
/// </summary>
public sealed record SoftmaxCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "softmax-cross-entropy";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;
    /// <summary>True: the output is logits z, and 𝓢(z) is applied here.</summary>
    public override bool AppliesSoftmax => true;

    /// <summary>(Σ_k y*_k)·logsumexp(z) − ⟨y*, z⟩, i.e. logsumexp(z) − z_k for the true class k.</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double lse = Softmax.LogSumExp(output), dot = 0, mass = 0;
        for (int k = 0; k < output.Length; k++)
        {
            dot += target[k] * output[k];
            mass += target[k];
        }
        return mass * lse - dot; // Σ_k y*_k (lse − z_k); mass = 1 for one-hot targets
    }

    /// <summary>
    /// (Σ_k y*_k)·𝓢(z) − y*, i.e. 𝓢(z) − y* for one-hot y* (003 Prop 5.3), from the max-shifted softmax with the true
    /// class's entry 𝓢_k − 1 as −Σ_{i≠k} 𝓢_i (<see cref="ProbabilityEstimate.CrossEntropyGradient"/>): accurate to a few ulps
    /// of each entry also at large logits, e.g. −9.357622968839299e-14 for the first entry at z = (1000, 970, 0, 0), y* = e₁.
    /// </summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient) =>
        ProbabilityEstimate.CrossEntropyGradient(output, target, gradient); // 003 Prop 5.3
}

/// <summary>
/// Binary cross-entropy on probabilities p ∈ ]0,1[ᵐ, ξ(p, y) = −Σ_j [y_j log p_j + (1 − y_j) log(1 − p_j)]
/// (002 eq. 1, corrected as the spec README says), gradient −y/p + (1 − y)/(1 − p). Targets in [0,1].
/// </summary>
public sealed record BinaryCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "binary-cross-entropy";
    /// <summary><see cref="TargetEncoding.UnitInterval"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.UnitInterval;

    /// <summary>−Σ_j [y_j log p_j + (1 − y_j) log(1 − p_j)], log(1 − p) by log1p; a term whose weight is 0 contributes 0.</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++)
        {
            if (target[j] != 0) s -= target[j] * Math.Log(output[j]);
            if (target[j] != 1) s -= (1 - target[j]) * ScalarMath.LogP1(-output[j]);
        }
        return s;
    }

    /// <summary>−y_j/p_j + (1 − y_j)/(1 − p_j).</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++)
            gradient[j] = -target[j] / output[j] + (1 - target[j]) / (1 - output[j]);
    }

    /// <summary>Rejects an output entry outside ]0,1[, pointing to <see cref="SigmoidBinaryCrossEntropy"/>.</summary>
    protected override string? OutputProblem(ReadOnlySpan<double> output)
    {
        foreach (var v in output)
            if (v is <= 0.0 or >= 1.0)
                return $"the unfused binary cross-entropy needs probabilities in ]0,1[, found {v:G17}; use sigmoid-binary-cross-entropy on logits instead.";
        return null;
    }
}

/// <summary>
/// The sigmoid fused with binary cross-entropy, on logits z: Σ_j [softplus(z_j) − y_j·z_j] with
/// softplus(z) = max(z, 0) + log(1 + e^{−|z|}) (finite for every finite z), gradient σ(z) − y.
/// </summary>
public sealed record SigmoidBinaryCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "sigmoid-binary-cross-entropy";
    /// <summary><see cref="TargetEncoding.UnitInterval"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.UnitInterval;

    /// <summary>Σ_j [softplus(z_j) − y_j·z_j].</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++)
        {
            double z = output[j];
            s += ScalarMath.Softplus(z) - target[j] * z;
        }
        return s;
    }

    /// <summary>σ(z) − y.</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = Sigmoid.Logistic(output[j]) - target[j];
    }
}
