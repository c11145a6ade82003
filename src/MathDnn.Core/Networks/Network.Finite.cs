using System.Globalization;
using System.Numerics.Tensors;
using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Networks;

/// <summary>The forward pass with its outputs checked: a non-finite output is an error naming the sample, not a row of NaN.</summary>
public sealed partial class Network
{
    /// <summary>
    /// N(X) as <see cref="Forward(Matrix{double})"/>, every entry checked: the outputs of a network whose weights are finite can
    /// still overflow (max |θ| ≈ 10²⁹⁹ after a diverged run), and predictions of NaN are not predictions.
    /// </summary>
    /// <exception cref="NonFiniteOutputException">An output entry is ±∞ or NaN: names the first such sample and the first layer
    /// whose output is non-finite on it.</exception>
    public Matrix<double> ForwardFinite(Matrix<double> x)
    {
        var y = Forward(x);
        if (TensorPrimitives.IsFiniteAll<double>(y.AsColumnMajorArray())) return y;
        for (int i = 0; i < y.RowCount; i++)
            for (int j = 0; j < y.ColumnCount; j++)
                if (!double.IsFinite(y[i, j])) throw NonFinite(x, i, null, y[i, j]);
        return y; // not reached: some entry is not finite
    }

    /// <summary>
    /// The exception for sample <paramref name="row"/> of <paramref name="x"/>: the first layer whose output is non-finite on it,
    /// or, when every layer's output is finite, the loss <paramref name="lossName"/> that overflowed to <paramref name="value"/>.
    /// </summary>
    internal NonFiniteOutputException NonFinite(Matrix<double> x, int row, string? lossName, double value)
    {
        var sample = Mat.From(x.SubMatrix(row, 1, 0, x.ColumnCount));
        double maxTheta = Parameters.Count == 0 ? 0 : TensorPrimitives.MaxMagnitude<double>(Parameters.Values);
        string theta = string.Create(CultureInfo.InvariantCulture, $"max |θ| = {Math.Abs(maxTheta):G3}");
        if (FirstNonFinite(sample, Parameters.Values) is { } w)
            return new NonFiniteOutputException(string.Create(CultureInfo.InvariantCulture,
                $"sample {row + 1}: the output of layer {w.Layer} ({Layers[w.Layer].Name}) is {w.Value} at unit {w.Column}; " +
                $"the network overflows on this input ({theta})."), row, w.Layer, w.Value);
        var logits = Forward(x.SubMatrix(row, 1, 0, x.ColumnCount)).Row(0);
        return new NonFiniteOutputException(string.Create(CultureInfo.InvariantCulture,
            $"sample {row + 1}: the {lossName ?? "loss"} loss is {value} although every layer's output is finite " +
            $"(the outputs reach {logits.AbsoluteMaximum():G3}, {theta})."), row, null, value);
    }
}
