using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Algorithm 1), per entry, with t the state's count before the update (t = 0 at the first
/// step, which is Kingma &amp; Ba's step 1) and m₀ = v₀ = 0:
/// m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², m̂ = m/(1 − β₁^(t+1)), v̂ = v/(1 − β₂^(t+1)),
/// u = −η_t·m̂/(√v̂ + ε). 002 Section 7.6 gives the two moments (eqs. 11–12) but its eq. 13,
/// Δw = −η·v/√(S + ε)·g², is garbled (it multiplies by g² and has no bias correction): this is the published
/// algorithm. <see cref="BiasCorrection"/> = false uses m and v in place of m̂ and v̂; with β₁ = 0 it is then
/// <see cref="RmsProp"/> with ε outside the root. The first bias-corrected step is u = −η·g/(|g| + ε), of magnitude
/// η·|g|/(|g| + ε) ≈ η per entry. Buffers "m" and "v".
/// Defaults as PyTorch's Adam: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias correction on.
/// </summary>
public sealed record Adam : Optimizer
{
    /// <summary>Adam with the constant learning rate η.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool biasCorrection = true)
        : this(new ConstantSchedule(learningRate), beta1, beta2, epsilon, biasCorrection) { }

    /// <summary>Adam with the schedule t ↦ η_t.</summary>
    public Adam(Schedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool biasCorrection = true)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        LearningRate = learningRate;
        Beta1 = OptimizerCheck.UnitInterval("Adam", "β₁", beta1);
        Beta2 = OptimizerCheck.UnitInterval("Adam", "β₂", beta2);
        Epsilon = OptimizerCheck.Positive("Adam", "ε", epsilon);
        BiasCorrection = biasCorrection;
    }

    /// <summary>t ↦ η_t.</summary>
    public Schedule LearningRate { get; }

    /// <summary>β₁ ∈ [0, 1), the decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>β₂ ∈ [0, 1), the decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>ε &gt; 0, added to √v̂.</summary>
    public double Epsilon { get; }

    /// <summary>Divide the moments by 1 − βᵗ⁺¹ (Kingma &amp; Ba) or not.</summary>
    public bool BiasCorrection { get; }

    public override string Name => "adam";

    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0, "m", "v");

    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers) =>
        Kernel(gradient, parameters, update, buffers, LearningRate.At(buffers.Count), Beta1, Beta2, Epsilon, BiasCorrection);

    /// <summary>
    /// The new moments m, v and the step −η·m̂/(√v̂ + ε), plus −η·λ·mask⊙θ when <paramref name="decay"/> &gt; 0 (AdamW).
    /// </summary>
    internal static void Kernel<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers,
        double eta, double beta1, double beta2, double eps, bool biasCorrection, double decay = 0, Parameters? mask = null)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m0 = buffers.Previous("m");
        var v0 = buffers.Previous("v");
        var m = buffers.Next("m");
        var v = buffers.Next("v");
        // 1 − β^(t+1): Kingma & Ba's step count is t + 1.
        T c1 = T.CreateTruncating(biasCorrection ? 1 - Math.Pow(beta1, buffers.Count + 1.0) : 1);
        T c2 = T.CreateTruncating(biasCorrection ? 1 - Math.Pow(beta2, buffers.Count + 1.0) : 1);
        T b1 = T.CreateTruncating(beta1), b2 = T.CreateTruncating(beta2), e = T.CreateTruncating(eps);
        T n = T.CreateTruncating(eta), lambda = T.CreateTruncating(decay);
        var w = mask is null ? default : mask.AsSpan();
        if (mask is not null && w.Length != parameters.Length)
            throw new ArgumentException($"AdamW: the mask has {w.Length} entries but θ has {parameters.Length}.");
        for (int i = 0; i < update.Length; i++)
        {
            T g = gradient[i];
            T mi = b1 * m0[i] + (T.One - b1) * g;          // 002 eq. 11
            T vi = b2 * v0[i] + (T.One - b2) * (g * g);    // 002 eq. 12
            m[i] = mi;
            v[i] = vi;
            T direction = mi / c1 / (T.Sqrt(vi / c2) + e); // m̂/(√v̂ + ε), Kingma & Ba
            if (decay > 0) direction += lambda * (mask is null ? parameters[i] : T.CreateTruncating(w[i]) * parameters[i]);
            update[i] = -n * direction;
        }
    }
}
