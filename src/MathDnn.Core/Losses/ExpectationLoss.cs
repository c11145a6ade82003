namespace MathDnn.Losses;

/// <summary>
/// The expectation loss of the 004 loss table, (𝓛₁ ∘ σ)(o, y) = ‖y − σ(o)‖₁ = Σ_j |y_j − σ(o)_j|, with σ the softmax
/// probability estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>).
/// Gradient: with u_j = sign(σ(o)_j − y_j), ∇_o = u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩) (003 Prop 2.2, no matrix formed).
/// For one-hot y (true class k) and σ ∈ ]0,1[ᵐ the loss is 2(1 − σ_k) and has no kink. σ_k − 1 is evaluated as
/// −Σ_{j≠k} σ_j (no cancellation), so the subgradient sign(0) = 0 is reached only where σ_j underflowed to 0 (its term
/// σ_j·(u_j − ⟨u, σ⟩) is 0 either way) or every σ_j, j ≠ k, did (the exact gradient is below the smallest double).
/// </summary>
public sealed record ExpectationLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "expectation";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;
    /// <summary>True: the output is logits o, and σ(o) is applied here.</summary>
    public override bool AppliesSoftmax => true;

    /// <summary>Σ_j |y_j − σ(o)_j|.</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        var s = ProbabilityEstimate.Of(output);
        var r = ProbabilityEstimate.Residual(s, target);
        double sum = 0;
        foreach (var v in r) sum += Math.Abs(v);
        return sum;
    }

    /// <summary>σ ⊙ (u − ⟨u, σ⟩) with u_j = sign(σ_j − y_j), sign(0) = 0.</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        var s = ProbabilityEstimate.Of(output);
        var u = ProbabilityEstimate.Residual(s, target);
        for (int j = 0; j < u.Length; j++) u[j] = u[j] > 0 ? 1.0 : u[j] < 0 ? -1.0 : 0.0; // ∂‖y − σ‖₁/∂σ_j, sign(0) = 0
        ProbabilityEstimate.Backward(s, u, gradient);
    }
}
