using MathDnn.Activations;

namespace MathDnn.Losses;

/// <summary>
/// The "probability estimate" σ(o) of the 004 loss table: the softmax of the last layer's output o (003 Def 2.2),
/// computed max-shifted, its logarithm log σ(o) = o − logsumexp(o), and the backward pass through it,
/// u ↦ u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩) (003 Prop 2.2 without forming the m×m matrix). Shared by the losses of the table
/// that are written in σ(o).
/// </summary>
internal static class ProbabilityEstimate
{
    private static readonly Softmax Softmax = new();

    /// <summary>σ(o) = softmax(o), max-shifted so that it is finite and accurate for every finite o.</summary>
    public static double[] Of(ReadOnlySpan<double> o)
    {
        var s = new double[o.Length];
        Softmax.Forward<double>(o, s, 1, o.Length);
        return s;
    }

    /// <summary>log σ(o)_j = o_j − logsumexp(o), finite for every finite o (no log of an underflowed probability).</summary>
    public static double[] LogOf(ReadOnlySpan<double> o)
    {
        double lse = Softmax.LogSumExp(o);
        var l = new double[o.Length];
        for (int j = 0; j < o.Length; j++) l[j] = o[j] - lse;
        return l;
    }

    /// <summary>
    /// g = u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩) given s = σ(o) and the gradient u of a function of σ (003 Prop 2.2:
    /// J_σ = diag(s) − sᵀs, so (u·J)_j = s_j u_j − s_j ⟨u, s⟩).
    /// </summary>
    public static void Backward(ReadOnlySpan<double> s, ReadOnlySpan<double> u, Span<double> gradient) =>
        Softmax.Backward<double>(s, s, u, gradient, 1, s.Length);
}
