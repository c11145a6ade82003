using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MathDnn.Kernels;

/// <summary>
/// The operands of one fused element-wise pass over indices [0, <see cref="Length"/>): up to three inputs, two outputs
/// and three scalars, as raw pointers (the caller keeps the arrays pinned until <see cref="ParallelMap.Run{T}"/> returns).
/// What each slot means is the kernel's business (e.g. g, θ, b → b′, θ′ with μ and −η for momentum).
/// </summary>
internal readonly unsafe struct MapOperands<T>(int length, T* in0, T* in1, T* in2, T* out0, T* out1, T s0, T s1, T s2) where T : unmanaged
{
    public readonly int Length = length;
    public readonly T* In0 = in0, In1 = in1, In2 = in2, Out0 = out0, Out1 = out1;
    public readonly T S0 = s0, S1 = s1, S2 = s2;
}

/// <summary>
/// Runs a fused element-wise kernel — one that reads and writes index i only, so its result does not depend on how
/// [0, n) is cut — on the GEMM worker threads when the vectors are long enough to pay for waking them: the optimizer
/// update of a training step is memory-bound (θ, g and the buffers of a 784-256-128-10 network are 235k entries each),
/// and two cores move twice the bytes of one. Results are bit-identical for every thread count. A kernel returns false
/// when an entry it watches (θ′ for the optimizers) is not finite; <see cref="Run{T}"/> returns the conjunction.
/// </summary>
internal static unsafe class ParallelMap
{
    /// <summary>
    /// Length from which the pass is split: 2¹⁶ entries (512 KiB a double vector). Chosen, not tuned: below it one core
    /// streams the five vectors of a momentum update (≈ 2.5 MiB) through in tens of microseconds, the order of a
    /// worker's wake-up; the MNIST network (235,146 entries) is well above it, and its split pass measured 0.35–0.45 ms
    /// against 0.8–1.0 ms for the unfused, one-core passes it replaced (bench --profile).
    /// </summary>
    internal static int MinParallelLength = 1 << 16;

    /// <summary>Chunks per thread, so a thread whose core is busy hands work to the other (as for the GEMM).</summary>
    private const int ChunksPerThread = 2;

    /// <summary>Runs <paramref name="kernel"/> over [0, Length) on up to <see cref="KernelSettings.MaxThreads"/> threads; true when all it watched was finite.</summary>
    public static bool Run<TKernel>(in TKernel kernel) where TKernel : struct, IMapKernel =>
        RunSplit(kernel, kernel.Length, 64);

    /// <summary>As <see cref="Run{TKernel}(in TKernel)"/>, split when <paramref name="work"/> (entries moved) reaches <see cref="MinParallelLength"/>, in chunks of a multiple of <paramref name="align"/> indices (a power of 2).</summary>
    private static bool RunSplit<TKernel>(in TKernel kernel, long work, int align) where TKernel : struct, IMapKernel
    {
        int n = kernel.Length, threads = KernelSettings.MaxThreads;
        if (threads > 1 && work >= MinParallelLength && n >= 2 && GemmThreads.TryAcquire())
        {
            try
            {
                int chunks = threads * ChunksPerThread;
                int chunk = ((n + chunks - 1) / chunks + align - 1) & ~(align - 1); // whole cache lines for entries, whole rows for a gather
                chunks = (n + chunk - 1) / chunk;
                var job = MapJob<TKernel>.Instance;
                job.Set(kernel, chunk);
                GemmThreads.Run(job, chunks, Math.Min(threads, chunks));
                return job.Finite;
            }
            finally { GemmThreads.Release(); }
        }
        return kernel.Run(0, n);
    }

    /// <summary>
    /// dst row i ← src row rows[first + i] for i in [0, count), rows of <paramref name="width"/> entries (a mini-batch
    /// gathered from a data set in the epoch's order), split by rows over the GEMM workers when count·width reaches
    /// <see cref="MinParallelLength"/>. The rows of a shuffled batch lie anywhere in the data set (the MNIST inputs are
    /// 376 MB in double), so the copy waits on memory row by row; two cores keep twice the misses in flight.
    /// </summary>
    public static void GatherRows<T>(ReadOnlySpan<T> src, int width, ReadOnlySpan<int> rows, Span<T> dst) where T : unmanaged
    {
        int count = rows.Length;
        if (width < 1 || dst.Length < (long)count * width)
            throw new ArgumentException($"Gather: {count} rows of {width} need {(long)count * width} entries, the destination has {dst.Length}.");
        foreach (int r in rows)
            if ((uint)r >= (uint)(src.Length / width))
                throw new ArgumentOutOfRangeException(nameof(rows), $"Gather: row {r} of a source of {src.Length / width} rows of {width}.");
        if (KernelSettings.MaxThreads > 1 && (long)count * width >= MinParallelLength && count >= 2)
        {
            fixed (T* s = src, d = dst)
            fixed (int* r = rows)
                RunSplit(new GatherKernel<T>(s, width, r, d, count), (long)count * width, 1);
            return;
        }
        for (int i = 0; i < count; i++) src.Slice(rows[i] * width, width).CopyTo(dst.Slice(i * width, width));
    }

