using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace MathDnn.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/MathDnn.Bench -- --quick</c> for a few-second Stopwatch table;
/// <c>--allocations</c> for the exact bytes a training step allocates (<see cref="Allocations"/>);
/// any other arguments go to BenchmarkDotNet (e.g. <c>--filter *Gemm*</c>), with the memory diagnoser and a
/// GFLOP/s column.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick")) return Quick.Run(args);
        if (args.Contains("--profile")) return Profile.Run(args);
        if (args.Contains("--allocations")) return Allocations.Run();
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new GflopsColumn());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
