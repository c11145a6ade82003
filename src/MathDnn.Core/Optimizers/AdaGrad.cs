using System.Runtime.Intrinsics;
using MathDnn.Kernels;
using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// AdaGrad (Duchi, Hazan &amp; Singer 2011), per entry, with t the state's count before the update (t = 0 at the
/// first step): s ← s + g², u = −η_t·g/(√s + ε), with s₀ = the initial accumulator value. PyTorch's lr_decay is the
/// schedule <see cref="InverseTimeDecay"/>(η, lr_decay). Buffer "s".
/// Defaults as PyTorch's Adagrad: η = 0.01, initial accumulator 0, ε = 1e-10.
/// </summary>
public sealed record AdaGrad : Optimizer
{
    /// <summary>AdaGrad with the constant learning rate η.</summary>
    public AdaGrad(double learningRate = 0.01, double epsilon = 1e-10, double initialAccumulator = 0)
        : this(new ConstantSchedule(learningRate), epsilon, initialAccumulator) { }

    /// <summary>AdaGrad with the schedule t ↦ η_t.</summary>
    public AdaGrad(Schedule learningRate, double epsilon = 1e-10, double initialAccumulator = 0)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        LearningRate = learningRate;
        Epsilon = OptimizerCheck.Positive("AdaGrad", "ε", epsilon);
        InitialAccumulator = OptimizerCheck.NonNegative("AdaGrad", "the initial accumulator s₀", initialAccumulator);
    }

    /// <summary>t ↦ η_t.</summary>
    public Schedule LearningRate { get; }

    /// <summary>ε &gt; 0, added to √s.</summary>
    public double Epsilon { get; }

    /// <summary>s₀ ≥ 0, every entry of the initial sum of squares.</summary>
    public double InitialAccumulator { get; }

    /// <inheritdoc/>
    public override string Name => "adagrad";

    /// <summary>Count 0 and the buffer "s" with every entry s₀.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, InitialAccumulator, "s");

    /// <summary>s′ = s + g², u = −η_t·g/(√s′ + ε).</summary>
    /// <exception cref="ArgumentException">The gradient's layout differs from θ's, the gradient has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override bool Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers) =>
        // One fused pass with the operations of Transform followed by θ + u (s1 = η_t, s2 = ε).
        ApplyRule<T, Rule<T>>(gradient, parameters, buffers.Previous("s"), buffers.Next("s"), next,
            T.Zero, T.CreateTruncating(LearningRate.At(buffers.Count)), T.CreateTruncating(Epsilon));

    /// <summary>s′ = s + g², θ′ = θ + (−η_t·(g/(√s′ + ε))).</summary>
    private readonly struct Rule<T> : IUpdateRule<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static bool HasBuffer => true;

        public static Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> s, Vector256<T> unused, Vector256<T> eta, Vector256<T> eps, out Vector256<T> sNext)
        {
            sNext = s + g * g;
            return theta + -eta * (g / (Vector256.Sqrt(sNext) + eps));
        }
    }

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers)
    {
        T eta = T.CreateTruncating(LearningRate.At(buffers.Count)), eps = T.CreateTruncating(Epsilon);
        var previous = buffers.Previous("s");
        var next = buffers.Next("s");
        for (int i = 0; i < update.Length; i++)
        {
            T g = gradient[i];
            T s = previous[i] + g * g;                   // s ← s + g²
            next[i] = s;
            update[i] = -eta * (g / (T.Sqrt(s) + eps));  // u = −η_t·g/(√s + ε)
        }
    }
}
