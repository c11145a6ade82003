namespace MathDnn.Losses;

/// <summary>
/// The Cauchy–Schwarz divergence of the 004 loss table, D_CS(o, y) = −log(⟨σ, y⟩ / (‖σ‖₂‖y‖₂)) with σ = σ(o) the
/// softmax probability estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>).
/// With P = ⟨σ, y⟩ and Q = ‖σ‖₂² it is −log P + ½ log Q + log ‖y‖₂; log P is computed as
/// logsumexp_{j: y_j &gt; 0}(log σ_j + log y_j) (= log σ_k for true class k) from log σ = o − logsumexp(o), so it is
/// finite even when σ_k underflows. Defined for targets y ≥ 0 with y ≠ 0, which one-hot targets are.
/// Gradient: u_j = ∂D_CS/∂σ_j = −y_j/P + σ_j/Q, and ⟨u, σ⟩ = −1 + 1 = 0, so
/// ∇_o = u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩) (003 Prop 2.2) = σ_j²/Q − σ_j y_j/P, i.e. σ_j²/Q − δ_jk for one-hot y. Smooth: no kink.
/// </summary>
public sealed record CauchySchwarzDivergence : Loss
{
    /// <inheritdoc/>
    public override string Name => "cauchy-schwarz-divergence";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;
    /// <summary>True: the output is logits o, and σ(o) is applied here.</summary>
    public override bool AppliesSoftmax => true;

    /// <summary>−log P + ½ log Q + ½ log ‖y‖₂², P = ⟨σ(o), y⟩ (in log space), Q = ‖σ(o)‖₂².</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        var l = ProbabilityEstimate.LogOf(output);
        var s = ProbabilityEstimate.Of(output);
        double q = 0, y = 0;
        for (int j = 0; j < s.Length; j++) { q += s[j] * s[j]; y += target[j] * target[j]; }
        return -LogP(l, target) + 0.5 * Math.Log(q) + 0.5 * Math.Log(y);
    }

    /// <summary>∂/∂o_j = σ_j²/Q − σ_j y_j/P.</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        var l = ProbabilityEstimate.LogOf(output);
        var s = ProbabilityEstimate.Of(output);
        double q = 0;
        foreach (var v in s) q += v * v;
        double logP = LogP(l, target);
        for (int j = 0; j < s.Length; j++)
        {
            double share = target[j] > 0 ? Math.Exp(l[j] + Math.Log(target[j]) - logP) : 0.0; // σ_j y_j / P
            gradient[j] = s[j] * s[j] / q - share;
        }
    }

    /// <summary>log P = log Σ_{j: y_j &gt; 0} y_j σ_j = max + log Σ exp(log σ_j + log y_j − max).</summary>
    private static double LogP(ReadOnlySpan<double> logSigma, ReadOnlySpan<double> target)
    {
        double max = double.NegativeInfinity;
        for (int j = 0; j < target.Length; j++)
            if (target[j] > 0) max = Math.Max(max, logSigma[j] + Math.Log(target[j]));
        if (double.IsNegativeInfinity(max)) return max; // P = 0: no positive target, D_CS = +∞
        double sum = 0;
        for (int j = 0; j < target.Length; j++)
            if (target[j] > 0) sum += Math.Exp(logSigma[j] + Math.Log(target[j]) - max);
        return max + Math.Log(sum);
    }
}
