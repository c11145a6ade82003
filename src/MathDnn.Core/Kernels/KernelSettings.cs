namespace MathDnn.Kernels;

/// <summary>Which implementation computes the core's matrix products.</summary>
public enum GemmBackend
{
    /// <summary>
    /// Chosen by measurement: when OpenBLAS's shared library loads, the first product of the process times both backends
    /// on a representative product per precision (<see cref="BackendCalibration"/>, about 0.1 s, the backends interleaved) and each precision
    /// takes the faster; without OpenBLAS, the managed kernel. In both cases thin products (at most 12 rows of untransposed
    /// operands, or at most 3 rows against Bᵀ: a Jacobian chain from the output side, a layer on one sample) run on the
    /// managed thin kernels, which read B in place where OpenBLAS packs it. Measured on a 2-core AMD EPYC (Zen 5,
    /// AVX-512) with Debian's OpenBLAS 0.3.21 (core Haswell): the input Jacobian of 784-256-128-10 in float 50 µs against
    /// 161 µs, one sample's forward pass 9.6 µs against 62 µs.
    /// </summary>
    Auto,
    /// <summary>The managed packed kernel (always available).</summary>
    Managed,
    /// <summary>OpenBLAS's cblas_dgemm / cblas_sgemm (only when libopenblas loads).</summary>
    OpenBlas,
}

/// <summary>
/// Process-wide settings of the kernel layer: the matrix-product backend and the number of threads it may use.
/// The backend starts from the environment variable <c>MATHDNN_BACKEND</c> (<c>auto</c>, <c>managed</c> or
/// <c>openblas</c>; unset means auto). With the managed backend, results are bit-identical for every
/// <see cref="MaxThreads"/>: threads split C into tiles and every entry is accumulated in the same order.
/// OpenBLAS repeats its results for a given thread count, but its last bits change with the thread count
/// (measured with 0.3.21): choose <see cref="GemmBackend.Managed"/> to compare runs across thread counts or machines.
/// </summary>
public static class KernelSettings
{
    /// <summary>The environment variable that selects the initial <see cref="Backend"/>.</summary>
    public const string BackendVariable = "MATHDNN_BACKEND";

    private static int s_maxThreads = Environment.ProcessorCount;
    private static GemmBackend? s_backend;
    private static BackendCalibration? s_calibration;
    private static readonly object s_calibrating = new();

