using MathDnn.Calculus;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests;

/// <summary>
/// The README's C# quick start, compiled and run here. The code between the markers must equal the README's
/// ```csharp block marked quickstart (a test compares them), so the README never rots.
/// </summary>
public class ReadmeExamples
{
    [Fact]
    public void Csharp_quick_start_runs_and_does_what_the_README_says()
    {
        // README quickstart begin
        // 𝒩_c+ = 𝓢 ∘ 𝕃 ∘ 𝓡 ∘ 𝕃 (003 Def 5.1): 4 inputs, 8 hidden ReLU units, 3 classes; one sample per row.
        var net = Network.MultiClass([4, 8, 3], seed: 1);
        var x = Matrix<double>.Build.DenseOfRowArrays([0.5, -1.0, 2.0, 0.0], [1.0, 0.2, -0.3, 0.7], [-0.4, 0.9, 0.1, -1.2]);
        var y = Matrix<double>.Build.DenseOfRowArrays([1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]);

        // The objective of 003 Def 5.2 and its gradient by backpropagation...
        var objective = new Objective(new CategoricalCrossEntropy(), Reduction.Sum);
        var (loss, gradient) = objective.ValueAndGradient(net, x, y);

        // ...checked against central finite differences.
        var o = objective.AsFunctionOfParameters(net, x, y);
        var check = FiniteDifferences.CheckGradient(theta => o.Apply(theta)[0], gradient.ToVector(), net.Parameters.ToVector());
        Console.WriteLine($"O = {loss:F4}, {check}");

        // An optimizer step is a pure state transition (θ, v) → (θ′, v′); nothing is mutated.
        var sgd = Optim.Momentum(0.1, mu: 0.9);
        var v0 = sgd.Init(net.Parameters);
        var (theta1, v1) = sgd.Step(net.Parameters, gradient, v0);

        // Training is a fold over seeded, shuffled mini-batches.
        var fit = Trainer.Fit(net, new Dataset(x, y), new TrainingOptions(new CategoricalCrossEntropy(), sgd) { Epochs = 100, BatchSize = 3 });
        Console.WriteLine($"loss {fit.History[0].Loss:F4} → {fit.History[^1].Loss:F4}; predictions {string.Join(",", fit.Model.Predict(x))}");
        // README quickstart end

        // Error of central differences ≈ ε^{2/3}·scale ≈ 1e-10 here; relative to gradient entries of size ≥ 1e-3, below 1e-6.
        Assert.True(check.MaxRelativeError < 1e-6, check.ToString());
        Assert.Equal(1, v1.Count);
        Assert.Equal(0, v0.Count); // the old state is untouched
        Assert.NotEqual(net.Parameters, theta1);
        Assert.True(fit.History[^1].Loss < fit.History[0].Loss / 10, "100 epochs on 3 samples fit them");
        Assert.Equal([0, 2, 1], fit.Model.Predict(x));
    }

    [Fact]
    public void README_shows_exactly_the_code_that_runs() =>
        ReadmeBlocks.AssertShows("quickstart-csharp", "tests/MathDnn.Tests/ReadmeExamples.cs", "quickstart");
}
