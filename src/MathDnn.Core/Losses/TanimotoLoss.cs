namespace MathDnn.Losses;

/// <summary>
/// The Tanimoto loss of the 004 loss table, tan(o, y) = −⟨σ, y⟩ / (‖σ‖₂² + ‖y‖₂² − ⟨σ, y⟩) with σ = σ(o) the softmax
/// probability estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>). Write P = ⟨σ, y⟩,
/// Q = ‖σ‖₂², Y = ‖y‖₂² and D = Q + Y − P = ‖σ − y‖₂² + P (&gt; 0 for one-hot y: D ≥ σ_k² − σ_k + 1 ≥ ¾).
/// Gradient: u_j = ∂tan/∂σ_j = (2P·σ_j − (Q + Y)·y_j) / D², then ∇_o = u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩)
/// (003 Prop 2.2, no matrix formed). Smooth: no kink.
/// </summary>
public sealed record TanimotoLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "tanimoto";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;
    /// <summary>True: the output is logits o, and σ(o) is applied here.</summary>
    public override bool AppliesSoftmax => true;

    /// <summary>−P/(Q + Y − P), P = ⟨σ(o), y⟩, Q = ‖σ(o)‖₂², Y = ‖y‖₂².</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        var s = ProbabilityEstimate.Of(output);
        var (p, q, y) = Moments(s, target);
        return -p / (q + y - p);
    }

    /// <summary>σ ⊙ (u − ⟨u, σ⟩) with u_j = (2P·σ_j − (Q + Y)·y_j)/D², D = Q + Y − P.</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        var s = ProbabilityEstimate.Of(output);
        var (p, q, y) = Moments(s, target);
        double d = q + y - p;
        var u = new double[s.Length];
        for (int j = 0; j < s.Length; j++) u[j] = (2 * p * s[j] - (q + y) * target[j]) / (d * d);
        ProbabilityEstimate.Backward(s, u, gradient);
    }

    /// <summary>P = ⟨σ, y⟩, Q = ‖σ‖₂², Y = ‖y‖₂².</summary>
    private static (double P, double Q, double Y) Moments(ReadOnlySpan<double> s, ReadOnlySpan<double> target)
    {
        double p = 0, q = 0, y = 0;
        for (int j = 0; j < s.Length; j++)
        {
            p += s[j] * target[j];
            q += s[j] * s[j];
            y += target[j] * target[j];
        }
        return (p, q, y);
    }
}
