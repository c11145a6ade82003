using System.Runtime.CompilerServices;
using MathDnn.Activations;
using MathDnn.Kernels;
using MathDnn.Losses;

namespace MathDnn.Networks;

/// <summary>
/// The buffers of one forward and backward pass of a network on batches of up to <see cref="Capacity"/> rows: every
/// layer's output, every downstream gradient, the targets, the loss's view in double, and ∇_θ. Built once per training
/// run and reused by every step, so a step allocates nothing; smaller batches (the last of an epoch) view the first rows.
/// Internal to the engine: nothing outside sees these buffers, so the public API stays pure.
/// </summary>
internal sealed class Workspace<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    private readonly T[][] acts;      // acts[k]: the input of layer k (acts[0] the batch), acts[LayerCount] the loss's input
    private readonly T[][] deltas;    // deltas[k]: ∂𝒪/∂acts[k], k ≥ 1
    private readonly double[] outD, dOutD, targets;
    private Views? full, part;

    /// <param name="network">The network.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="capacity">The most rows of a batch.</param>
    /// <param name="inputGradient">Whether the gradient with respect to the input is kept.</param>
    /// <param name="fuseLayers">Whether layer pairs that fuse (<see cref="LayerFusion"/>) run as one pass; false runs every layer on its own (the same values, bit for bit).</param>
    public Workspace(Network network, Loss loss, int capacity, bool inputGradient = false, bool fuseLayers = true)
    {
        Network = network;
        OriginalLoss = loss;
        HasInputGradient = inputGradient;
        Fused = Backpropagation.FusedLoss(network, loss);
        Loss = Fused ?? loss;
        LayerCount = network.Layers.Length - (Fused is null ? 0 : 1);
        Capacity = capacity;
        FusedWithNext = fuseLayers ? LayerFusion.Plan(network.Layers, LayerCount) : new bool[LayerCount];
        BackwardFusedWithPrevious = fuseLayers ? LayerFusion.BackwardPlan(network.Layers, LayerCount) : new bool[LayerCount];
        acts = new T[LayerCount + 1][];
        deltas = new T[LayerCount + 1][];
        for (int k = 0; k <= LayerCount; k++)
        {
            acts[k] = new T[capacity * network.Widths[k]];
            deltas[k] = k == 0 && !inputGradient ? [] : new T[capacity * network.Widths[k]];
        }
        int outWidth = network.Widths[LayerCount];
        bool isDouble = typeof(T) == typeof(double);
        outD = isDouble ? Unsafe.As<double[]>(acts[LayerCount]) : new double[capacity * outWidth];
        dOutD = isDouble ? Unsafe.As<double[]>(deltas[LayerCount]) : new double[capacity * outWidth];
        targets = new double[capacity * network.OutputSize];
        Gradient = new T[network.ParameterCount];
    }

    public Network Network { get; }
    public Loss OriginalLoss { get; }
    public bool HasInputGradient { get; }
    public Loss Loss { get; }
    public Loss? Fused { get; }
    public int LayerCount { get; }
    /// <summary>FusedWithNext[k]: the forward pass runs layers k and k + 1 as one (<see cref="Layers.Layer.ForwardFusedOn{T}"/>).</summary>
    public bool[] FusedWithNext { get; }
    /// <summary>BackwardFusedWithPrevious[k]: the gradient pass runs the backward passes of layers k and k − 1 as one (<see cref="Layers.Layer.BackwardFusedOn{T}"/>).</summary>
    public bool[] BackwardFusedWithPrevious { get; }
    public int Capacity { get; }
    public T[] Gradient { get; }

    /// <summary>Matrix views of the buffers for batches of <paramref name="rows"/> rows (cached for the two sizes of an epoch).</summary>
    public Views For(int rows)
    {
        if (rows < 1 || rows > Capacity) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The workspace holds 1..{Capacity} rows.");
        if (full is { } f && f.Rows == rows) return f;
        if (part is { } p && p.Rows == rows) return p;
        var v = new Views(this, rows);
        if (rows == Capacity) full = v; else part = v;
        return v;
    }

    internal sealed class Views
    {
        public Views(Workspace<T> ws, int rows)
        {
            Rows = rows;
            var widths = ws.Network.Widths;
            Acts = [.. Enumerable.Range(0, ws.LayerCount + 1).Select(k => new Mat<T>(ws.acts[k], rows, widths[k]))];
            Deltas = [.. Enumerable.Range(0, ws.LayerCount + 1).Select(k => new Mat<T>(ws.deltas[k], rows, ws.deltas[k].Length == 0 ? 0 : widths[k]))];
            Output = new Mat<double>(ws.outD, rows, widths[ws.LayerCount]);
            OutputGradient = new Mat<double>(ws.dOutD, rows, widths[ws.LayerCount]);
            Targets = new Mat<double>(ws.targets, rows, ws.Network.OutputSize);
        }

        public int Rows { get; }
        public Mat<T>[] Acts { get; }
        public Mat<T>[] Deltas { get; }
        public Mat<T> Input => Acts[0];
        public Mat<double> Output { get; }
        public Mat<double> OutputGradient { get; }
        public Mat<double> Targets { get; }
    }
}

