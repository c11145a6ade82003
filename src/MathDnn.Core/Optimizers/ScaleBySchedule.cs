using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// Scales the incoming direction by the schedule (Optax's scale_by_schedule): u = η_t·d, with t the state's count
/// before the update (t = 0 at the first step). It puts a learning rate in front of any direction: every optimizer
/// here run at η = 1 returns the descent direction −d (e.g. Adam's −m̂/(√v̂ + ε)), and chaining this after it gives
/// −η_t·d. For a raw gradient use <see cref="GradientDescent"/> (u = −η_t·g). No default for the schedule.
/// </summary>
public sealed record ScaleBySchedule : Optimizer
{
    /// <summary>Scaling by the constant η.</summary>
    public ScaleBySchedule(double learningRate) : this(new ConstantSchedule(learningRate)) { }

    /// <summary>Scaling by t ↦ η_t.</summary>
    public ScaleBySchedule(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
    }

    /// <summary>t ↦ η_t.</summary>
    public Schedule Schedule { get; }

    /// <inheritdoc/>
    public override string Name => "scale-by-schedule";

    /// <summary>Count 0, no buffer.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0);

    /// <summary>u = η_t·d.</summary>
    /// <exception cref="ArgumentException">The direction's layout differs from θ's, the direction has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers) =>
        System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, T.CreateTruncating(Schedule.At(buffers.Count)), update); // u = η_t·d
}
