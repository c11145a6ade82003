using System.Diagnostics;

namespace MathDnn.Kernels;

/// <summary>
/// How <see cref="GemmBackend.Auto"/> chose its backend: on first use in a process, when OpenBLAS loads, one n×n by n×n
/// product (n = <see cref="Size"/>, 2n³ flops) per backend and precision is run back to back for
/// <see cref="WarmUpWindows"/> untimed windows and then in <see cref="Rounds"/> rounds of timed windows of
/// <see cref="WindowSeconds"/>, the backends interleaved, on <see cref="Threads"/> threads (<see cref="KernelSettings.MaxThreads"/> then: the two
/// backends split a product over threads with different efficiency, measured at 512³ on a 2-core Zen 5 as 1.46× for the
/// managed kernel and 2.08× for OpenBLAS); the best times give the rates below, and each precision takes the faster
/// backend (<see cref="Choose"/>). The figures are in GFLOP/s (2n³ / seconds / 10⁹).
/// <para>
/// A measurement is not a pure function: on a machine where both backends are within <see cref="Margin"/> of each other
/// two processes may choose differently, and OpenBLAS's last bits differ from the managed kernel's. Force
/// <c>MATHDNN_BACKEND=managed</c> (or set <see cref="KernelSettings.Backend"/>) where runs must be bit-identical across
/// processes and machines.
/// </para>
/// </summary>
/// <param name="Size">n of the n×n·n×n products timed.</param>
/// <param name="Threads">The threads each timed product could use (<see cref="KernelSettings.MaxThreads"/> at the time).</param>
/// <param name="ManagedDouble">The managed kernel's rate in double, GFLOP/s.</param>
/// <param name="OpenBlasDouble">OpenBLAS's rate in double (cblas_dgemm), GFLOP/s.</param>
/// <param name="ManagedFloat">The managed kernel's rate in float, GFLOP/s.</param>
/// <param name="OpenBlasFloat">OpenBLAS's rate in float (cblas_sgemm), GFLOP/s.</param>
/// <param name="Double">The backend chosen for double products.</param>
/// <param name="Float">The backend chosen for float products.</param>
/// <param name="Milliseconds">How long the calibration took, wall clock.</param>
/// <param name="OpenBlasCoreOlder">
/// Whether the loaded OpenBLAS runs a core older than the CPU (<see cref="OpenBlasCore.LoadedMismatch"/>): then the managed
/// kernel is chosen whatever the rates, since such an OpenBLAS is not at its best and a short calibration can still
/// measure it ahead (on the 2-core Zen 5 VM, OpenBLAS-Haswell read up to 1.3× the managed kernel's float rate in single
/// calibrations, where training ran 0.45–0.95× as fast on it).
/// </param>
public sealed record BackendCalibration(
    int Size, int Threads, double ManagedDouble, double OpenBlasDouble, double ManagedFloat, double OpenBlasFloat,
    GemmBackend Double, GemmBackend Float, double Milliseconds, bool OpenBlasCoreOlder = false)
{
    /// <summary>n of the timed products: 256 (33.6 Mflop each, ≈ 0.3–1 ms on one core of a 2020s CPU), shapes of the size a dense layer of a few hundred units multiplies in a batch.</summary>
    public const int DefaultSize = 256;

    /// <summary>
    /// Timed rounds: each round times one window of each backend in each precision, the two backends in alternating order
    /// (OpenBLAS first in even rounds, since the warm-up ends on the managed kernel; managed first in odd ones), and each
    /// backend keeps its best window. Interleaving is
    /// what makes the comparison fair on a shared machine: on the 2-core Zen 5 VM the rate of both threads together swung
    /// between ≈ 100 and ≈ 190 GFLOP/s in double for tens of milliseconds at a time (both threads running at half speed,
    /// the second vCPU's host core busy elsewhere), so timing one backend's windows after the other's compared a slow
    /// phase against a fast one (the managed kernel read 80–95 against OpenBLAS-SkylakeX's 100–158 in six consecutive
    /// calibrations, where back to back they run 205 against 175).
    /// </summary>
    public const int Rounds = 4;

    /// <summary>Untimed windows of the managed kernel in float before its first timed one: 2 (page faults, the first products of each thread).</summary>
    public const int WarmUpWindows = 2;

    /// <summary>
    /// Untimed OpenBLAS windows at the start of each of its blocks, after its threads were stopped for the managed block:
    /// 3, in which OpenBLAS starts its threads again and they fault in their buffers (measured on the 2-core Zen 5 VM with
    /// OpenBLAS-SkylakeX at 256³ on 2 threads: 75–105 GFLOP/s in double after one such window, 145–160 after three, its
    /// back-to-back rate).
    /// </summary>
    public const int RestartWindows = 3;

    /// <summary>Untimed windows before the managed kernel's first timed one (the first products of the process): 4.</summary>
    public const int ManagedWarmUpWindows = 4;

    /// <summary>
    /// The length of a window of back-to-back products: 3 ms, so a calibration runs (4 + 2 + 4·(1 + 2) + 4·(3 + 2)) = 38
    /// windows ≈ 115 ms, measured 125–210 ms with stopping OpenBLAS's threads.
    /// </summary>
    public const double WindowSeconds = 0.003;

    /// <summary>
    /// OpenBLAS is taken only when its time is below (1 − Margin) = 0.5 of the managed kernel's, i.e. when it is more than
    /// twice as fast: a run on the managed kernel gains more than its GEMM rate shows (its thin kernels for few rows, its
    /// packing of the layers' shapes, one thread pool instead of two). Measured on the 2-core Zen 5 VM with
    /// OpenBLAS-SkylakeX (its best kernels here) on MNIST training, 784-256-128-10, batch 128: OpenBLAS trained at 0.66–0.82×
    /// the managed kernel's samples/s in all four configurations (double and float, 1 and 2 threads), where its 256³
    /// products measured 0.9–1.4× the managed kernel's rate; with a margin of 0.2, one calibration in three chose it for
    /// float on 2 threads and that run trained at 0.58× PyTorch against 1.5× on the managed kernel. A CPU on which the
    /// managed kernel is far from its best (no FMA, no 256-bit vectors) still gets OpenBLAS.
    /// </summary>
    public const double Margin = 0.5;

    /// <summary>The backend for one precision from the two best times: OpenBLAS when t_openblas &lt; (1 − <see cref="Margin"/>)·t_managed, else managed.</summary>
    public static GemmBackend Choose(double managedSeconds, double openBlasSeconds) =>
        double.IsFinite(openBlasSeconds) && openBlasSeconds > 0 && openBlasSeconds < (1 - Margin) * managedSeconds
            ? GemmBackend.OpenBlas : GemmBackend.Managed;

    /// <summary>The backend chosen for element type <typeparamref name="T"/> (float, or double for every other type).</summary>
    public GemmBackend For<T>() => typeof(T) == typeof(float) ? Float : Double;

    /// <summary>One line: the rates and the choices, e.g. "calibrated 256³ on 2 threads in 39 ms: double managed 77.5 vs OpenBLAS 48.8 GFLOP/s → managed; …".</summary>
    public override string ToString() =>
        $"calibrated {Size}³ on {Threads} thread{(Threads == 1 ? "" : "s")} in {Milliseconds:F0} ms: " +
        $"double managed {ManagedDouble:F1} vs OpenBLAS {OpenBlasDouble:F1} GFLOP/s → {Name(Double)}; " +
        $"float managed {ManagedFloat:F1} vs OpenBLAS {OpenBlasFloat:F1} GFLOP/s → {Name(Float)}" +
        (OpenBlasCoreOlder ? " (OpenBLAS runs a core older than the CPU: managed)" : "");

    internal static string Name(GemmBackend backend) => backend == GemmBackend.OpenBlas ? "OpenBLAS" : "managed";

    /// <summary>Times both backends (OpenBLAS must be loaded) at n = <paramref name="size"/> on <paramref name="threads"/> threads.</summary>
    internal static BackendCalibration Measure(int size, int threads) => Measure(size, threads, OpenBlasCore.LoadedMismatch is not null);

    /// <summary>As <see cref="Measure(int, int)"/>, with <paramref name="openBlasCoreOlder"/> in place of the loaded OpenBLAS's verdict.</summary>
    internal static BackendCalibration Measure(int size, int threads, bool openBlasCoreOlder)
    {
        long start = Stopwatch.GetTimestamp();
        var (ad, bd, cd) = (Operand<double>(size, 1), Operand<double>(size, 2), new double[size * size]);
        var (af, bf, cf) = (Operand<float>(size, 1), Operand<float>(size, 2), new float[size * size]);
        // Warm-up, the managed kernel first and longer (the process is cold then), then the interleaved timed rounds. Every
        // managed block starts with OpenBLAS's threads stopped (NativeBlas.ParkThreads: after its products they busy-wait
        // and take the cores from the managed kernel's worker) and one untimed window, and every OpenBLAS block with
        // RestartWindows untimed windows, in which OpenBLAS starts its threads again.
        NativeBlas.ParkThreads();
        for (int w = 0; w < ManagedWarmUpWindows; w++) Window(ad, bd, cd, size, threads, native: false);
        for (int w = 0; w < WarmUpWindows; w++) Window(af, bf, cf, size, threads, native: false);
        double md = double.PositiveInfinity, od = md, mf = md, of = md;
        void Managed()
        {
            if (NativeBlas.ParkThreads()) Window(ad, bd, cd, size, threads, native: false); // untimed: the threads' exit settles
            md = Math.Min(md, Window(ad, bd, cd, size, threads, native: false));
            mf = Math.Min(mf, Window(af, bf, cf, size, threads, native: false));
        }
        void OpenBlas()
        {
            for (int w = 0; w < RestartWindows; w++) Window(ad, bd, cd, size, threads, native: true);
            od = Math.Min(od, Window(ad, bd, cd, size, threads, native: true));
            of = Math.Min(of, Window(af, bf, cf, size, threads, native: true));
        }
        for (int r = 0; r < Rounds; r++)
        {
            if (r % 2 == 0) { OpenBlas(); Managed(); }
            else { Managed(); OpenBlas(); }
        }
        double flop = 2.0 * size * size * size / 1e9;
        GemmBackend chosenDouble = openBlasCoreOlder ? GemmBackend.Managed : Choose(md, od);
        GemmBackend chosenFloat = openBlasCoreOlder ? GemmBackend.Managed : Choose(mf, of);
        // The run goes on without OpenBLAS: stop its threads now rather than let them busy-wait into the run's first steps.
        if (chosenDouble == GemmBackend.Managed && chosenFloat == GemmBackend.Managed) NativeBlas.ParkThreads();
        return new BackendCalibration(size, threads, flop / md, flop / od, flop / mf, flop / of, chosenDouble, chosenFloat,
            Stopwatch.GetElapsedTime(start).TotalMilliseconds, openBlasCoreOlder);
    }

    /// <summary>An n×n operand with entries in [−1, 1) from a fixed generator: the rate does not depend on them, but denormals and NaN would.</summary>
    private static T[] Operand<T>(int n, ulong seed) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Networks.Rng(0x5EED + seed);
        var m = new T[n * n];
        for (int i = 0; i < m.Length; i++) m[i] = T.CreateTruncating(rng.Uniform(-1, 1));
        return m;
    }

    /// <summary>
    /// One window: C = A·B back to back for <see cref="WindowSeconds"/>, returning the mean time per product in seconds —
    /// the steady rate of a run, in which products follow one another while the threads are awake (a single product would
    /// mostly time the other threads' wake-up).
    /// </summary>
    private static unsafe double Window<T>(T[] a, T[] b, T[] c, int n, int threads, bool native) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        long window = (long)(WindowSeconds * Stopwatch.Frequency);
        // The managed kernel's workers spin between its products, as in a run on it (GemmThreads.Measuring).
        GemmThreads.Measuring = !native;
        try
        {
            fixed (T* pa = a, pb = b, pc = c)
            {
                long t0 = Stopwatch.GetTimestamp(), now;
                int products = 0;
                do
                {
                    if (native) NativeBlas.Gemm(false, false, n, n, n, T.One, pa, n, pb, n, T.Zero, pc, n, threads);
                    else Gemm.Run(false, false, n, n, n, T.One, pa, n, pb, n, T.Zero, pc, n, Gemm.BestIsa, threads);
                    products++;
                    now = Stopwatch.GetTimestamp();
                } while (now - t0 < window);
                return (double)(now - t0) / Stopwatch.Frequency / products;
            }
        }
        finally { GemmThreads.Measuring = false; }
    }
}
