namespace MathDnn.Losses;

/// <summary>
/// The squared hinge (margin) loss of the 004 loss table, hinge²(o, ŷ) = Σ_j max(0, ½ − ŷ_j o_j)², on the raw output o
/// of the last layer with ±1 targets ŷ (<see cref="TargetEncoding.PlusMinusOne"/>) and the margin ½ the table writes.
/// Gradient: ∂/∂o_j = −2ŷ_j·max(0, ½ − ŷ_j o_j). It is continuous (the loss is C¹), so at ŷ_j o_j = ½ it is the
/// derivative 0, not only a subgradient; the second derivative jumps there.
/// </summary>
public sealed record SquaredHingeLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "squared-hinge";
    /// <summary><see cref="TargetEncoding.PlusMinusOne"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.PlusMinusOne;

    /// <summary>Σ_j max(0, ½ − ŷ_j o_j)².</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++)
        {
            double t = Math.Max(0, HingeLoss.Margin - target[j] * output[j]);
            s += t * t;
        }
        return s;
    }

    /// <summary>−2ŷ_j·max(0, ½ − ŷ_j o_j).</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++)
            gradient[j] = -2 * target[j] * Math.Max(0, HingeLoss.Margin - target[j] * output[j]);
    }
}
