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
        Activations.Softmax.Forward<double>(o, s, 1, o.Length);
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
    /// r = σ(o) − y given s = σ(o), with σ_j − 1 evaluated as −Σ_{i≠j} σ_i where y_j = 1: no cancellation when σ_j is
    /// close to 1, so r_j ≠ 0 unless every other σ_i underflowed to 0.
    /// </summary>
    public static double[] Residual(ReadOnlySpan<double> s, ReadOnlySpan<double> y)
    {
        var r = new double[s.Length];
        for (int j = 0; j < s.Length; j++)
        {
            if (y[j] == 1.0)
            {
                double rest = 0;
                for (int i = 0; i < s.Length; i++) if (i != j) rest += s[i];
                r[j] = -rest;
            }
            else r[j] = s[j] - y[j];
        }
        return r;
    }

    /// <summary>
    /// The gradient of the cross-entropy on logits, Σ_j y_j (logsumexp(o) − o_j), with respect to o: (Σ_j y_j)·σ(o) − y,
    /// i.e. σ(o) − y for one-hot y (003 Prop 5.3), written into <paramref name="gradient"/> without allocating. σ is the
    /// max-shifted softmax (e = exp(o − max o), σ = e / Σe), never exp(o − logsumexp(o)), whose rounding of logsumexp (half an
    /// ulp of |max o|) would enter every entry; for one-hot y the true class's entry σ_k − 1 is −Σ_{i≠k} σ_i (as in
    /// <see cref="Residual"/>), so it keeps its relative accuracy when σ_k is within ε of 1 and the row sums to 0 up to rounding.
    /// </summary>
    public static void CrossEntropyGradient(ReadOnlySpan<double> o, ReadOnlySpan<double> y, Span<double> gradient)
    {
        Activations.Softmax.Forward<double>(o, gradient, 1, o.Length); // σ(o), max-shifted
        int hot = -1;
        double mass = 0;
        for (int j = 0; j < y.Length; j++)
        {
            mass += y[j];
            if (y[j] == 1.0 && hot == -1) hot = j;
            else if (y[j] != 0.0) hot = -2; // not one-hot
        }
        if (hot >= 0)
        {
            double rest = 0;
            for (int i = 0; i < gradient.Length; i++) if (i != hot) rest += gradient[i];
            gradient[hot] = -rest; // σ_k − 1 = −Σ_{i≠k} σ_i; the other entries are σ_i − 0
            return;
        }
        for (int j = 0; j < gradient.Length; j++) gradient[j] = mass * gradient[j] - y[j];
    }

    /// <summary>
    /// g = u·J_σ(o) = σ ⊙ (u − ⟨u, σ⟩) given s = σ(o) and the gradient u of a function of σ (003 Prop 2.2:
    /// J_σ = diag(s) − sᵀs, so (u·J)_j = s_j u_j − s_j ⟨u, s⟩). Its error is absolute, ≈ ε·max|u|: where σ saturates
    /// (σ_k within ε of 1) entries far below ε lose their relative accuracy, as σ − y of 003 Prop 5.3 does.
    /// </summary>
    public static void Backward(ReadOnlySpan<double> s, ReadOnlySpan<double> u, Span<double> gradient) =>
        Activations.Softmax.Backward<double>(s, u, gradient, 1, s.Length);
}
