using System.Globalization;
using MathDnn.Layers;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.Training;

/// <summary>
/// The memory a training run (<see cref="Trainer.Fit"/>) needs, in bytes by component, computed from the architecture and
/// the options alone, before anything of that size is allocated, with checked 64-bit arithmetic. With P = |θ|, s the size
/// of the run's element type (8 for <see cref="Precision.Float64"/>, 4 for <see cref="Precision.Float32"/>), B the batch
/// rows, w₀ … w_L the widths (input, then after each layer; a last softmax or sigmoid fused into its loss is not stored),
/// n samples of d inputs and c targets, and b the optimizer's buffers (counted from its own <see cref="Optimizer.Init"/>):
/// <list type="bullet">
/// <item><see cref="Parameters"/> = 8P: θ in double (the network's).</item>
/// <item><see cref="Gradients"/> = sP: ∇_θ of a step.</item>
/// <item><see cref="OptimizerBuffers"/> = 8bP + 2sbP (+ 2sP for a chain's scratch): the state in double and its working pair.</item>
/// <item><see cref="Workspaces"/> = 3sP + 8(1 + b)P (+ 4nd in float): the engine's θ, θ′ and update, the model and state an
/// epoch returns (and the inputs in float).</item>
/// <item><see cref="Activations"/> = (B + E)·(s·(w₀ + 2Σ_{k≥1} w_k) + 8w_L (+ 16w_L in float) + 8c): every layer's output and downstream
/// gradient for a batch of B rows and for an evaluation chunk of E = min(1024, evaluation rows) rows.</item>
/// <item><see cref="Data"/> = 8(n + e)(d + c): X and Y of the training set and of the e evaluation rows.</item>
/// </list>
/// Layers' own scratch (GEMM packing, a few MB) and the runtime are not counted. Every array must also be indexable: θ, each
/// batch buffer, X and Y hold at most <see cref="Array.MaxLength"/> entries, or the estimate throws.
/// </summary>
/// <param name="Parameters">θ in double, bytes.</param>
/// <param name="Gradients">∇_θ in the run's precision, bytes.</param>
/// <param name="OptimizerBuffers">The optimizer's state and working buffers, bytes.</param>
/// <param name="Workspaces">The engine's working copies of θ, the model and state it returns (and the inputs in float), bytes.</param>
/// <param name="Activations">The layer outputs and gradients of a batch and of an evaluation chunk, bytes.</param>
/// <param name="Data">The inputs and targets of the training and evaluation sets, bytes.</param>
public sealed record MemoryEstimate(long Parameters, long Gradients, long OptimizerBuffers, long Workspaces, long Activations, long Data)
{
    /// <summary>The sum of the components, bytes.</summary>
    public long Total => checked(Parameters + Gradients + OptimizerBuffers + Workspaces + Activations + Data);

    /// <summary>The rows of the chunks in which <see cref="Trainer.Evaluate"/> runs the forward pass.</summary>
    internal const int EvaluationChunk = 1024;

