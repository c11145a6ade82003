using System.Runtime.Intrinsics;
using MathDnn.Kernels;
using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// Plain (stochastic) gradient descent, 004 Algorithm 8.1 and 003 Section 6: θ ← θ − η_t·g, i.e. the update
/// u = −η_t·g, where t is the state's count before the update (t = 0 at the first step; 004's ε_k is η_{k−1}).
/// With η_t = 1/L on a convex L-smooth f (003 Defs 6.1–6.2, Props 6.1–6.3) f decreases monotonically and
/// f(θ_t) − f* ≤ L‖θ₀ − θ*‖²/(2t). The state has no buffer, only the count. Default η = 0.01 (Keras's SGD).
/// </summary>
public sealed record GradientDescent : Optimizer
{
    /// <summary>Gradient descent with the constant learning rate η (default 0.01).</summary>
    public GradientDescent(double learningRate = 0.01) : this(new ConstantSchedule(learningRate)) { }

    /// <summary>Gradient descent with the schedule t ↦ η_t.</summary>
    public GradientDescent(Schedule learningRate)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        LearningRate = learningRate;
    }

    /// <summary>t ↦ η_t.</summary>
    public Schedule LearningRate { get; }

    /// <inheritdoc/>
    public override string Name => "sgd";

    /// <summary>Count 0, no buffer.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0);

    /// <summary>u = −η_t·g.</summary>
    /// <exception cref="ArgumentException">The gradient's layout differs from θ's, the gradient has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override bool Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers) =>
        ApplyRule<T, Rule<T>>(gradient, parameters, default, default, next, T.Zero, T.CreateTruncating(LearningRate.At(buffers.Count)));

    /// <summary>θ′ = θ + (−η_t·g); s1 = η_t.</summary>
    private readonly struct Rule<T> : IUpdateRule<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static bool HasBuffer => false;

        public static Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> buffer, Vector256<T> s0, Vector256<T> s1, Vector256<T> s2, out Vector256<T> bufferNext)
        {
            bufferNext = default;
            return theta + -s1 * g;
        }
    }

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers) =>
        System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, -T.CreateTruncating(LearningRate.At(buffers.Count)), update); // u = −η_t·g
}