/// <summary>
/// One workspace per thread and element type for the public API's one-off passes (the objective, its gradient,
/// per-sample gradients): a call on the same architecture and loss with no more rows than before reuses the buffers
/// instead of allocating them (7 MB for 784-256-128-10 on 128 rows). A workspace is taken out while in use, so a nested
/// call gets its own; every buffer read is written first, so nothing of one call reaches the next.
/// </summary>
internal static class WorkspaceCache<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    [ThreadStatic] private static Workspace<T>? last;

    public static Workspace<T> Rent(Network network, Loss loss, int rows, bool inputGradient = false)
    {
        var ws = last;
        last = null;
        if (ws is not null && ws.Capacity >= rows && (ws.HasInputGradient || !inputGradient) && Equals(ws.OriginalLoss, loss)
            && ws.Network.InputSize == network.InputSize && ws.Network.Layers.SequenceEqual(network.Layers))
            return ws;
        return new Workspace<T>(network, loss, Math.Max(1, rows), inputGradient);
    }

    public static void Return(Workspace<T> ws) => last = ws;
}

/// <summary>The batched forward and backward passes through a network (003 Def 5.2 Note, 001 Section 5), generic over the element type.</summary>
internal static class Backpropagation
{
    private static readonly SoftmaxCrossEntropy SoftmaxCe = new();
    private static readonly SigmoidBinaryCrossEntropy SigmoidBce = new();

    /// <summary>The loss on the pre-activation of the last layer when it can be fused with that layer, else null.</summary>
    internal static Loss? FusedLoss(Network network, Loss loss) => FusedLoss(network.Layers[^1], loss);

    /// <summary>The loss on the pre-activation of <paramref name="last"/>, a network's last layer, when they fuse, else null.</summary>
    internal static Loss? FusedLoss(Layers.Layer last, Loss loss) => (last, loss) switch
    {
        (Softmax, CategoricalCrossEntropy) => SoftmaxCe,
        (Sigmoid, BinaryCrossEntropy) => SigmoidBce,
        (Softmax, { AppliesSoftmax: true }) => loss, // the loss applies σ to the logits itself: apply it once
        _ => null,
    };

    /// <summary>
    /// 𝒪 at θ on the batch already in <c>views.Input</c> / <c>views.Targets</c>; with <paramref name="gradient"/>, also ∇_θ𝒪 into
    /// <see cref="Workspace{T}.Gradient"/>. Returns NaN when an output is not finite (the caller reports where); outputs outside
    /// an unfused loss's domain (e.g. a probability of exactly 0 for the cross-entropy) throw.
    /// </summary>
    internal static double Run<T>(Workspace<T> ws, Workspace<T>.Views views, ReadOnlySpan<T> theta, Reduction reduction, bool gradient, ulong? stepSeed = null, int firstRow = 0)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Run(ws, views, theta, reduction, gradient ? Pass.Gradient : Pass.Value, stepSeed, firstRow);

    /// <summary>What a pass computes after the loss: nothing, ∇_θ𝒪, or only the downstream gradients δ_k of every layer's output (to the input's with <see cref="Pass.InputDeltas"/>).</summary>
    internal enum Pass { Value, Gradient, Deltas, InputDeltas }

