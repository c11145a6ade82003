namespace MathDnn.Losses;

/// <summary>
/// The Chebyshev loss of the 004 loss table, (𝓛_∞ ∘ σ)(o, y) = max_j |σ(o)_j − y_j|, with σ the softmax probability
/// estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>).
/// Gradient: with j* the index attaining the maximum and u = sign(σ_{j*} − y_{j*})·e_{j*},
/// ∇_o = u·J_σ(o) = sign(σ_{j*} − y_{j*})·σ_{j*}(e_{j*} − σ) (003 Prop 2.2, no matrix formed).
/// Subgradient at kinks: on a tie of the maximum the lowest index j* is taken, and sign(0) = 0.
/// For one-hot y (true class k) and m ≥ 3 the maximum is attained only at k (1 − σ_k = Σ_{j≠k} σ_j &gt; σ_j), so the
/// loss is 1 − σ_k there; for m = 2 both entries tie but both pieces have the same gradient.
/// </summary>
public sealed record ChebyshevLoss : Loss
{
    public override string Name => "chebyshev";
    public override TargetEncoding Encoding => TargetEncoding.OneHot;

    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        var s = ProbabilityEstimate.Of(output);
        int k = ArgMax(s, target);
        return Math.Abs(s[k] - target[k]);
    }

    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        var s = ProbabilityEstimate.Of(output);
        int k = ArgMax(s, target);
        double d = s[k] - target[k];
        double sign = d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0;
        // sign·∂σ_k/∂o_j = sign·σ_k(δ_kj − σ_j) (003 Prop 2.2, row k of J_σ)
        for (int j = 0; j < s.Length; j++) gradient[j] = sign * s[k] * ((j == k ? 1.0 : 0.0) - s[j]);
    }

    /// <summary>The lowest index j attaining max_j |σ_j − y_j| (the tie rule).</summary>
    private static int ArgMax(ReadOnlySpan<double> s, ReadOnlySpan<double> target)
    {
        int best = 0;
        double max = Math.Abs(s[0] - target[0]);
        for (int j = 1; j < s.Length; j++)
        {
            double v = Math.Abs(s[j] - target[j]);
            if (v > max) { max = v; best = j; }
        }
        return best;
    }
}
