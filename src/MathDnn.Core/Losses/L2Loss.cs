namespace MathDnn.Losses;

/// <summary>
/// The L₂ loss of the 004 loss table, 𝓛₂(o, y) = ‖y − o‖₂² = Σ_j (y_j − o_j)², on the raw output o of the last layer,
/// with one-hot targets y (<see cref="TargetEncoding.OneHot"/>). Gradient: ∇_o𝓛₂ = 2(o − y). Smooth: no kink.
/// (The same function as <see cref="SquaredError"/>, which accepts any real target.)
/// </summary>
public sealed record L2Loss : Loss
{
    /// <inheritdoc/>
    public override string Name => "l2";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;

    /// <summary>Σ_j (y_j − o_j)².</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target) => SquaredError.Sum(output, target);

    /// <summary>2(o − y).</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient) =>
        SquaredError.SumGradient(output, target, gradient);
}