    /// <remarks>
    /// <paramref name="stepSeed"/> non-null marks a training step: every layer is told so, with its own seed
    /// <see cref="Layers.Batch.LayerSeed"/>(stepSeed, k), the same in the forward and the backward pass; <paramref name="firstRow"/>
    /// is the index of the batch's row 0 in the step's mini-batch when the batch is one shard of it (<see cref="Layers.Batch.FirstRow"/>).
    /// </remarks>
    internal static double Run<T>(Workspace<T> ws, Workspace<T>.Views views, ReadOnlySpan<T> theta, Reduction reduction, Pass pass, ulong? stepSeed = null, int firstRow = 0)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ulong? Seed(int k) => stepSeed is ulong s ? Layers.Batch.LayerSeed(s, k) : null;
        bool gradient = pass != Pass.Value;
        var net = ws.Network;
        var acts = views.Acts;
        var fused = ws.FusedWithNext;
        for (int k = 0; k < ws.LayerCount; k++)
        {
            if (fused[k])
            {
                // A pair that fuses uses no seed (Layer.FusesForwardWith): both outputs, kept for the backward pass, in one pass.
                net.Layers[k].ForwardFusedOn(net.LayerParameters(theta, k), acts[k], acts[k + 1], acts[k + 2]);
                k++;
            }
            else net.Layers[k].ForwardOn(net.LayerParameters(theta, k), acts[k], acts[k + 1], Seed(k), firstRow);
        }

        var output = views.Output;
        if (typeof(T) != typeof(double)) Convert<T, double>(acts[ws.LayerCount].Span, output.Span);
        if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<double>(output.Span)) return double.NaN;
        if (ws.Fused is null) ws.Loss.ValidateOutputs(output); // the domain of an unfused loss; the targets were checked once by the caller
        double value = ws.Loss.Evaluate(output, views.Targets, reduction, gradient ? views.OutputGradient : null);
        if (!gradient) return value;

        var deltas = views.Deltas;
        if (typeof(T) != typeof(double)) Convert<double, T>(views.OutputGradient.Span, deltas[ws.LayerCount].Span);
        if (pass is Pass.Deltas or Pass.InputDeltas)
        {
            // δ_k = δ_{k+1}·J_{ℓ_k} only (per sample, 001 Section 5), no parameter gradient: what per-sample gradients need.
            for (int k = ws.LayerCount - 1; k >= (pass == Pass.InputDeltas ? 0 : 1); k--)
                net.Layers[k].BackwardInput(net.LayerParameters(theta, k), acts[k], acts[k + 1], deltas[k + 1], deltas[k]);
            return value;
        }
        var g = ws.Gradient.AsSpan(); // every layer overwrites its whole slice (a fused last layer has none)
        var fusedBack = ws.BackwardFusedWithPrevious;
        for (int k = ws.LayerCount - 1; k >= 0; k--)
        {
            var layer = net.Layers[k];
            if (fusedBack[k])
            {
                // Layer k's parameter gradient and layer k − 1's dX (deltas[k], layer k's own dX, is not formed); layer k − 1 has no parameters.
                layer.BackwardFusedOn(net.LayerParameters(theta, k), acts[k], acts[k + 1], deltas[k + 1], acts[k - 1], deltas[k - 1],
                    g.Slice(net.ParameterOffset(k), net.LayerParameterCount(k)));
                k--;
                continue;
            }
            layer.BackwardOn(net.LayerParameters(theta, k), acts[k], acts[k + 1], deltas[k + 1], k > 0 ? deltas[k] : null,
                g.Slice(net.ParameterOffset(k), net.LayerParameterCount(k)), Seed(k), firstRow);
        }
        return value;
    }

    /// <summary>One-off evaluation for the public API (allocates its own workspace): 𝒪 and, when <paramref name="gradient"/> is not empty, ∇_θ𝒪.</summary>
    internal static double Run(Network network, Loss loss, Reduction reduction, Mat<double> x, Mat<double> targets, ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var ws = WorkspaceCache<double>.Rent(network, loss, x.Rows);
        try
        {
            var views = ws.For(x.Rows);
            x.Span.CopyTo(views.Input.Span);
            targets.Span.CopyTo(views.Targets.Span);
            double value = Run(ws, views, theta, reduction, gradient.Length > 0);
            if (gradient.Length > 0 && double.IsFinite(value)) ws.Gradient.CopyTo(gradient);
            return value;
        }
        finally { WorkspaceCache<double>.Return(ws); }
    }

    /// <summary>Element-wise conversion (round to nearest for double → float), vectorised.</summary>
    internal static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> from, Span<TTo> to)
        where TFrom : unmanaged, System.Numerics.IFloatingPointIeee754<TFrom>
        where TTo : unmanaged, System.Numerics.IFloatingPointIeee754<TTo> =>
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(from, to);
}
