namespace MathDnn.Losses;

/// <summary>
/// The L₁ loss of the 004 loss table, 𝓛₁(o, y) = ‖y − o‖₁ = Σ_j |y_j − o_j|, on the raw output o of the last layer,
/// with one-hot targets y (<see cref="TargetEncoding.OneHot"/>).
/// Gradient: ∂𝓛₁/∂o_j = sign(o_j − y_j). At the kinks o_j = y_j it returns the subgradient sign(0) = 0.
/// </summary>
public sealed record L1Loss : Loss
{
    /// <inheritdoc/>
    public override string Name => "l1";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;

    /// <summary>Σ_j |y_j − o_j|.</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++) s += Math.Abs(target[j] - output[j]);
        return s;
    }

    /// <summary>sign(o_j − y_j), sign(0) = 0.</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++)
        {
            double d = output[j] - target[j];
            gradient[j] = d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0; // sign, with sign(0) = 0 at the kink
        }
    }
}
