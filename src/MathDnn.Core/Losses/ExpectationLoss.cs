namespace MathDnn.Losses;

/// <summary>
/// The expectation loss of the 004 loss table, (𝓛₁ ∘ σ)(o, y) = ‖y − σ(o)‖₁ = Σ_j |y_j − σ(o)_j|, with σ the softmax
/// probability estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>).
/// Gradient: with u_j = sign(σ(o)_j − y_j), ∇_o = u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩) (003 Prop 2.2, no matrix formed).
/// For one-hot y (true class k) and σ ∈ ]0,1[ᵐ the loss is 2(1 − σ_k) and has no kink; the subgradient sign(0) = 0
/// is used only if a rounded σ_j equals y_j exactly (a saturated softmax, where every gradient entry is below ε).
/// </summary>
public sealed record ExpectationLoss : Loss
{
    public override string Name => "expectation";
    public override TargetEncoding Encoding => TargetEncoding.OneHot;

    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        var s = ProbabilityEstimate.Of(output);
        double sum = 0;
        for (int j = 0; j < s.Length; j++) sum += Math.Abs(target[j] - s[j]);
        return sum;
    }

    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        var s = ProbabilityEstimate.Of(output);
        var u = new double[s.Length];
        for (int j = 0; j < s.Length; j++)
        {
            double d = s[j] - target[j];
            u[j] = d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0; // ∂‖y − σ‖₁/∂σ_j, sign(0) = 0
        }
        ProbabilityEstimate.Backward(s, u, gradient);
    }
}
