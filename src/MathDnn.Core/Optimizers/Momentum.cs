using System.Numerics.Tensors;
using MathDnn.Networks;

namespace MathDnn.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum μ ∈ [0, 1) (002 Section 7.4; the "stochastic gradient descent optimizer
/// with decay and momentum" of 003's abstract is this record with an <see cref="InverseTimeDecay"/> learning rate).
/// t is the state's count before the update (t = 0 at the first step) and the buffer starts at 0.
/// <list type="bullet">
/// <item><see cref="MomentumConvention.PyTorch"/>: b ← μ·b + g, u = −η_t·b; with <see cref="Nesterov"/>, u = −η_t·(g + μ·b)
/// with the new b (PyTorch's nesterov=True). Buffer "b".</item>
/// <item><see cref="MomentumConvention.Sutskever"/> (Keras): v ← μ·v − η_t·g, u = v; with <see cref="Nesterov"/>,
/// u = μ·v − η_t·g with the new v (Keras's legacy SGD nesterov=True). Buffer "v".</item>
/// </list>
/// For a constant η both conventions give the same iterates (v = −η·b, also with Nesterov); with a varying η_t they
/// differ. μ = 0 is plain <see cref="GradientDescent"/>. Defaults as Keras's SGD: η = 0.01, μ = 0, no Nesterov;
/// the default convention is Keras's (<see cref="MomentumConvention.Sutskever"/>), the one 003 refers to.
/// </summary>
public sealed record Momentum : Optimizer
{
    /// <summary>Momentum with the constant learning rate η.</summary>
    public Momentum(double learningRate = 0.01, double mu = 0, MomentumConvention convention = MomentumConvention.Sutskever, bool nesterov = false)
        : this(new ConstantSchedule(learningRate), mu, convention, nesterov) { }

    /// <summary>Momentum with the schedule t ↦ η_t (e.g. <see cref="InverseTimeDecay"/> for 003's "decay").</summary>
    public Momentum(Schedule learningRate, double mu = 0, MomentumConvention convention = MomentumConvention.Sutskever, bool nesterov = false)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        if (!Enum.IsDefined(convention)) throw new ArgumentException($"Momentum: unknown convention {(int)convention}.", nameof(convention));
        LearningRate = learningRate;
        Mu = OptimizerCheck.UnitInterval("Momentum", "μ", mu);
        Convention = convention;
        Nesterov = nesterov;
    }

    /// <summary>t ↦ η_t.</summary>
    public Schedule LearningRate { get; }

    /// <summary>μ ∈ [0, 1).</summary>
    public double Mu { get; }

    public MomentumConvention Convention { get; }

    /// <summary>Nesterov's look-ahead form (in either convention).</summary>
    public bool Nesterov { get; }

    /// <summary>The name of the state's buffer: "b" (PyTorch) or "v" (Sutskever).</summary>
    public string BufferName => Convention == MomentumConvention.PyTorch ? "b" : "v";

    public override string Name => Nesterov ? "nesterov" : "momentum";

    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0, BufferName);

    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override void Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers)
    {
        if (Nesterov)
        {
            base.Apply(gradient, parameters, next, scratch, buffers);
            return;
        }
        // The same roundings as Transform followed by θ + u, in vectorised passes.
        T eta = T.CreateTruncating(LearningRate.At(buffers.Count)), mu = T.CreateTruncating(Mu);
        var previous = buffers.Previous(BufferName);
        var buffer = buffers.Next(BufferName);
        if (Convention == MomentumConvention.PyTorch)
        {
            TensorPrimitives.MultiplyAdd(previous, mu, gradient, buffer);    // b ← μb + g
            TensorPrimitives.MultiplyAdd(buffer, -eta, parameters, next);    // θ ← θ + (−η_t·b)
        }
        else
        {
            TensorPrimitives.Multiply(gradient, eta, scratch);               // η_t·g
            TensorPrimitives.Multiply(previous, mu, buffer);                 // μv
            TensorPrimitives.Subtract(buffer, scratch, buffer);              // v ← μv − η_t·g
            TensorPrimitives.Add(parameters, buffer, next);                  // θ ← θ + v
        }
    }

    internal override void Transform<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> update, UpdateBuffers<T> buffers)
    {
        T eta = T.CreateTruncating(LearningRate.At(buffers.Count)), mu = T.CreateTruncating(Mu);
        var previous = buffers.Previous(BufferName);
        var next = buffers.Next(BufferName);
        var g = gradient;
        var u = update;
        if (Convention == MomentumConvention.PyTorch)
        {
            for (int i = 0; i < u.Length; i++)
            {
                T b = mu * previous[i] + g[i];                   // b ← μb + g
                next[i] = b;
                u[i] = -eta * (Nesterov ? g[i] + mu * b : b);    // θ ← θ − η_t·b (Nesterov: −η_t(g + μb))
            }
        }
        else
        {
            for (int i = 0; i < u.Length; i++)
            {
                T v = mu * previous[i] - eta * g[i];             // v ← μv − η_t·g
                next[i] = v;
                u[i] = Nesterov ? mu * v - eta * g[i] : v;       // θ ← θ + v (Nesterov: + μv − η_t·g)
            }
        }
    }
}
