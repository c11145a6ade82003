using System.Runtime.Intrinsics;
using MathDnn.Kernels;
using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// RMSprop (Hinton's lecture 6; 002 Section 7.5, eqs. 8–10), per entry:
/// v ← β·v + (1 − β)·g² (eq. 8), u = Δθ = −η_t·g/√(v + ε) (eq. 9), θ ← θ + u (eq. 10), with v₀ = 0 and t the state's
/// count before the update (t = 0 at the first step). ε is INSIDE the square root by default, as 002 eq. 9 writes it
/// (and as TensorFlow 1 and Optax's rmsprop default eps_in_sqrt=True do); PyTorch and Keras put it outside,
/// −η_t·g/(√v + ε): choose that with <see cref="EpsilonPlacement.OutsideRoot"/>. With ε outside, RMSprop is
/// <see cref="Adam"/> with β₁ = 0 and no bias correction. Buffer "v".
/// Defaults: η = 0.001 and β = 0.9 (Keras's RMSprop and Hinton's lecture), ε = 1e-8 (Optax's), ε inside.
/// </summary>
public sealed record RmsProp : Optimizer
{
    /// <summary>RMSprop with the constant learning rate η.</summary>
    public RmsProp(double learningRate = 0.001, double beta = 0.9, double epsilon = 1e-8, EpsilonPlacement placement = EpsilonPlacement.InsideRoot)
        : this(new ConstantSchedule(learningRate), beta, epsilon, placement) { }

    /// <summary>RMSprop with the schedule t ↦ η_t.</summary>
    public RmsProp(Schedule learningRate, double beta = 0.9, double epsilon = 1e-8, EpsilonPlacement placement = EpsilonPlacement.InsideRoot)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        if (!Enum.IsDefined(placement)) throw new ArgumentException($"RMSprop: unknown ε placement {(int)placement}.", nameof(placement));
        LearningRate = learningRate;
        Beta = OptimizerCheck.UnitInterval("RMSprop", "β", beta);
        Epsilon = OptimizerCheck.Positive("RMSprop", "ε", epsilon);
        Placement = placement;
    }

    /// <summary>t ↦ η_t.</summary>
    public Schedule LearningRate { get; }

    /// <summary>β ∈ [0, 1), the decay of the mean square.</summary>
    public double Beta { get; }

    /// <summary>ε &gt; 0.</summary>
    public double Epsilon { get; }

    /// <summary>Where ε is added: inside the root (002 eq. 9, the default) or outside.</summary>
    public EpsilonPlacement Placement { get; }

    /// <inheritdoc/>
    public override string Name => "rmsprop";

    /// <summary>Count 0 and the buffer "v" at 0.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0, "v");

    /// <summary>v′ = βv + (1 − β)g², u = −η_t·g/√(v′ + ε) (inside) or −η_t·g/(√v′ + ε) (outside).</summary>
    /// <exception cref="ArgumentException">The gradient's layout differs from θ's, the gradient has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override bool Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers)
    {
        // One fused pass with the operations of Transform followed by θ + u (s0 = β, s1 = η_t, s2 = ε).
        T eta = T.CreateTruncating(LearningRate.At(buffers.Count)), beta = T.CreateTruncating(Beta), eps = T.CreateTruncating(Epsilon);
        return Placement == EpsilonPlacement.InsideRoot
            ? ApplyRule<T, InsideRule<T>>(gradient, parameters, buffers.Previous("v"), buffers.Next("v"), next, beta, eta, eps)
            : ApplyRule<T, OutsideRule<T>>(gradient, parameters, buffers.Previous("v"), buffers.Next("v"), next, beta, eta, eps);
    }

    /// <summary>v′ = βv + (1 − β)·g², θ′ = θ + (−η_t·(g/√(v′ + ε))).</summary>
    private readonly struct InsideRule<T> : IUpdateRule<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static bool HasBuffer => true;

        public static Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> v, Vector256<T> beta, Vector256<T> eta, Vector256<T> eps, out Vector256<T> vNext)
        {
            vNext = beta * v + (Vector256<T>.One - beta) * (g * g);
            return theta + -eta * (g / Vector256.Sqrt(vNext + eps));
        }
    }

    /// <summary>v′ = βv + (1 − β)·g², θ′ = θ + (−η_t·(g/(√v′ + ε))).</summary>
    private readonly struct OutsideRule<T> : IUpdateRule<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static bool HasBuffer => true;

        public static Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> v, Vector256<T> beta, Vector256<T> eta, Vector256<T> eps, out Vector256<T> vNext)
        {
            vNext = beta * v + (Vector256<T>.One - beta) * (g * g);
            return theta + -eta * (g / (Vector256.Sqrt(vNext) + eps));
        }
    }

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers)
    {
        T eta = T.CreateTruncating(LearningRate.At(buffers.Count)), beta = T.CreateTruncating(Beta), eps = T.CreateTruncating(Epsilon);
        var previous = buffers.Previous("v");
        var next = buffers.Next("v");
        bool inside = Placement == EpsilonPlacement.InsideRoot;
        for (int i = 0; i < update.Length; i++)
        {
            T g = gradient[i];
            T v = beta * previous[i] + (T.One - beta) * (g * g);          // 002 eq. 8
            next[i] = v;
            T root = inside ? T.Sqrt(v + eps) : T.Sqrt(v) + eps;          // 002 eq. 9 (or the libraries' placement)
            update[i] = -eta * (g / root);                                // 002 eq. 10: w ← w + Δw
        }
    }
}