    /// <summary>The most threads one matrix product may use (default: the processor count); at least 1.</summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            if (value < 1)
                throw new ArgumentException($"Kernel settings: MaxThreads must be at least 1, got {value}.", nameof(value));
            s_maxThreads = value;
        }
    }

    /// <summary>
    /// The requested backend. Setting <see cref="GemmBackend.OpenBlas"/> when the library does not load throws;
    /// reading it when <c>MATHDNN_BACKEND</c> holds anything but auto, managed or openblas (or asks for an absent
    /// OpenBLAS) throws too, until a value is set here.
    /// </summary>
    public static GemmBackend Backend
    {
        get => s_backend ??= FromEnvironment(Environment.GetEnvironmentVariable(BackendVariable));
        set
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentException($"Kernel settings: {(int)value} is not a GEMM backend.", nameof(value));
            if (value == GemmBackend.OpenBlas && !NativeBlas.IsAvailable)
                throw new ArgumentException(
                    $"Kernel settings: the OpenBLAS backend needs one of {string.Join(", ", NativeBlas.Candidates)}; none loads.", nameof(value));
            s_backend = value;
        }
    }

    /// <summary>Whether OpenBLAS (cblas_dgemm and cblas_sgemm) loaded.</summary>
    public static bool OpenBlasAvailable => NativeBlas.IsAvailable;

    /// <summary>The backend double products actually use: <see cref="GemmBackend.Managed"/> or <see cref="GemmBackend.OpenBlas"/> (under auto, after calibrating).</summary>
    public static GemmBackend ActiveBackendKind => ActiveBackendKindOf<double>();

    /// <summary>The backend products of element type <typeparamref name="T"/> use (float or double; under auto, after calibrating).</summary>
    public static GemmBackend ActiveBackendKindOf<T>() => Resolve<T>(Backend);

    /// <summary>
    /// How auto chose: the calibration of this process (measured on first use, on the <see cref="MaxThreads"/> of that
    /// moment), or null when the backend is forced or OpenBLAS does not load (there is nothing to choose).
    /// </summary>
    public static BackendCalibration? Calibration => Backend == GemmBackend.Auto && NativeBlas.IsAvailable ? Calibrate() : null;

    /// <summary>
    /// Measures again with n = <paramref name="size"/> (e.g. the size a run multiplies) on the current
    /// <see cref="MaxThreads"/> (e.g. after changing it), and makes auto use the new choice. Returns null (measuring
    /// nothing) when OpenBLAS does not load.
    /// </summary>
    public static BackendCalibration? Recalibrate(int size = BackendCalibration.DefaultSize)
    {
        if (size < 16 || size > 4096)
            throw new ArgumentException($"Kernel settings: the calibration size must be in [16, 4096], got {size}.", nameof(size));
        if (!NativeBlas.IsAvailable) return null;
        lock (s_calibrating)
            return s_calibration = BackendCalibration.Measure(size, s_maxThreads);
    }

    private static BackendCalibration Calibrate()
    {
        if (Volatile.Read(ref s_calibration) is { } done) return done;
        lock (s_calibrating)
            return s_calibration ??= BackendCalibration.Measure(BackendCalibration.DefaultSize, s_maxThreads);
    }

    /// <summary>
    /// Whether the products of this process run on the managed kernel, as far as is known without reading the
    /// environment or measuring (never throws): false until <see cref="Backend"/> has been read or set, and under auto
    /// with OpenBLAS until the calibration has chosen.
    /// </summary>
    internal static bool ManagedProductsExpected => s_backend switch
    {
        GemmBackend.Managed => true,
        GemmBackend.Auto => !NativeBlas.IsAvailable || s_calibration is { Double: GemmBackend.Managed },
        _ => false,
    };

    private static GemmBackend Resolve<T>(GemmBackend backend) => backend switch
    {
        GemmBackend.OpenBlas => GemmBackend.OpenBlas,
        GemmBackend.Auto when NativeBlas.IsAvailable => Calibrate().For<T>(),
        _ => GemmBackend.Managed,
    };

    /// <summary>
    /// A one-line description of the active backend, e.g. for a command line to print: the backend of each precision
    /// (one when both agree), under auto the calibration's figures, and a warning when OpenBLAS runs on a core older
    /// than the CPU (<see cref="OpenBlasCore.Mismatch"/>).
    /// </summary>
    public static string ActiveBackend
    {
        get
        {
            var backend = Backend;
            GemmBackend d = Resolve<double>(backend), f = Resolve<float>(backend);
            string Of(GemmBackend b) => b == GemmBackend.OpenBlas ? $"OpenBLAS ({NativeBlas.Description})" : Gemm.Describe(Gemm.BestIsa);
            string line = d == f ? Of(d) : $"double: {Of(d)}; float: {Of(f)}";
            if (backend == GemmBackend.Auto && NativeBlas.IsAvailable) line = $"auto → {line}; {Calibrate()}";
            if ((backend != GemmBackend.Managed) && OpenBlasCore.LoadedMismatch is { } warning) line += $"; {warning}";
            return line;
        }
    }

    internal static GemmBackend FromEnvironment(string? value)
    {
        var backend = value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => GemmBackend.Auto,
            "managed" => GemmBackend.Managed,
            "openblas" => GemmBackend.OpenBlas,
            _ => throw new ArgumentException(
                $"Kernel settings: {BackendVariable}='{value}' is not one of auto, managed, openblas."),
        };
        if (backend == GemmBackend.OpenBlas && !NativeBlas.IsAvailable)
            throw new ArgumentException(
                $"Kernel settings: {BackendVariable}=openblas but none of {string.Join(", ", NativeBlas.Candidates)} loads.");
        return backend;
    }
}