    /// <summary>
    /// The kernel of an update rule: θ′ (and b′ when the rule has a buffer) from g, θ and b over [start, end), a vector
    /// at a time; the last partial vector goes through stack copies, lane by lane the same roundings. Watches θ′:
    /// it accumulates θ′ − θ′, which is NaN exactly where θ′ is ±∞ or NaN, so the check costs no extra pass.
    /// Slots: In0 = g, In1 = θ, In2 = b, Out0 = b′, Out1 = θ′; S0, S1 and S2 are the rule's scalars.
    /// </summary>
    public static bool Update<T, TRule>(in MapOperands<T> o, int start, int end)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TRule : IUpdateRule<T>
    {
        int w = Vector256<T>.Count;
        var s0 = Vector256.Create(o.S0);
        var s1 = Vector256.Create(o.S1);
        var s2 = Vector256.Create(o.S2);
        var bad = Vector256<T>.Zero;
        int i = start;
        for (; i <= end - w; i += w)
        {
            var t = TRule.Step(Vector256.Load(o.In0 + i), Vector256.Load(o.In1 + i),
                TRule.HasBuffer ? Vector256.Load(o.In2 + i) : default, s0, s1, s2, out var b);
            if (TRule.HasBuffer) b.Store(o.Out0 + i);
            t.Store(o.Out1 + i);
            bad += t - t;
        }
        bool finite = Vector256.EqualsAll(bad, Vector256<T>.Zero);
        int rest = end - i;
        if (rest > 0)
        {
            T* g = stackalloc T[w], theta = stackalloc T[w], buffer = stackalloc T[w], t = stackalloc T[w], b = stackalloc T[w];
            for (int j = 0; j < w; j++)
            {
                g[j] = j < rest ? o.In0[i + j] : T.Zero;
                theta[j] = j < rest ? o.In1[i + j] : T.Zero;
                buffer[j] = TRule.HasBuffer && j < rest ? o.In2[i + j] : T.Zero;
            }
            TRule.Step(Vector256.Load(g), Vector256.Load(theta), Vector256.Load(buffer), s0, s1, s2, out var bv).Store(t);
            bv.Store(b);
            for (int j = 0; j < rest; j++)
            {
                if (TRule.HasBuffer) o.Out0[i + j] = b[j];
                o.Out1[i + j] = t[j];
                finite &= T.IsFinite(t[j]);
            }
        }
        return finite;
    }
}

/// <summary>
/// One optimizer's θ′ = θ + u (and its buffer b′) on a vector of entries, written with the same operations in the same
/// order as the optimizer's <c>Transform</c> followed by θ + u, so the fused pass is bit-identical to the pure update.
/// </summary>
internal interface IUpdateRule<T> where T : unmanaged
{
    /// <summary>Whether the rule reads b (slot In2) and writes b′ (slot Out0).</summary>
    static abstract bool HasBuffer { get; }

    /// <summary>θ′ from g, θ, b and the scalars s0, s1, s2; b′ into <paramref name="bufferNext"/>.</summary>
    static abstract Vector256<T> Step(Vector256<T> g, Vector256<T> theta, Vector256<T> buffer, Vector256<T> s0, Vector256<T> s1, Vector256<T> s2, out Vector256<T> bufferNext);
}

/// <summary>A fused element-wise pass over [0, <see cref="Length"/>): entry i read and written by index i only.</summary>
internal interface IMapKernel
{
    int Length { get; }

    /// <summary>The pass over [start, end); false when an entry it watches came out non-finite.</summary>
    bool Run(int start, int end);
}

/// <summary>The kernel of an <see cref="IUpdateRule{T}"/> over its operands (<see cref="ParallelMap.Update{T, TRule}"/>).</summary>
internal readonly struct RuleKernel<T, TRule>(MapOperands<T> operands) : IMapKernel
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TRule : IUpdateRule<T>
{
    private readonly MapOperands<T> _operands = operands;

    public int Length => _operands.Length;

    public bool Run(int start, int end) => ParallelMap.Update<T, TRule>(_operands, start, end);
}

/// <summary>Rows of a gather (<see cref="ParallelMap.GatherRows{T}"/>): index i copies row rows[i] of src into row i of dst.</summary>
internal readonly unsafe struct GatherKernel<T>(T* src, int width, int* rows, T* dst, int count) : IMapKernel where T : unmanaged
{
    public int Length => count;

    public bool Run(int start, int end)
    {
        nint bytes = (nint)width * sizeof(T);
        for (int i = start; i < end; i++)
            Buffer.MemoryCopy(src + (nint)rows[i] * width, dst + (nint)i * width, bytes, bytes);
        return true;
    }
}

/// <summary>One parallel element-wise pass, used only while <see cref="GemmThreads"/>' gate is held.</summary>
internal sealed class MapJob<TKernel> : IGemmWork where TKernel : struct, IMapKernel
{
    public static readonly MapJob<TKernel> Instance = new();

    private TKernel _kernel;
    private int _chunk;
    private int _failed;

    public bool Finite => Volatile.Read(ref _failed) == 0;

    public void Set(in TKernel kernel, int chunk)
    {
        _kernel = kernel;
        _chunk = chunk;
        _failed = 0;
    }

    public void ExecuteChunk(int q)
    {
        int start = q * _chunk, end = Math.Min(_kernel.Length, start + _chunk);
        if (!_kernel.Run(start, end)) Volatile.Write(ref _failed, 1);
    }
}
