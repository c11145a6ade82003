namespace MathDnn.Losses;

/// <summary>
/// The hinge (margin) loss of the 004 loss table, hinge(o, ŷ) = Σ_j max(0, ½ − ŷ_j o_j), on the raw output o of the
/// last layer with ±1 targets ŷ (<see cref="TargetEncoding.PlusMinusOne"/>) and the margin ½ the table writes.
/// Gradient: ∂/∂o_j = −ŷ_j when ½ − ŷ_j o_j &gt; 0 and 0 when ½ − ŷ_j o_j &lt; 0.
/// At the kink ŷ_j o_j = ½ it returns the subgradient 0 (the right-hand side, as ReLU's 003 Assumption 1).
/// </summary>
public sealed record HingeLoss : Loss
{
    /// <summary>The margin ½ of the 004 loss table.</summary>
    public const double Margin = 0.5;

    /// <inheritdoc/>
    public override string Name => "hinge";
    /// <summary><see cref="TargetEncoding.PlusMinusOne"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.PlusMinusOne;

    /// <summary>Σ_j max(0, ½ − ŷ_j o_j).</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++) s += Math.Max(0, Margin - target[j] * output[j]);
        return s;
    }

    /// <summary>−ŷ_j where ½ − ŷ_j o_j &gt; 0, else 0 (0 at the kink).</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++)
            gradient[j] = Margin - target[j] * output[j] > 0 ? -target[j] : 0.0; // 0 at the kink
    }
}
