using MathDnn.Activations;
using MathDnn.Calculus;
using MathDnn.Data;
using MathDnn.Jacobians;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Extensions.Tests;

/// <summary>A user's primitives are peers of the library's: networks, training, Jacobians, per-sample gradients.</summary>
public class UserPrimitiveTests
{
    private static Network Net(int seed = 1) =>
        Network.Create(64, [new Dense(64, 32), new Scale(32), new Softsign(), new Dense(32, 16), new Square(), new Dense(16, 10), new Softmax()], seed: seed);

    [Theory]
    [InlineData(Precision.Float64)]
    [InlineData(Precision.Float32)]
    public void A_network_of_user_primitives_trains_on_the_digits(Precision precision)
    {
        var (train, test) = BuiltInData.Digits().Split(0.2, seed: 42);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Adam(0.01)) { BatchSize = 32, Epochs = 15, Seed = 42, Precision = precision };
        var result = Trainer.Fit(Net(), train, options);
        var (_, accuracy) = Trainer.Evaluate(result.Model, test, options.Loss);
        Assert.True(result.History[^1].Loss < result.History[0].Loss / 3, $"loss {result.History[0].Loss} → {result.History[^1].Loss}");
        Assert.True(accuracy >= 0.9, $"test accuracy {accuracy:P2}");
        // The learned scale moved away from its start at 1.
        var s = result.Model.Parameters.Layout.Block(1, "s");
        Assert.Contains(result.Model.Parameters.AsSpan().Slice(s.Offset, s.Length).ToArray(), v => Math.Abs(v - 1) > 1e-3);
    }

    [Fact]
    public void Its_input_Jacobian_is_the_chain_of_the_primitives_Jacobians_003_Thm_1_3()
    {
        var net = Trained();
        var x = Vector<double>.Build.Dense(64, i => (i % 7) / 7.0);
        var check = FiniteDifferences.CheckJacobian(net.AsFunction(), x);
        // Central differences with h = ε^{1/3}·max(1, |x|): truncation h²·|f'''| + rounding ε|f|/h ≈ 1e-10 on O(1) entries.
        Assert.True(check.MaxRelativeError < 1e-6, check.ToString());
        // The structured map keeps the user's diagonal (Scale says so) and the derived per-sample blocks (Square gives only its backward pass).
        var map = net.InputJacobianMap(x);
        Assert.Contains(map.Structure, s => s.Contains("diag", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(net.InputJacobian(x, JacobianOrder.FromInput), map.ToMatrix(JacobianOrder.FromOutput), new MatrixComparer(1e-12));
    }

    [Fact]
    public void Per_sample_gradients_of_user_primitives_are_the_gradients_of_each_sample_alone()
    {
        var net = Trained();
        var data = BuiltInData.Digits().Split(0.01, seed: 3).Second;
        var x = data.Inputs.SubMatrix(0, 4, 0, 64);
        var y = data.Targets.SubMatrix(0, 4, 0, 10);
        var objective = new Objective(new CategoricalCrossEntropy(), Reduction.Sum);
        var perSample = objective.PerSampleGradients(net, x, y);
        for (int s = 0; s < 4; s++)
        {
            var alone = objective.Gradient(net, x.SubMatrix(s, 1, 0, 64), y.SubMatrix(s, 1, 0, 10)).ToVector();
            // The same passes on one row; only the products' blocking differs (a 4-row and a 1-row GEMM may sum in another
            // order): each δ entry is a dot product of ≤ 64 terms, off by ≤ 64·2⁻⁵³ of its terms' size, carried through 3
            // layers with weights and activation slopes ≤ ~3: ≤ 3·64·2⁻⁵³·3³ ≈ 6e-13 relative to max(1, ‖g‖∞); bound 1e-12.
            Assert.True((perSample.Row(s) - alone).InfinityNorm() <= 1e-12 * Math.Max(1, alone.InfinityNorm()), $"sample {s}");
        }
    }

    [Fact]
    public void The_simple_double_form_and_the_span_form_run_in_the_same_engine()
    {
        // Square (per-sample, double) in a float32 forward pass agrees with float64 to float rounding.
        var net = Trained();
        var x = BuiltInData.Digits().Split(0.01, seed: 3).Second.Inputs;
        var f64 = net.Forward(x).ToRowMajorArray();
        var f32 = new float[f64.Length];
        net.Forward<float>(x.ToRowMajorArray().Select(v => (float)v).ToArray(), f32);
        for (int i = 0; i < f64.Length; i++)
            // softmax outputs in [0, 1] after 3 products of width ≤ 64: 64·3·2⁻²⁴·(the activations' scale ≲ 10) ≈ 1e-4.
            Assert.True(Math.Abs(f64[i] - f32[i]) <= 1e-4, $"output {i}: {f64[i]} vs {f32[i]}");
    }

    private static Network Trained()
    {
        var train = BuiltInData.Digits().Split(0.2, seed: 42).First;
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Adam(0.01)) { BatchSize = 32, Epochs = 2, Seed = 42 };
        return Trainer.Fit(Net(), train, options).Model;
    }

    private sealed class MatrixComparer(double tolerance) : IEqualityComparer<Matrix<double>>
    {
        public bool Equals(Matrix<double>? a, Matrix<double>? b) => a is not null && b is not null && (a - b).InfinityNorm() <= tolerance * Math.Max(1, a.InfinityNorm());
        public int GetHashCode(Matrix<double> m) => 0;
    }
}

