using MathDnn.Calculus;
using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Losses;

/// <summary>How per-sample losses are combined over a batch: the sum Σᵢ ξ(yᵢ, yᵢ*) as 003 Def 5.2 writes the objective, or the mean (1/k)Σᵢ.</summary>
public enum Reduction
{
    /// <summary>Σᵢ ξ(yᵢ, yᵢ*) — the objective of 003 Def 5.2.</summary>
    Sum,
    /// <summary>(1/k)·Σᵢ ξ(yᵢ, yᵢ*) — the mini-batch average of 004 Algorithm 8.1.</summary>
    Mean,
}

/// <summary>The encoding a loss requires of its targets (the 004 table distinguishes one-hot y and ±1 ŷ).</summary>
public enum TargetEncoding
{
    /// <summary>Each row is in {0,1}ᵐ with exactly one 1 (‖y*‖ = 1, 003 Def 5.2).</summary>
    OneHot,
    /// <summary>Each entry is −1 or +1.</summary>
    PlusMinusOne,
    /// <summary>Each entry is in [0, 1] (binary labels or soft labels).</summary>
    UnitInterval,
    /// <summary>Any finite real (regression).</summary>
    Real,
}

/// <summary>
/// A loss ξ(o, y*) of one sample's output o ∈ ℝᵐ against its target y* (003 Section 3), with its gradient ∇_o ξ
/// (a 1×m row). Subclasses give the two per-sample span methods; batches, reductions, target validation and the
/// <see cref="DifferentiableFunction"/> view come from this base. At kinks, each loss documents the subgradient it returns.
/// </summary>
public abstract record Loss
{
    /// <summary>A short name used in messages and model files (e.g. "categorical-cross-entropy").</summary>
    public abstract string Name { get; }

    /// <summary>The target encoding this loss requires; targets are validated against it.</summary>
    public abstract TargetEncoding Encoding { get; }

    /// <summary>
    /// True when the loss takes logits o and applies the softmax probability estimate σ(o) itself (the σ-losses of the
    /// 004 table, softmax cross-entropy). A network ending in softmax is then evaluated on its pre-softmax output, so σ is
    /// applied once: ξ(o) with σ(o) = the network's probabilities.
    /// </summary>
    public virtual bool AppliesSoftmax => false;

