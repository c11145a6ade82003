namespace MathDnn.Losses;

/// <summary>Squared error ξ(ŷ, y) = Σ_j (y_j − ŷ_j)² (002 eq. 3), gradient 2(ŷ − y). Real targets.</summary>
public sealed record SquaredError : Loss
{
    public override string Name => "squared-error";
    public override TargetEncoding Encoding => TargetEncoding.Real;

    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++) { double d = output[j] - target[j]; s += d * d; }
        return s;
    }

    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = 2 * (output[j] - target[j]);
    }
}

/// <summary>Mean squared error over the m outputs of one sample, ξ(ŷ, y) = (1/m)·Σ_j (y_j − ŷ_j)² (002 eq. 15), gradient (2/m)(ŷ − y).</summary>
public sealed record MeanSquaredError : Loss
{
    public override string Name => "mean-squared-error";
    public override TargetEncoding Encoding => TargetEncoding.Real;

    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int j = 0; j < output.Length; j++) { double d = output[j] - target[j]; s += d * d; }
        return s / output.Length;
    }

    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = 2 * (output[j] - target[j]) / output.Length;
    }
}
