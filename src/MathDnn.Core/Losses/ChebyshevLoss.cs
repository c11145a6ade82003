namespace MathDnn.Losses;

/// <summary>
/// The Chebyshev loss of the 004 loss table, (𝓛_∞ ∘ σ)(o, y) = max_j |σ(o)_j − y_j|, with σ the softmax probability
/// estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>).
/// Gradient: with j* the index attaining the maximum and u = sign(σ_{j*} − y_{j*})·e_{j*},
/// ∇_o = u·J_σ(o) = sign(σ_{j*} − y_{j*})·σ_{j*}(e_{j*} − σ) (003 Prop 2.2, no matrix formed).
/// Subgradient at kinks: on a tie of the maximum the lowest index j* is taken, and sign(0) = 0.
/// For one-hot y (true class k) and m ≥ 3 the maximum is attained only at k (1 − σ_k = Σ_{j≠k} σ_j &gt; σ_j), so the
/// loss is 1 − σ_k there; for m = 2 both entries tie but both pieces have the same gradient. σ_k − 1 is evaluated as
/// −Σ_{j≠k} σ_j, without cancellation.
/// </summary>
public sealed record ChebyshevLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "chebyshev";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;
    /// <summary>True: the output is logits o, and σ(o) is applied here.</summary>
    public override bool AppliesSoftmax => true;

    /// <summary>max_j |σ(o)_j − y_j|.</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        var r = ProbabilityEstimate.Residual(ProbabilityEstimate.Of(output), target);
        return Math.Abs(r[ArgMax(r)]);
    }

    /// <summary>sign(σ_{j*} − y_{j*})·σ_{j*}(e_{j*} − σ), j* the lowest index of the maximum.</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        var s = ProbabilityEstimate.Of(output);
        var r = ProbabilityEstimate.Residual(s, target);
        int k = ArgMax(r);
        double sign = r[k] > 0 ? 1.0 : r[k] < 0 ? -1.0 : 0.0;
        // sign·∂σ_k/∂o_j = sign·σ_k(δ_kj − σ_j) (003 Prop 2.2, row k of J_σ)
        for (int j = 0; j < s.Length; j++) gradient[j] = sign * s[k] * ((j == k ? 1.0 : 0.0) - s[j]);
    }

    /// <summary>The lowest index j attaining max_j |r_j| for the residual r = σ − y (the tie rule).</summary>
    private static int ArgMax(ReadOnlySpan<double> r)
    {
        int best = 0;
        for (int j = 1; j < r.Length; j++)
            if (Math.Abs(r[j]) > Math.Abs(r[best])) best = j;
        return best;
    }
}