public class UserPrimitiveAllocationTests
{
    [Theory]
    [InlineData(Precision.Float64)]
    [InlineData(Precision.Float32)]
    public void A_training_step_through_user_primitives_allocates_nothing_in_steady_state(Precision precision)
    {
        var data = BuiltInData.Digits().Split(0.5, seed: 1).Second;
        var net = Network.Create(64, [new Dense(64, 32), new Scale(32), new Softsign(), new Dropout(0.2), new LayerNorm(32), new Dense(32, 10), new Softmax()], seed: 1);
        long Allocated(int epochs, int batch)
        {
            var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Momentum(0.05, 0.9)) { Epochs = epochs, BatchSize = batch, Precision = precision };
            Trainer.Fit(net, data, options); // warm up (JIT)
            long before = GC.GetAllocatedBytesForCurrentThread();
            Trainer.Fit(net, data, options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        // Bytes per step: epochs 6 − epochs 2 cancels what a run allocates once (workspace, engine); batch 5 − batch 30 cancels
        // what an epoch allocates once (the returned snapshot of θ and state, the shuffled order, records, which grow with the
        // number of layers), leaving 4 epochs' worth of the extra steps. Less than one 24-byte object per step means none.
        int steps5 = (data.Count + 4) / 5, steps30 = (data.Count + 29) / 30;
        var measured = new List<double>();
        for (int attempt = 0; attempt < 5 && (measured.Count == 0 || measured.Min() >= 24); attempt++)
            measured.Add(((Allocated(6, 5) - Allocated(2, 5)) - (Allocated(6, 30) - Allocated(2, 30))) / (4.0 * (steps5 - steps30)));
        Assert.True(measured.Min() < 24, $"{string.Join(", ", measured)} bytes per step in {measured.Count} measurements");
    }
}

public class UserPrimitiveOptimizerTests
{
    public static TheoryData<string> Optimizers => new() { "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad", "chain" };

    private static Optimizer Build(string name) => name switch
    {
        "sgd" => Optim.Sgd(0.1),
        "momentum" => Optim.Momentum(0.05, 0.9),
        "nesterov" => Optim.Nesterov(0.05, 0.9),
        "rmsprop" => Optim.RmsProp(0.003),
        "adam" => Optim.Adam(0.005),
        "adamw" => Optim.AdamW(0.005, 0.01),
        "adagrad" => Optim.AdaGrad(0.05),
        _ => Optim.Chain(Optim.ClipByGlobalNorm(1.0), Optim.Adam(0.005)),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void User_primitives_train_with_every_optimizer(string optimizer)
    {
        var data = BuiltInData.Digits().Split(0.3, seed: 4).Second;
        var net = Network.Create(64, [new Dense(64, 24), new Scale(24), new Softsign(), new Dense(24, 10), new Softmax()], seed: 3);
        foreach (var precision in new[] { Precision.Float64, Precision.Float32 })
        {
            var options = new TrainingOptions(new CategoricalCrossEntropy(), Build(optimizer)) { BatchSize = 16, Epochs = 6, Seed = 1, Precision = precision };
            var result = Trainer.Fit(net, data, options);
            Assert.True(result.History[^1].Loss < 0.6 * result.History[0].Loss, $"{optimizer} ({precision}): loss {result.History[0].Loss} → {result.History[^1].Loss}");
        }
    }
}
