using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace MathDnn.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/MathDnn.Bench -- --quick</c> for a few-second Stopwatch table;
/// <c>--onnx</c> for MathDnn's forward pass against ONNX Runtime's on the same exported model (<see cref="OnnxTimings"/>);
/// <c>--allocations</c> for the exact bytes a training step allocates (<see cref="Allocations"/>);
/// <c>--jacobians</c> for the timings of the structured Jacobians and per-sample gradients that
/// bench/compare-pytorch-jacobians.sh compares with PyTorch (<see cref="JacobianTimings"/>);
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
        if (args.Contains("--jacobians")) return JacobianTimings.Run(args);
        if (args.Contains("--onnx")) return OnnxTimings.Run(args);
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new GflopsColumn());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
