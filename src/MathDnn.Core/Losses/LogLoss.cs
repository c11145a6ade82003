using MathDnn.Activations;

namespace MathDnn.Losses;

/// <summary>
/// The log (cross-entropy) loss of the 004 loss table, log(o, y) = −Σ_j y_j log σ(o)_j, with σ the softmax probability
/// estimate of the logits o and one-hot targets y (<see cref="TargetEncoding.OneHot"/>). It is evaluated as
/// Σ_j y_j (logsumexp(o) − o_j), finite for every finite o.
/// Gradient: with u_j = −y_j/σ_j, u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩) (003 Prop 2.2) simplifies to (Σ_j y_j)·σ(o) − y, i.e.
/// σ(o) − y for one-hot y (003 Prop 5.3), computed in that form. Smooth: no kink.
/// (The same function as <see cref="SoftmaxCrossEntropy"/>, listed under the table's name.)
/// </summary>
public sealed record LogLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "log";
    /// <summary><see cref="TargetEncoding.OneHot"/>.</summary>
    public override TargetEncoding Encoding => TargetEncoding.OneHot;
    /// <summary>True: the output is logits o, and σ(o) is applied here.</summary>
    public override bool AppliesSoftmax => true;

    /// <summary>Σ_j y_j (logsumexp(o) − o_j) = −Σ_j y_j log σ(o)_j.</summary>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double lse = Softmax.LogSumExp(output), sum = 0;
        for (int j = 0; j < output.Length; j++) sum += target[j] * (lse - output[j]); // −y_j log σ_j
        return sum;
    }

    /// <summary>(Σ_j y_j)·σ(o) − y, i.e. σ(o) − y for one-hot y (003 Prop 5.3), by <see cref="ProbabilityEstimate.CrossEntropyGradient"/>.</summary>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient) =>
        ProbabilityEstimate.CrossEntropyGradient(output, target, gradient);
}
