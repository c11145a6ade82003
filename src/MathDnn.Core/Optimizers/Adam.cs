using System.Runtime.Intrinsics;
using MathDnn.Kernels;
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

    /// <inheritdoc/>
    public override string Name => "adam";

    /// <summary>Count 0 and the buffers "m" and "v" at 0.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0, "m", "v");

    /// <summary>m′ = β₁m + (1 − β₁)g, v′ = β₂v + (1 − β₂)g², u = −η_t·m̂/(√v̂ + ε) with m̂ = m′/(1 − β₁^(t+1)), v̂ = v′/(1 − β₂^(t+1)) (or m′, v′ without bias correction).</summary>
    /// <exception cref="ArgumentException">The gradient's layout differs from θ's, the gradient has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers) =>
        Kernel(gradient, parameters, update, buffers, LearningRate.At(buffers.Count), Beta1, Beta2, Epsilon, BiasCorrection);

    internal override bool Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers) =>
        Fused(gradient, parameters, next, buffers, new Coefficients<T>(LearningRate.At(buffers.Count), Beta1, Beta2, Epsilon, BiasCorrection, 0, buffers.Count));

    /// <summary>The scalars of one step: β₁, 1 − β₁, β₂, 1 − β₂, the corrections 1 − β^(t+1), ε, η_t and λ, in T.</summary>
    internal readonly struct Coefficients<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public readonly T B1, OneMinusB1, B2, OneMinusB2, C1, C2, Eps, Eta, Lambda;
        public readonly bool Decay;

        public Coefficients(double eta, double beta1, double beta2, double eps, bool biasCorrection, double decay, long count)
        {
            // 1 − β^(t+1): Kingma & Ba's step count is t + 1.
            C1 = T.CreateTruncating(biasCorrection ? 1 - Math.Pow(beta1, count + 1.0) : 1);
            C2 = T.CreateTruncating(biasCorrection ? 1 - Math.Pow(beta2, count + 1.0) : 1);
            (B1, B2, Eps) = (T.CreateTruncating(beta1), T.CreateTruncating(beta2), T.CreateTruncating(eps));
            (OneMinusB1, OneMinusB2) = (T.One - B1, T.One - B2);
            (Eta, Lambda, Decay) = (T.CreateTruncating(eta), T.CreateTruncating(decay), decay > 0);
        }
    }

    /// <summary>One entry's new moments m, v (002 eqs. 11–12) and direction m̂/(√v̂ + ε) (Kingma &amp; Ba), before decay.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static T Direction<T>(T g, T m0, T v0, in Coefficients<T> c, out T m, out T v) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        m = c.B1 * m0 + c.OneMinusB1 * g;
        v = c.B2 * v0 + c.OneMinusB2 * (g * g);
        return m / c.C1 / (T.Sqrt(v / c.C2) + c.Eps);
    }

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
        var c = new Coefficients<T>(eta, beta1, beta2, eps, biasCorrection, decay, buffers.Count);
        var w = mask is null ? default : mask.AsSpan();
        if (mask is not null && w.Length != parameters.Length)
            throw new ArgumentException($"AdamW: the mask has {w.Length} entries but θ has {parameters.Length}.");
        for (int i = 0; i < update.Length; i++)
        {
            T direction = Direction(gradient[i], m0[i], v0[i], c, out m[i], out v[i]);
            if (c.Decay) direction += c.Lambda * (mask is null ? parameters[i] : T.CreateTruncating(w[i]) * parameters[i]);
            update[i] = -c.Eta * direction;
        }
    }

    /// <summary>
    /// θ′ = θ + u with u as <see cref="Kernel{T}"/> computes it (without a mask), in one vectorised pass split over the cores,
    /// θ′ checked for finiteness on the way: the same operations in the same order, so bit-identical to Kernel and θ + u.
    /// </summary>
    internal static unsafe bool Fused<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, UpdateBuffers<T> buffers, in Coefficients<T> c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        fixed (T* g = gradient, theta = parameters, m0 = buffers.Previous("m"), v0 = buffers.Previous("v"), m = buffers.Next("m"), v = buffers.Next("v"), t = next)
            return ParallelMap.Run(new FusedKernel<T>(next.Length, g, theta, m0, v0, m, v, t, c));
    }

    private readonly unsafe struct FusedKernel<T>(int length, T* g, T* theta, T* m0, T* v0, T* m, T* v, T* next, Coefficients<T> c) : IMapKernel
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public int Length => length;

        public bool Run(int start, int end)
        {
            int w = Vector256<T>.Count, i = start;
            var (b1, ob1, b2, ob2) = (Vector256.Create(c.B1), Vector256.Create(c.OneMinusB1), Vector256.Create(c.B2), Vector256.Create(c.OneMinusB2));
            var (c1, c2, eps, negEta, lambda) = (Vector256.Create(c.C1), Vector256.Create(c.C2), Vector256.Create(c.Eps), Vector256.Create(-c.Eta), Vector256.Create(c.Lambda));
            var bad = Vector256<T>.Zero;
            for (; i <= end - w; i += w)
            {
                // As Direction, lane by lane.
                var gi = Vector256.Load(g + i);
                var mi = b1 * Vector256.Load(m0 + i) + ob1 * gi;
                var vi = b2 * Vector256.Load(v0 + i) + ob2 * (gi * gi);
                mi.Store(m + i);
                vi.Store(v + i);
                var thetaI = Vector256.Load(theta + i);
                var direction = mi / c1 / (Vector256.Sqrt(vi / c2) + eps);
                if (c.Decay) direction += lambda * thetaI;
                var t = thetaI + negEta * direction;
                t.Store(next + i);
                bad += t - t;
            }
            bool finite = Vector256.EqualsAll(bad, Vector256<T>.Zero);
            for (; i < end; i++)
            {
                T direction = Direction(g[i], m0[i], v0[i], c, out m[i], out v[i]);
                if (c.Decay) direction += c.Lambda * theta[i];
                next[i] = theta[i] + -c.Eta * direction;
                finite &= T.IsFinite(next[i]);
            }
            return finite;
        }
    }
}