    /// <summary>ξ(o, t) for one sample.</summary>
    public abstract double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target);

    /// <summary>∇_o ξ(o, t) for one sample, written into <paramref name="gradient"/>.</summary>
    public abstract void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient);

    /// <summary>Why an output row lies outside this loss's domain, or null when it is inside (default: any finite row).</summary>
    protected virtual string? OutputProblem(ReadOnlySpan<double> output) => null;

    // ---- one sample ----

    /// <summary>ξ(o, t) for one sample o ∈ ℝᵐ, after checking the shapes, the target encoding and the output's domain.</summary>
    /// <exception cref="ArgumentException">The lengths differ, the target violates <see cref="Encoding"/>, or the output has a non-finite entry or lies outside the loss's domain.</exception>
    public double Value(Vector<double> output, Vector<double> target)
    {
        Validate(Mat.FromRow(output), Mat.FromRow(target));
        return Value(output.ToArray(), target.ToArray());
    }

    /// <summary>∇_o ξ(o, t), a 1×m row, for one sample, after the checks of <see cref="Value(Vector{double}, Vector{double})"/>.</summary>
    /// <exception cref="ArgumentException">The lengths differ, the target violates <see cref="Encoding"/>, or the output has a non-finite entry or lies outside the loss's domain.</exception>
    public Vector<double> Gradient(Vector<double> output, Vector<double> target)
    {
        Validate(Mat.FromRow(output), Mat.FromRow(target));
        var g = new double[output.Count];
        Gradient(output.ToArray(), target.ToArray(), g);
        return Vector<double>.Build.DenseOfArray(g);
    }

    /// <summary>o ↦ ξ(o, y*) as a <see cref="DifferentiableFunction"/> ℝᵐ → ℝ (its Jacobian is the 1×m gradient).</summary>
    public DifferentiableFunction AsFunction(Vector<double> target)
    {
        var t = target.ToArray();
        ValidateTargets(new Mat<double>(t, 1, t.Length), $"{Name} loss");
        return new DifferentiableFunction(Name, t.Length, 1,
            o => Vector<double>.Build.Dense(1, Value(o.ToArray(), t)),
            o =>
            {
                var g = new double[t.Length];
                Gradient(o.ToArray(), t, g);
                return Matrix<double>.Build.DenseOfRowMajor(1, t.Length, g);
            });
    }

    // ---- batches (one sample per row) ----

    /// <summary>Σᵢ ξ(Oᵢ, Tᵢ) or its mean over the rows, as <paramref name="reduction"/> says.</summary>
    public double Value(Matrix<double> outputs, Matrix<double> targets, Reduction reduction)
    {
        Guard.SameShape($"{Name} loss", outputs, "the outputs", targets, "the targets");
        var (o, t) = (Mat.From(outputs), Mat.From(targets));
        Validate(o, t);
        return Evaluate(o, t, reduction, null);
    }

    /// <summary>The gradient of the reduced loss with respect to every output row (k×m).</summary>
    public Matrix<double> Gradient(Matrix<double> outputs, Matrix<double> targets, Reduction reduction)
    {
        Guard.SameShape($"{Name} loss", outputs, "the outputs", targets, "the targets");
        var (o, t) = (Mat.From(outputs), Mat.From(targets));
        Validate(o, t);
        var g = new Mat<double>(o.Rows, o.Cols);
        Evaluate(o, t, reduction, g);
        return g.ToMatrix();
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first target row that does not have this loss's encoding.</summary>
    public void ValidateTargets(Matrix<double> targets) => ValidateTargets(Mat.From(targets), $"{Name} loss");

    /// <summary>Throws, prefixed by <paramref name="context"/>, at the first non-finite target or target row without this loss's encoding.</summary>
    internal void ValidateTargets(Mat<double> targets, string context)
    {
        Guard.Finite(context, "the targets", targets.Span, targets.Cols);
        for (int r = 0; r < targets.Rows; r++)
            if (TargetProblem(Encoding, targets.Row(r)) is string problem)
                throw new ArgumentException($"{context}: target row {r}: {problem}");
    }

    /// <summary>The reduced loss and, when <paramref name="gradient"/> is given, its gradient. No validation: the engine validated once.</summary>
    internal double Evaluate(Mat<double> outputs, Mat<double> targets, Reduction reduction, Mat<double>? gradient)
    {
        double scale = reduction == Reduction.Mean ? 1.0 / outputs.Rows : 1.0;
        double total = 0;
        for (int r = 0; r < outputs.Rows; r++)
        {
            total += Value(outputs.Row(r), targets.Row(r));
            if (gradient is not null)
            {
                var g = gradient.Row(r);
                Gradient(outputs.Row(r), targets.Row(r), g);
                if (scale != 1.0) System.Numerics.Tensors.TensorPrimitives.Multiply(g, scale, g);
            }
        }
        return total * scale;
    }

    internal void Validate(Mat<double> outputs, Mat<double> targets)
    {
        if (outputs.Rows != targets.Rows || outputs.Cols != targets.Cols)
            throw new ArgumentException($"{Name} loss: the outputs are {outputs.Shape} but the targets are {targets.Shape}; they must have the same shape.");
        ValidateOutputs(outputs);
        ValidateTargets(targets, $"{Name} loss");
    }

    /// <summary>Throws at the first non-finite output or output row outside this loss's domain (e.g. ]0,1[ for cross-entropy).</summary>
    internal void ValidateOutputs(Mat<double> outputs)
    {
        Guard.Finite($"{Name} loss", "the outputs", outputs.Span, outputs.Cols);
        for (int r = 0; r < outputs.Rows; r++)
            if (OutputProblem(outputs.Row(r)) is string problem)
                throw new ArgumentException($"{Name} loss: output row {r}: {problem}");
    }

    internal static string? TargetProblem(TargetEncoding encoding, ReadOnlySpan<double> t)
    {
        switch (encoding)
        {
            case TargetEncoding.OneHot:
                int ones = 0;
                foreach (var v in t)
                {
                    if (v == 1.0) ones++;
                    else if (v != 0.0) return $"one-hot targets must contain only 0 and 1, found {v}.";
                }
                return ones == 1 ? null : $"one-hot targets must contain exactly one 1, found {ones}.";
            case TargetEncoding.PlusMinusOne:
                foreach (var v in t) if (v != 1.0 && v != -1.0) return $"±1 targets must contain only −1 and +1, found {v}.";
                return null;
            case TargetEncoding.UnitInterval:
                foreach (var v in t) if (v is < 0.0 or > 1.0) return $"targets must lie in [0, 1], found {v}.";
                return null;
            default:
                return null;
        }
    }
}
