namespace MathDnn.Networks;

/// <summary>
/// A network's output, or the loss of it, is not finite on an input although the input and θ are: the network overflows
/// there (e.g. the last finite model of a diverged run, whose weights are finite but whose products are not). Thrown by
/// <see cref="Network.ForwardFinite"/> and <see cref="Objective.CheckFinite"/>; the message is one line naming the sample
/// (1-based), the layer whose output is first non-finite on it and the value, e.g.
/// <c>sample 3: the output of layer 2 (relu) is Infinity at unit 5; the network overflows on this input (max |θ| = 2.1E+299).</c>
/// The <c>mathdnn</c> command line prefixes the model file and exits with code 2.
/// </summary>
/// <param name="message">The one-line description.</param>
/// <param name="sample">The 0-based row of the first sample whose output or loss is not finite.</param>
/// <param name="layer">The first layer whose output is not finite on that sample; null when every layer's output is finite
/// and the loss itself overflowed.</param>
/// <param name="value">The first non-finite value: the layer's output entry, or the loss.</param>
public sealed class NonFiniteOutputException(string message, int sample, int? layer, double value) : ArithmeticException(message)
{
    /// <summary>The 0-based row of the first sample whose output or loss is not finite.</summary>
    public int Sample { get; } = sample;

    /// <summary>The first layer whose output is not finite on <see cref="Sample"/>; null when only the loss overflowed.</summary>
    public int? Layer { get; } = layer;

    /// <summary>The first non-finite value (±∞ or NaN).</summary>
    public double Value { get; } = value;
}
