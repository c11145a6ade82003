namespace MathDnn.Losses;

/// <summary>Squared error ξ(ŷ, y) = Σ_j (y_j − ŷ_j)² (002 eq. 3), gradient 2(ŷ − y). Real targets.</summary>
public sealed record SquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "squared-error";
    /// <summary><see cref="TargetEncoding.Real"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.Real;

    /// <summary>Σ_j (y_j − ŷ_j)².</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target) => Sum(output, target);

    /// <summary>2(ŷ − y).</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient) =>
        SumGradient(output, target, gradient);

    /// <summary>Σ_j (o_j − y_j)².</summary>
    internal static double Sum(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++) { double d = output[j] - target[j]; s += d * d; }
        return s;
    }

    /// <summary>2(o − y).</summary>
    internal static void SumGradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = 2 * (output[j] - target[j]);
    }
}

/// <summary>Mean squared error over the m outputs of one sample, ξ(ŷ, y) = (1/m)·Σ_j (y_j − ŷ_j)² (002 eq. 15), gradient (2/m)(ŷ − y).</summary>
public sealed record MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean-squared-error";
    /// <summary><see cref="TargetEncoding.Real"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.Real;

    /// <summary>(1/m)·Σ_j (y_j − ŷ_j)².</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target) => SquaredError.Sum(output, target) / output.Length;

    /// <summary>(2/m)(ŷ − y).</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = 2 * (output[j] - target[j]) / output.Length;
    }
}
