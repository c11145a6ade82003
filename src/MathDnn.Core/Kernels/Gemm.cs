using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MathDnn.Kernels;

/// <summary>The vector width a managed GEMM kernel runs at.</summary>
internal enum GemmIsa
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>
/// The managed matrix product C ← α·op(A)·op(B) + β·C (row-major) in the Goto/BLIS layout:
/// <code>
/// for jc in n step NC:                 one column block of C
///   for pc in k step KC:               one k-block: pack op(B)[pc.., jc..] into NR-column panels (L3)
///     for ic in m step MC:             pack op(A)[ic.., pc..] into MR-row panels (L2)
///       for jr in NC step NR:          one packed B panel, kept in L1 while
///         for ir in MC step MR:        the A panels stream past it
///           micro-kernel (MR×NR tile of C in registers)
/// </code>
/// The first k-block writes C ← β·C + α·acc (C ← α·acc when β = 0), later ones C ← C + α·acc, so every entry
/// of C is the same chain of roundings however C is tiled: work is split between threads by tiles of C only,
/// never along k, and results are bit-identical for every thread count. The last k-block's store also applies the
/// product's <see cref="GemmEpilogue{T}"/> (a row vector added, a ReLU's backward mask, the ReLU written beside C), if it has one.
/// Block sizes, chosen on a 2-core AMD EPYC (Zen 3: L1d 32 KiB, L2 512 KiB per core, L3 32 MiB) and kept on the Zen 5
/// the project is now measured on (L1d 48 KiB, L2 1 MiB per core, L3 32 MiB; lscpu), where an A block of 576 KiB
/// measured the same: KC = 256 keeps a B panel (KC×NR: 256×16 doubles = 32 KiB with AVX-512) plus the A panel
/// streaming past it (6×256 doubles = 12 KiB) in L1; MC·KC·sizeof(T) = 288 KiB holds the packed A block in L2;
/// KC×NC (NC = 4096: 8 MiB of doubles) bounds the packed B block well inside L3.
/// </summary>
internal static unsafe class Gemm
{
    public const int KC = 256;
    public const int NC = 4096;
    private const int ABlockBytes = 288 * 1024;

    /// <summary>Rows of the packed A block: ≈ 288 KiB at KC, a multiple of MR (144 doubles, 288 floats).</summary>
    public static int MC<T>() where T : unmanaged => ABlockBytes / (KC * sizeof(T)) / GemmMicroKernel.MR * GemmMicroKernel.MR;

    /// <summary>
    /// m·n·k below which one thread does the whole product. Measured with the bench's --quick mode on the 2-core EPYC
    /// when the second core was free: at 96³ two threads gave 54–56 GFLOP/s against 40 for one, at 128³ 67–75 against 40;
    /// at 64³ (≈ 13 µs of work) the split cannot pay for waking a worker, and with MinChunk = 64 it is not split anyway.
    /// </summary>
    internal static long ParallelThreshold = 96L * 96 * 96;

    /// <summary>
    /// Smallest C tile width (or height) handed to one thread, so that the operand each chunk packs again (all of op(A)
    /// when C is split by columns) stays small against the chunk's multiply-adds.
    /// </summary>
    internal static int MinChunk = 64;

    /// <summary>
    /// Chunks per thread: one per thread repacks least, more let a thread whose core is busy with other work hand
    /// chunks to the others. 1, 2 and 4 could not be told apart within the noise of the shared 2-core machine
    /// (interleaved --quick runs, 128³–1024³); 2 keeps the repacking at twice the minimum and still rebalances.
    /// A row split that shares the packed op(B) repacks nothing per chunk and takes more: chunks of at most MC rows.
    /// </summary>
    internal static int ChunksPerThread = 2;

    /// <summary>
    /// Largest packed op(B) (entries) that a product split by rows packs once into a buffer all threads share, instead
    /// of each chunk packing all of op(B) again: 2²⁰ entries (8 MiB of doubles, a 1024×1024 B), well inside L3.
    /// </summary>
    internal static long SharedPackLimit = 1L << 20;

    /// <summary>The widest vector width that is hardware-accelerated here.</summary>
    public static readonly GemmIsa BestIsa =
        Vector512.IsHardwareAccelerated ? GemmIsa.Vector512
        : Vector256.IsHardwareAccelerated ? GemmIsa.Vector256
        : Vector128.IsHardwareAccelerated ? GemmIsa.Vector128
        : GemmIsa.Scalar;

