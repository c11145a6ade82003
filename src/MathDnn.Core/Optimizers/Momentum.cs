using System.Runtime.Intrinsics;
using MathDnn.Kernels;
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

    /// <summary>Which way the buffer is written: <see cref="MomentumConvention.PyTorch"/> (b) or <see cref="MomentumConvention.Sutskever"/> (v, the default).</summary>
    public MomentumConvention Convention { get; }

    /// <summary>Nesterov's look-ahead form (in either convention).</summary>
    public bool Nesterov { get; }

    /// <summary>The name of the state's buffer: "b" (PyTorch) or "v" (Sutskever).</summary>
    public string BufferName => Convention == MomentumConvention.PyTorch ? "b" : "v";

    /// <summary>"nesterov" with <see cref="Nesterov"/>, "momentum" otherwise.</summary>
    public override string Name => Nesterov ? "nesterov" : "momentum";

    /// <summary>Count 0 and the buffer <see cref="BufferName"/> at 0.</summary>
    public override OptimizerState Init(Parameters parameters) => OptimizerCheck.Initial(parameters, 0, BufferName);

    /// <summary>PyTorch: b′ = μb + g, u = −η_t·b′ (Nesterov: −η_t·(g + μb′)); Sutskever: v′ = μv − η_t·g, u = v′ (Nesterov: μv′ − η_t·g).</summary>
    /// <exception cref="ArgumentException">The gradient's layout differs from θ's, the gradient has a non-finite entry, or the state lacks this optimizer's buffers or has a negative count.</exception>
    public override (Parameters Updates, OptimizerState State) Update(Parameters gradient, OptimizerState state, Parameters parameters) =>
        UpdateByKernel(gradient, state, parameters);

    internal override bool HasKernel => true;

    internal override bool Apply<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> parameters, Span<T> next, Span<T> scratch, UpdateBuffers<T> buffers)
    {
        // One fused pass with the same roundings as Transform followed by θ + u (s0 = μ, s1 = η_t).
        T eta = T.CreateTruncating(LearningRate.At(buffers.Count)), mu = T.CreateTruncating(Mu);
        var previous = buffers.Previous(BufferName);
        var buffer = buffers.Next(BufferName);
        return (Convention, Nesterov) switch
        {
            (MomentumConvention.PyTorch, false) => ApplyRule<T, PyTorchRule<T>>(gradient, parameters, previous, buffer, next, mu, eta),
            (MomentumConvention.PyTorch, true) => ApplyRule<T, PyTorchNesterovRule<T>>(gradient, parameters, previous, buffer, next, mu, eta),
            (_, false) => ApplyRule<T, SutskeverRule<T>>(gradient, parameters, previous, buffer, next, mu, eta),
            (_, true) => ApplyRule<T, SutskeverNesterovRule<T>>(gradient, parameters, previous, buffer, next, mu, eta),
        };
    }

    /// <summary>b′ = μb + g, θ′ = θ + (−η_t·b′).</summary>
    private readonly struct PyTorchRule<T> : IUpdateRule<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static bool HasBuffer => true;

        public static Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> b, Vector256<T> mu, Vector256<T> eta, Vector256<T> s2, out Vector256<T> bNext)
        {
            bNext = mu * b + g;
            return theta + -eta * bNext;
        }
    }

    /// <summary>b′ = μb + g, θ′ = θ + (−η_t·(g + μb′)).</summary>
    private readonly struct PyTorchNesterovRule<T> : IUpdateRule<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static bool HasBuffer => true;

        public static Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> b, Vector256<T> mu, Vector256<T> eta, Vector256<T> s2, out Vector256<T> bNext)
        {
            bNext = mu * b + g;
            return theta + -eta * (g + mu * bNext);
        }
    }

    /// <summary>v′ = μv − η_t·g, θ′ = θ + v′.</summary>
    private readonly struct SutskeverRule<T> : IUpdateRule<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static bool HasBuffer => true;

        public static Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> v, Vector256<T> mu, Vector256<T> eta, Vector256<T> s2, out Vector256<T> vNext)
        {
            vNext = mu * v - eta * g;
            return theta + vNext;
        }
    }

    /// <summary>v′ = μv − η_t·g, θ′ = θ + (μv′ − η_t·g).</summary>
    private readonly struct SutskeverNesterovRule<T> : IUpdateRule<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public static bool HasBuffer => true;

        public static Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> v, Vector256<T> mu, Vector256<T> eta, Vector256<T> s2, out Vector256<T> vNext)
        {
            vNext = mu * v - eta * g;
            return theta + (mu * vNext - eta * g);
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
