namespace MathDnn.Losses;

/// <summary>
/// The squared log loss of the 004 loss table, log²(o, y) = Σ_j [y_j log σ(o)_j]², with σ the softmax probability
/// estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>); for true class k it is
/// (log σ(o)_k)². The table prints −Σ_j [y_j log σ(o)_j]²: that sign is a slip (the printed function is ≤ 0 and is
/// minimised by driving the true-class probability to 0), so this is the sum without the minus sign.
/// log σ(o)_j = o_j − logsumexp(o) is used, finite for every finite o.
/// Gradient: since ∂ log σ_j/∂o_i = δ_ij − σ_i (003 Prop 2.2 divided by σ_j),
/// ∂/∂o_i = 2y_i² log σ_i − 2σ_i·Σ_j y_j² log σ_j. Smooth: no kink.
/// </summary>
public sealed record SquaredLogLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "squared-log";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;
    /// <summary>True: the output is logits o, and σ(o) is applied here.</summary>
    public override bool AppliesSoftmax => true;

    /// <summary>Σ_j [y_j log σ(o)_j]².</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        var l = ProbabilityEstimate.LogOf(output);
        double sum = 0;
        for (int j = 0; j < l.Length; j++) { double v = target[j] * l[j]; sum += v * v; }
        return sum;
    }

    /// <summary>∂/∂o_i = 2y_i² log σ_i − 2σ_i·Σ_j y_j² log σ_j.</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        var l = ProbabilityEstimate.LogOf(output);
        var s = ProbabilityEstimate.Of(output);
        double weighted = 0; // Σ_j y_j² log σ_j
        for (int j = 0; j < l.Length; j++) weighted += target[j] * target[j] * l[j];
        for (int i = 0; i < l.Length; i++) gradient[i] = 2 * (target[i] * target[i] * l[i] - s[i] * weighted);
    }
}