    /// <summary>
    /// The estimate for training a network of <paramref name="layers"/> on <paramref name="samples"/> rows of
    /// <paramref name="inputSize"/> inputs and <paramref name="targetSize"/> targets with <paramref name="options"/> (loss,
    /// optimizer, batch size, precision), validating or testing on <paramref name="evaluationSamples"/> rows.
    /// </summary>
    /// <exception cref="ArgumentException">A width does not match, a size is below 1, or a count exceeds what an array can index
    /// (<see cref="Array.MaxLength"/> entries) or what 64 bits of bytes can count; the message names the count.</exception>
    public static MemoryEstimate ForTraining(int inputSize, IReadOnlyList<Layer> layers, TrainingOptions options, int samples, int targetSize, int evaluationSamples = 0)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(options);
        if (samples < 1 || targetSize < 1 || evaluationSamples < 0)
            throw new ArgumentException($"Memory estimate: samples and target width must be positive, got {samples} and {targetSize} (evaluation rows {evaluationSamples}).");
        var (p, widths) = Shape(inputSize, layers);
        try
        {
            checked
            {
                long s = options.Precision == Precision.Float32 ? 4 : 8;
                bool isFloat = s == 4;
                int batch = options.BatchSize == 0 ? samples : Math.Min(options.BatchSize, samples);
                int stored = widths.Length - 1 - (FusesLast(layers, options) ? 1 : 0); // layers whose output the workspace keeps
                Indexable((long)samples * inputSize, $"the inputs ({samples} rows × {inputSize})");
                Indexable((long)samples * targetSize, $"the targets ({samples} rows × {targetSize})");
                long rowBytes = s * widths[0] + 8L * targetSize + 8L * widths[stored] * (isFloat ? 2 : 0);
                for (int k = 1; k <= stored; k++)
                {
                    Indexable((long)batch * widths[k], $"the output of layer {k - 1} ({layers[k - 1].Name}, width {widths[k]}) on a batch of {batch} rows");
                    rowBytes += 2 * s * widths[k];
                }
                int buffers = BufferCount(options.Optimizer, out bool chain);
                int evaluation = Math.Min(EvaluationChunk, evaluationSamples);
                return new MemoryEstimate(
                    Parameters: 8 * p,
                    Gradients: s * p,
                    OptimizerBuffers: (8 + 2 * s) * buffers * p + (chain ? 2 * s * p : 0),
                    Workspaces: (3 * s + 8 * (1 + buffers)) * p + (isFloat ? 4L * samples * inputSize : 0),
                    Activations: ((long)batch + evaluation) * rowBytes,
                    Data: 8 * ((long)samples + evaluationSamples) * ((long)inputSize + targetSize));
            }
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Memory estimate: a network of {p} parameters on {samples} samples needs more than 2⁶³ bytes.");
        }
    }

    /// <summary>
    /// |θ| of <paramref name="layers"/> on inputs of width <paramref name="inputSize"/>, counted in 64 bits from the layers'
    /// parameter shapes (so that rows·columns cannot wrap), checked against <see cref="Array.MaxLength"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A width does not match, or a block or the whole of θ exceeds <see cref="Array.MaxLength"/> entries.</exception>
    public static long CountParameters(int inputSize, IReadOnlyList<Layer> layers) => Shape(inputSize, layers).Parameters;

    /// <summary>The widths w₀ … w_L of <paramref name="layers"/> on inputs of width <paramref name="inputSize"/>, each checked, and |θ| in 64 bits.</summary>
    internal static (long Parameters, int[] Widths) Shape(int inputSize, IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (inputSize < 1) throw new ArgumentException($"Network: the input width must be positive, got {inputSize}.");
        if (layers.Count == 0) throw new ArgumentException("Network: at least one layer is needed.");
        var widths = new int[layers.Count + 1];
        widths[0] = inputSize;
        long total = 0;
        for (int k = 0; k < layers.Count; k++)
        {
            var layer = layers[k] ?? throw new ArgumentNullException(nameof(layers), $"Network: layer {k} is null.");
            int w = widths[k];
            if (layer.InputSize is int n && n != w)
                throw new ArgumentException(
                    $"Network: layer {k} ({layer.Name}) takes rows of width {n} but " +
                    (k == 0 ? $"the network input has rows of width {w}." : $"layer {k - 1} gives rows of width {w}."));
            widths[k + 1] = layer.OutputSize(widths[k]);
            foreach (var shape in layer.ParameterShapes)
            {
                long block = (long)shape.Rows * shape.Columns;
                total += block;
                if (block > Array.MaxLength || total > Array.MaxLength)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Network: layer {k} ({layer.Name}({widths[k]}→{widths[k + 1]})) brings |θ| to {total:N0} parameters " +
                        $"({shape.Name} is {shape.Rows}×{shape.Columns} = {block:N0}); θ is one array of at most {Array.MaxLength:N0} entries."));
            }
        }
        return (total, widths);
    }

    private static void Indexable(long count, string what)
    {
        if (count > Array.MaxLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Memory estimate: {what} hold {count:N0} entries; an array holds at most {Array.MaxLength:N0}."));
    }

    /// <summary>Whether the workspace drops the last layer's output: a softmax or sigmoid fused with its loss.</summary>
    private static bool FusesLast(IReadOnlyList<Layer> layers, TrainingOptions options) =>
        Backpropagation.FusedLoss(layers[^1], options.Loss) is not null;

    /// <summary>The θ-sized buffers of the optimizer's state (recursively through a chain), from its <see cref="Optimizer.Init"/> of a one-parameter θ.</summary>
    internal static int BufferCount(Optimizer optimizer, out bool chain)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var one = global::MathDnn.Networks.Parameters.Zeros(new ParameterLayout([new ParameterBlock(0, "θ", 1, 1, 0)]));
        var state = optimizer.Init(one);
        chain = state.Inner.Length > 0;
        static int Count(OptimizerState s) => s.Buffers.Count + s.Inner.Sum(Count);
        return Count(state);
    }

    /// <summary>
    /// The memory this process may use: <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which is the GC's hard limit
    /// (<c>DOTNET_GCHeapHardLimit</c>), else the container's memory limit (cgroup), else the machine's physical memory.
    /// </summary>
    public static long AvailableBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Whether the run fits: <see cref="Total"/> ≤ <paramref name="availableBytes"/>.</summary>
    /// <param name="availableBytes">The limit, e.g. <see cref="AvailableBytes"/>.</param>
    public bool Fits(long availableBytes) => Total <= availableBytes;

    /// <summary>Bytes in the largest binary unit that keeps the number ≥ 1, e.g. "512 MiB", "9.6 GiB" (1 GiB = 2³⁰ bytes).</summary>
    /// <param name="bytes">A byte count.</param>
    public static string Format(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double v = bytes;
        int u = 0;
        while (Math.Abs(v) >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return u == 0 ? $"{bytes} bytes" : $"{v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture)} {units[u]}";
    }

    /// <summary>"30 GiB (parameters 3.0 GiB, gradients 3.0 GiB, optimizer buffers …, workspaces …, activations …, data …)".</summary>
    public override string ToString() =>
        $"{Format(Total)} (parameters {Format(Parameters)}, gradients {Format(Gradients)}, optimizer buffers {Format(OptimizerBuffers)}, " +
        $"workspaces {Format(Workspaces)}, activations {Format(Activations)}, data {Format(Data)})";
}
