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

    public override string Name => "sgd";

    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0);

    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override void Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers) =>
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gradient, -T.CreateTruncating(LearningRate.At(buffers.Count)), parameters, next); // θ + (−η_t·g)

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers) =>
        System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, -T.CreateTruncating(LearningRate.At(buffers.Count)), update); // u = −η_t·g
}
