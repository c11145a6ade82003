namespace MathDnn.Losses;

/// <summary>
/// The regularised expectation loss of the 004 loss table, (𝓛₂ ∘ σ)(o, y) = ‖y − σ(o)‖₂² = Σ_j (y_j − σ(o)_j)², with σ
/// the softmax probability estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>).
/// Gradient: with u = 2(σ(o) − y), ∇_o = u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩) (003 Prop 2.2, no matrix formed). Smooth: no kink.
/// σ_k − 1 (true class k) is evaluated as −Σ_{j≠k} σ_j, without cancellation.
/// </summary>
public sealed record RegularisedExpectationLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "regularised-expectation";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;
    /// <summary>True: the output is logits o, and σ(o) is applied here.</summary>
    public override bool AppliesSoftmax => true;

    /// <summary>Σ_j (y_j − σ(o)_j)².</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        var s = ProbabilityEstimate.Of(output);
        double sum = 0;
        foreach (var d in ProbabilityEstimate.Residual(s, target)) sum += d * d;
        return sum;
    }

    /// <summary>σ ⊙ (u − ⟨u, σ⟩) with u = 2(σ(o) − y).</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        var s = ProbabilityEstimate.Of(output);
        var u = ProbabilityEstimate.Residual(s, target);
        for (int j = 0; j < u.Length; j++) u[j] *= 2; // ∂‖y − σ‖₂²/∂σ_j = 2(σ_j − y_j)
        ProbabilityEstimate.Backward(s, u, gradient);
    }
}