    /// <summary>A one-line description of the managed kernel at <paramref name="isa"/>.</summary>
    public static string Describe(GemmIsa isa)
    {
        int lanes = isa switch { GemmIsa.Vector512 => 8, GemmIsa.Vector256 => 4, GemmIsa.Vector128 => 2, _ => 1 };
        string width = isa == GemmIsa.Scalar ? "scalar FMA" : $"{isa} FMA";
        return $"managed ({width}, {GemmMicroKernel.MR}×{2 * lanes} double / {GemmMicroKernel.MR}×{4 * lanes} float micro-tiles)";
    }

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C with the packed kernel at <paramref name="isa"/> on up to <paramref name="threads"/> threads.
    /// The caller has checked the shapes and handled m = 0, n = 0, k = 0 and α = 0; T is float or double.
    /// Returns the number of threads the product was split for (1 when the caller ran it alone). With
    /// <paramref name="epilogue"/>, its last k-block also adds the bias and writes the ReLU (<see cref="GemmEpilogue{T}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb,
        T beta, T* c, int ldc, GemmIsa isa, int threads, GemmEpilogue<T> epilogue = default)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var args = new GemmArgs<T>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, isa, epilogue);
        if (threads > 1 && (long)m * n * k >= ParallelThreshold)
        {
            // Split C into chunks of at least MinChunk rows or columns, handed out dynamically. A chunk of columns packs
            // all of op(A) again, a chunk of rows all of op(B). Packing A untransposed gathers MR rows entry by entry,
            // the costliest pack, while B packs by row copies or register transposes: so split rows when A is not
            // transposed and there are rows enough for two chunks; otherwise the side with more micro-tiles.
            int nr = 2 * Lanes<T>(isa);
            bool byColumns = transA
                ? (n + nr - 1) / nr >= (m + GemmMicroKernel.MR - 1) / GemmMicroKernel.MR
                : m < 2 * MinChunk;
            int unit = byColumns ? nr : GemmMicroKernel.MR;
            int extent = byColumns ? n : m;
            int units = (extent + unit - 1) / unit;
            // Split by rows, every chunk needs all of op(B): pack it once, shared, in panel groups claimed first (any
            // thread packs any group), when it fits and n fits one column block. Then a chunk repacks nothing, so take
            // chunks no taller than an A block (MC rows): a chunk's loops are then the one-thread loops over its blocks,
            // and a late thread leaves at most one block to wait for at the end.
            int panels = (n + nr - 1) / nr;
            bool share = !byColumns && n <= NC && (long)k * panels * nr <= SharedPackLimit;
            int chunkCount = ChunksPerThread * threads;
            if (share) chunkCount = Math.Max(chunkCount, (m + MC<T>() - 1) / MC<T>());
            int unitsPerChunk = Math.Max((MinChunk + unit - 1) / unit, (units + chunkCount - 1) / chunkCount);
            int chunks = (units + unitsPerChunk - 1) / unitsPerChunk;
            if (chunks >= 2)
            {
                // Busy (another thread's product is using the workers): fall through to one thread, same result.
                if (GemmThreads.TryAcquire())
                {
                    try
                    {
                        var job = GemmJob<T>.Instance;
                        int packTasks = share ? Math.Min(panels, ChunksPerThread * threads) : 0;
                        T* shared = share ? GemmBuffers.Shared<T>((nint)k * panels * nr) : null;
                        job.Set(args, byColumns, unitsPerChunk * unit, shared, packTasks, (panels + packTasks - 1) / Math.Max(1, packTasks), nr);
                        int participants = Math.Min(threads, chunks);
                        GemmThreads.Run(job, packTasks + chunks, participants);
                        return participants;
                    }
                    finally { GemmThreads.Release(); }
                }
            }
        }
        Rect(args, 0, m, 0, n);
        return 1;
    }

    internal static int Lanes<T>(GemmIsa isa) where T : unmanaged => isa switch
    {
        GemmIsa.Vector512 => 64 / sizeof(T),
        GemmIsa.Vector256 => 32 / sizeof(T),
        GemmIsa.Vector128 => 16 / sizeof(T),
        _ => 1,
    };

    /// <summary>
    /// C[i0..i1, j0..j1) of the product, by the blocked loops (one thread). With <paramref name="packedB"/>, op(B) is
    /// already packed there (all of it: j0 = 0, j1 = n ≤ NC; the block of k-offset pc at pc·⌈n/nr⌉·nr, as <see cref="PackAllB{T}"/> writes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Rect<T>(in GemmArgs<T> g, int i0, int i1, int j0, int j1, T* packedB = null)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        switch (g.Isa)
        {
            case GemmIsa.Vector512: Rect<T, Vector512<T>, Simd512<T>>(g, i0, i1, j0, j1, packedB); break;
            case GemmIsa.Vector256: Rect<T, Vector256<T>, Simd256<T>>(g, i0, i1, j0, j1, packedB); break;
            case GemmIsa.Vector128: Rect<T, Vector128<T>, Simd128<T>>(g, i0, i1, j0, j1, packedB); break;
            default: Rect<T, T, SimdScalar<T>>(g, i0, i1, j0, j1, packedB); break;
        }
    }

    /// <summary>Packs column panels [p0, p1) of op(B) for every k-block into <paramref name="packed"/> (the layout <see cref="Rect{T}"/> reads).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    internal static void PackAllB<T>(in GemmArgs<T> g, int p0, int p1, int nr, T* packed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int j0 = p0 * nr, nb = Math.Min(g.N, p1 * nr) - j0;
        if (nb <= 0) return;
        nint stride = (nint)((g.N + nr - 1) / nr) * nr;
        for (int pc = 0; pc < g.K; pc += KC)
        {
            int kb = Math.Min(KC, g.K - pc);
            GemmPacking.PackB(g.TransB, g.B, g.Ldb, pc, kb, j0, nb, nr, packed + pc * stride + (nint)j0 * kb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fast from the first call: a short process (a calibration, one prediction) runs before tiered JIT would optimise it
    private static void Rect<T, TV, S>(in GemmArgs<T> g, int i0, int i1, int j0, int j1, T* packedB)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TV : struct where S : IGemmSimd<T, TV>
    {
        const int MR = GemmMicroKernel.MR;
        int nr = 2 * S.Lanes;
        int mc = MC<T>();
        int m = i1 - i0, n = j1 - j0, k = g.K;
        T alpha = g.Alpha, beta = g.Beta;
        nint ldc = g.Ldc;

        int aRows = Math.Min(mc, (m + MR - 1) / MR * MR);
        int bCols = Math.Min(NC, (n + nr - 1) / nr * nr);
        int kMax = Math.Min(KC, k);
        T* ap = GemmBuffers.A<T>((nint)aRows * kMax);
        T* bp = packedB is null ? GemmBuffers.B<T>((nint)bCols * kMax) : null;
        nint packedStride = (nint)bCols;
        T* edge = stackalloc T[MR * nr];
        T* bias = g.Epilogue.Bias, relu = g.Epilogue.Relu, mask = g.Epilogue.Mask;
        nint ldr = g.Epilogue.Ldr, ldm = g.Epilogue.Ldm;

        for (int jc = j0; jc < j1; jc += NC)
        {
            int nb = Math.Min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kb = Math.Min(KC, k - pc);
                var store = pc > 0 ? GemmStore.Accumulate : beta == T.Zero ? GemmStore.Overwrite : GemmStore.Scale;
                bool last = pc + kb == k; // the epilogue's k-block
                if (packedB is null) GemmPacking.PackB(g.TransB, g.B, g.Ldb, pc, kb, jc, nb, nr, bp);
                else bp = packedB + pc * packedStride; // j0 = 0 and n ≤ NC: one column block, packed by PackAllB
                for (int ic = i0; ic < i1; ic += mc)
                {
                    int mb = Math.Min(mc, i1 - ic);
                    GemmPacking.PackA(g.TransA, g.A, g.Lda, ic, mb, pc, kb, ap);
                    for (int jr = 0; jr < nb; jr += nr)
                    {
                        int cols = Math.Min(nr, nb - jr);
                        T* pb = bp + (nint)jr * kb;
                        T* cBlock = g.C + ic * ldc + (jc + jr);
                        T* bt = last && bias is not null ? bias + (jc + jr) : null;
                        for (int ir = 0; ir < mb; ir += MR)
                        {
                            int rows = Math.Min(MR, mb - ir);
                            T* pa = ap + (nint)ir * kb;
                            T* ct = cBlock + ir * ldc;
                            T* rt = last && relu is not null ? relu + (ic + ir) * ldr + (jc + jr) : null;
                            T* mt = last && mask is not null ? mask + (ic + ir) * ldm + (jc + jr) : null;
                            if (rows == MR && cols == nr)
                                GemmMicroKernel.Run<T, TV, S>(kb, pa, pb, ct, ldc, alpha, beta, store, bt, rt, ldr, mt, ldm);
                            else
                            {
                                GemmMicroKernel.Run<T, TV, S>(kb, pa, pb, edge, nr, alpha, beta, GemmStore.Raw);
                                GemmMicroKernel.Update(edge, nr, rows, cols, ct, ldc, alpha, beta, store, bt, rt, ldr, mt, ldm);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// <summary>The operands of one product, as raw pointers (the caller keeps them pinned until the product returns), and its epilogue.</summary>
internal readonly unsafe struct GemmArgs<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda,
    T* b, int ldb, T beta, T* c, int ldc, GemmIsa isa, GemmEpilogue<T> epilogue = default) where T : unmanaged
{
    public readonly GemmEpilogue<T> Epilogue = epilogue;
    public readonly bool TransA = transA, TransB = transB;
    public readonly int M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
    public readonly T Alpha = alpha, Beta = beta;
    public readonly T* A = a, B = b, C = c;
    public readonly GemmIsa Isa = isa;
}

/// <summary>
/// Per-thread packing buffers, pinned and 64-byte aligned, grown on demand and then reused, so a steady-state
/// product allocates nothing.
/// </summary>
internal static unsafe class GemmBuffers
{
    [ThreadStatic] private static byte[]? s_a;
    [ThreadStatic] private static byte[]? s_b;

    private static byte[]? s_shared; // used only while GemmThreads' gate is held

    public static T* A<T>(nint count) where T : unmanaged => Get<T>(ref s_a, count);
    public static T* Shared<T>(nint count) where T : unmanaged => Get<T>(ref s_shared, count);
    public static T* B<T>(nint count) where T : unmanaged => Get<T>(ref s_b, count);

    private static T* Get<T>(ref byte[]? buffer, nint count) where T : unmanaged
    {
        nint bytes = count * sizeof(T) + 64;
        if (buffer is null || buffer.Length < bytes)
            buffer = GC.AllocateUninitializedArray<byte>((int)Math.Max(bytes, 4096), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref buffer[0]);
        return (T*)((address + 63) & ~(nint)63);
    }
}

/// <summary>
/// One parallel product: C split into chunks of whole columns (or rows), claimed by threads from <see cref="GemmThreads"/>' counter.
/// With a shared packed op(B), the first chunks are packing tasks (groups of B panels); a thread that claims a chunk of C
/// waits until every packing task is done — all of them were claimed before it, by threads that are running them.
/// </summary>
internal sealed unsafe class GemmJob<T> : IGemmWork where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>One job object per element type, used only while <see cref="GemmThreads"/>' gate is held.</summary>
    public static readonly GemmJob<T> Instance = new();

    private GemmArgs<T> _args;
    private bool _byColumns;
    private int _chunk;
    private T* _packedB;
    private int _packTasks, _panelsPerTask, _nr, _packed;

    public void Set(in GemmArgs<T> args, bool byColumns, int chunk, T* packedB, int packTasks, int panelsPerTask, int nr)
    {
        _args = args;
        _byColumns = byColumns;
        _chunk = chunk;
        _packedB = packedB;
        _packTasks = packTasks;
        _panelsPerTask = panelsPerTask;
        _nr = nr;
        _packed = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ExecuteChunk(int q)
    {
        if (q < _packTasks)
        {
            try { Gemm.PackAllB(_args, q * _panelsPerTask, (q + 1) * _panelsPerTask, _nr, _packedB); }
            finally { Interlocked.Increment(ref _packed); } // counted even if it failed, so no thread waits for ever (the failure is rethrown)
            return;
        }
        if (_packTasks > 0)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _packed) < _packTasks) spin.SpinOnce(sleep1Threshold: -1);
        }
        q -= _packTasks;
        if (_byColumns)
            Gemm.Rect(_args, 0, _args.M, q * _chunk, Math.Min(_args.N, (q + 1) * _chunk));
        else
            Gemm.Rect(_args, q * _chunk, Math.Min(_args.M, (q + 1) * _chunk), 0, _args.N, _packedB);
    }
}
