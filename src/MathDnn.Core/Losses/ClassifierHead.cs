using MathDnn.Activations;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Losses;

/// <summary>
/// How a classifier's last layer and its loss fit together (the 004 loss table): the activation the network ends in
/// and the encoding of class labels as targets.
/// </summary>
public static class ClassifierHead
{
    /// <summary>
    /// The activation a classifier trained with <paramref name="loss"/> ends in: softmax for categorical cross-entropy and
    /// for the losses written in σ(o) (003 Def 5.1; the σ-losses take the logits and apply σ once), sigmoid for binary
    /// cross-entropy, none (the last dense layer's raw output) for the losses defined on o.
    /// </summary>
    public static Activation? OutputActivation(Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss is CategoricalCrossEntropy || loss.AppliesSoftmax ? new Softmax()
            : loss is BinaryCrossEntropy ? new Sigmoid()
            : null;
    }

    /// <summary>
    /// The k×<paramref name="outputWidth"/> targets of <paramref name="labels"/> in <paramref name="loss"/>'s encoding: one-hot
    /// rows (±1 for <see cref="TargetEncoding.PlusMinusOne"/>), or for a single output the column 1 for class 1 and 0 (−1) otherwise.
    /// </summary>
    public static Matrix<double> Targets(Loss loss, IReadOnlyList<int> labels, int outputWidth)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(labels);
        var y = Matrix<double>.Build.Dense(labels.Count, outputWidth);
        double off = loss.Encoding == TargetEncoding.PlusMinusOne ? -1.0 : 0.0;
        for (int i = 0; i < labels.Count; i++)
        {
            if (outputWidth == 1) { y[i, 0] = labels[i] == 1 ? 1.0 : off; continue; }
            for (int j = 0; j < outputWidth; j++) y[i, j] = j == labels[i] ? 1.0 : off;
        }
        return y;
    }
}
