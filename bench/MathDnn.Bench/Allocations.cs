using MathDnn.Training;

namespace MathDnn.Bench;

/// <summary>
/// <c>--allocations</c>: the exact bytes one <see cref="Trainer.Epoch"/> call allocates on the MNIST network (the
/// scenario of <see cref="TrainingStepBenchmarks"/>), for one batch of 128 and for ten, in float64 and float32, next to
/// what the returned model and optimizer state occupy: 8·|θ|·(1 + optimizer buffers) bytes of parameters. The difference
/// between ten steps and one, less what grows with the data (the permutation, the float32 copy of the inputs), divided by
/// nine, is what a step allocates inside a run. Measured with <see cref="GC.GetTotalAllocatedBytes"/>(precise), every
/// thread, the least of eight calls (the first ones also count the JIT's allocations).
/// </summary>
internal static class Allocations
{
    public static int Run()
    {
        var network = MnistScenario.Network();
        var optimizer = MnistScenario.Optimizer();
        var state = optimizer.Init(network.Parameters);
        int theta = network.ParameterCount, buffers = state.Buffers.Count;
        long returned = 8L * theta * (1 + buffers);
        Console.WriteLine($"|θ| = {theta:N0}, optimizer buffers: {buffers}; returned model and state: 8·|θ|·(1 + {buffers}) = {returned:N0} bytes");
        Console.WriteLine($"{"precision",-10}{"batches",8}{"allocated bytes",18}{"of which set-up",18}{"per extra step",16}");
        foreach (var precision in new[] { Precision.Float64, Precision.Float32 })
        {
            var options = MnistScenario.Options(precision);
            long Bytes(Dataset data)
            {
                long least = long.MaxValue;
                for (int i = 0; i < 8; i++)
                {
                    long before = GC.GetTotalAllocatedBytes(precise: true);
                    Trainer.Epoch(network, state, data, options, epoch: 1);
                    least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
                }
                return least;
            }
            long one = Bytes(MnistScenario.Data(MnistScenario.Batch));
            long ten = Bytes(MnistScenario.Data(10 * MnistScenario.Batch));
            // Proportional to the data, not to the steps: the epoch's permutation (an int per sample). (The engine, its
            // workspaces and, in float32, its copy of the inputs are reused from the previous call on this thread.)
            long inputs = 4L * 9 * MnistScenario.Batch;
            string name = precision == Precision.Float32 ? "float32" : "float64";
            Console.WriteLine($"{name,-10}{1,8}{one,18:N0}{one - returned,18:N0}{"",16}");
            Console.WriteLine($"{name,-10}{10,8}{ten,18:N0}{ten - returned,18:N0}{(ten - one - inputs) / 9.0,16:N1}");
        }
        return 0;
    }
}
