using MathDnn.Data;
using MathDnn.Losses;
using MathDnn.Mpi;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Tests.Distributed;

/// <summary>The README's C# block of "Training on several machines", run here in one process (Communicator.Single).</summary>
public class ReadmeDistributedExamples
{
    [Fact]
    public void The_README_distributed_example_runs_and_prints_True()
    {
        var console = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            // README distributed begin
            var comm = MpiCommunicator.FromEnvironment();   // MPI_COMM_WORLD under mpirun, Communicator.Single otherwise
            var (train, _) = BuiltInData.Digits().Split(0.2, seed: 42);
            var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.KerasSgd(0.05, 0.9, 1e-4)) { BatchSize = 32, Epochs = 5, Seed = 42 };
            var result = Trainer.Fit(Network.MultiClass([64, 64, 32, 10], seed: 42), train, options, communicator: comm);

            // Every rank holds this model; one process with Shards = N computes it too, bit for bit.
            var alone = Trainer.Fit(Network.MultiClass([64, 64, 32, 10], seed: 42), train, options with { Shards = comm.Size });
            Console.WriteLine(result.Model.Parameters.Equals(alone.Model.Parameters));   // True
            // README distributed end
            Assert.Same(MathDnn.Distributed.Communicator.Single, comm); // the test process was not started by mpirun
        }
        finally
        {
            Console.SetOut(console);
        }
        Assert.Equal("True", captured.ToString().Trim());
        ReadmeBlocks.AssertShows("distributed-csharp", "tests/MathDnn.Tests/Distributed/ReadmeDistributedExamples.cs", "distributed");
    }
}
