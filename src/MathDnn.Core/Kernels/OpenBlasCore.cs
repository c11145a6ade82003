using System.Runtime.Intrinsics.X86;

namespace MathDnn.Kernels;

/// <summary>
/// Whether OpenBLAS's kernel core uses the CPU's widest vector instructions. OpenBLAS built with DYNAMIC_ARCH picks a
/// core at load time from the CPU id; an older build does not know a newer CPU and falls back to an old core (Debian's
/// 0.3.21 reports "Prescott", SSE3 kernels, on some AVX-512 Xeons), 3–6× slower than the CPU allows. The environment
/// variable OPENBLAS_CORETYPE overrides its choice.
/// </summary>
public static class OpenBlasCore
{
    /// <summary>
    /// The vector level of an OpenBLAS x86-64 core name (case-insensitive): 3 for AVX-512 (SkylakeX, Cooperlake,
    /// SapphireRapids), 2 for AVX2 (Haswell, Zen, Excavator), 1 for AVX (Sandybridge, Bulldozer, Piledriver,
    /// Steamroller), 0 for SSE-only cores (Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Barcelona, Opteron, …);
    /// null for a name it does not know.
    /// </summary>
    public static int? VectorLevel(string core) => core.Trim().ToLowerInvariant() switch
    {
        "skylakex" or "cooperlake" or "sapphirerapids" => 3,
        "haswell" or "zen" or "excavator" => 2,
        "sandybridge" or "bulldozer" or "piledriver" or "steamroller" => 1,
        "prescott" or "core2" or "penryn" or "dunnington" or "nehalem" or "atom" or "barcelona" or "opteron" or "opteron_sse3"
            or "bobcat" or "nano" or "katmai" or "coppermine" or "northwood" or "banias" or "athlon" => 0,
        _ => null,
    };

    /// <summary>This CPU's widest vector level on the same scale (3 AVX-512F, 2 AVX2, 1 AVX, 0 otherwise; 0 on non-x86).</summary>
    public static int CpuVectorLevel =>
        Avx512F.IsSupported ? 3 : Avx2.IsSupported ? 2 : Avx.IsSupported ? 1 : 0;

    /// <summary>The name of a level (3 → "AVX-512").</summary>
    public static string LevelName(int level) => level switch { 3 => "AVX-512", 2 => "AVX2", 1 => "AVX", _ => "SSE" };

    /// <summary>The OpenBLAS core to name in OPENBLAS_CORETYPE for a CPU of this level (SkylakeX for AVX-512, Haswell for AVX2, Sandybridge for AVX).</summary>
    public static string SuggestedCore(int level) => level switch { 3 => "SkylakeX", 2 => "Haswell", 1 => "Sandybridge", _ => "Prescott" };

    /// <summary>
    /// A warning when <paramref name="core"/> is older than a CPU of <paramref name="cpuLevel"/>, e.g. "OpenBLAS core
    /// Prescott (SSE) is older than this CPU's AVX-512: OPENBLAS_CORETYPE=SkylakeX gives it its best kernels"; null when
    /// the core matches the CPU or is unknown.
    /// </summary>
    public static string? Mismatch(string core, int cpuLevel) =>
        VectorLevel(core) is { } level && level < cpuLevel
            ? $"OpenBLAS core {core} ({LevelName(level)}) is older than this CPU's {LevelName(cpuLevel)}: OPENBLAS_CORETYPE={SuggestedCore(cpuLevel)} gives it its best kernels"
            : null;

    /// <summary>The loaded OpenBLAS's core name ("" when OpenBLAS is absent or does not say).</summary>
    public static string Loaded => NativeBlas.CoreName;

    /// <summary><see cref="Mismatch"/> for the loaded OpenBLAS on this CPU.</summary>
    public static string? LoadedMismatch => NativeBlas.IsAvailable ? Mismatch(NativeBlas.CoreName, CpuVectorLevel) : null;
}
