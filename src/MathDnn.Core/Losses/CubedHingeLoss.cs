namespace MathDnn.Losses;

/// <summary>
/// The cubed hinge (margin) loss of the 004 loss table, hinge³(o, ŷ) = Σ_j max(0, ½ − ŷ_j o_j)³, on the raw output o
/// of the last layer with ±1 targets ŷ (<see cref="TargetEncoding.PlusMinusOne"/>) and the margin ½ the table writes.
/// Gradient: ∂/∂o_j = −3ŷ_j·max(0, ½ − ŷ_j o_j)². The loss is C², so at ŷ_j o_j = ½ the gradient is the derivative 0.
/// </summary>
public sealed record CubedHingeLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "cubed-hinge";
    /// <summary><see cref="TargetEncoding.PlusMinusOne"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.PlusMinusOne;

    /// <summary>Σ_j max(0, ½ − ŷ_j o_j)³.</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++)
        {
            double t = Math.Max(0, HingeLoss.Margin - target[j] * output[j]);
            s += t * t * t;
        }
        return s;
    }

    /// <summary>−3ŷ_j·max(0, ½ − ŷ_j o_j)².</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++)
        {
            double t = Math.Max(0, HingeLoss.Margin - target[j] * output[j]);
            gradient[j] = -3 * target[j] * t * t;
        }
    }
}
