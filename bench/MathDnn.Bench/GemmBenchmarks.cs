using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MathDnn.Kernels;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Bench;

/// <summary>
/// C ← A·B for square n×n operands: the managed kernel (all threads and one), MathNet's managed product (the
/// baseline) and OpenBLAS when libopenblas loads, in double and float.
/// </summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class GemmBenchmarks<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    [Params(64, 128, 256, 512, 1024)]
    public int Size { get; set; }

    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "managed";

    public static IEnumerable<string> Backends =>
        KernelSettings.OpenBlasAvailable ? ["managed", "managed-1t", "mathnet", "openblas"] : ["managed", "managed-1t", "mathnet"];

    private T[] _a = [], _b = [], _c = [];
    private Action _product = () => { };

    [GlobalSetup]
    public void Setup()
    {
        int n = Size;
        var rng = new Networks.Rng(7);
        _a = Enumerable.Range(0, n * n).Select(_ => T.CreateTruncating(rng.Uniform(-1, 1))).ToArray();
        _b = Enumerable.Range(0, n * n).Select(_ => T.CreateTruncating(rng.Uniform(-1, 1))).ToArray();
        _c = new T[n * n];
        Control.UseManaged();
        switch (Backend)
        {
            case "mathnet":
                _product = MathNetProduct(n);
                break;
            default:
                KernelSettings.Backend = Backend == "openblas" ? GemmBackend.OpenBlas : GemmBackend.Managed;
                KernelSettings.MaxThreads = Backend == "managed-1t" ? 1 : Environment.ProcessorCount;
                _product = () => Blas.Gemm(false, false, n, n, n, T.One, _a, n, _b, n, T.Zero, _c, n);
                break;
        }
    }

    private Action MathNetProduct(int n)
    {
        if (typeof(T) == typeof(double))
        {
            var a = Matrix<double>.Build.Dense(n, n, (double[])(object)_a);
            var b = Matrix<double>.Build.Dense(n, n, (double[])(object)_b);
            var c = Matrix<double>.Build.Dense(n, n);
            return () => a.Multiply(b, c);
        }
        var af = Matrix<float>.Build.Dense(n, n, (float[])(object)_a);
        var bf = Matrix<float>.Build.Dense(n, n, (float[])(object)_b);
        var cf = Matrix<float>.Build.Dense(n, n);
        return () => af.Multiply(bf, cf);
    }

    [Benchmark]
    public void Gemm() => _product();
}

/// <summary>GFLOP/s = 2·Size³ / mean time, for benchmarks with a <c>Size</c> parameter.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => "GFLOPs";
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "2·Size³ floating-point operations per second / 1e9 (mean time)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        var size = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Size")?.Value;
        if (report?.ResultStatistics is not { } stats || size is not int n) return "-";
        double seconds = stats.Mean / 1e9;
        return (2.0 * n * n * n / seconds / 1e9).ToString("F1");
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
}
