using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MathDnn.Calculus;
using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;
using Control = MathNet.Numerics.Control;
using Precision = MathDnn.Training.Precision;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Bench;

/// <summary>
/// The MNIST scenario of <c>mathdnn bench</c> (784 → 256 → 128 → 10, ReLU, softmax, categorical cross-entropy, SGD with
/// momentum 0.9 in PyTorch's convention, lr 0.01, batch 128) on seeded synthetic data of MNIST's shape: inputs U(0, 1),
/// labels i mod 10 (speed and memory do not depend on the values).
/// </summary>
internal static class MnistScenario
{
    public const int Batch = 128;

    public static Network Network() => Networks.Network.MultiClass([784, 256, 128, 10], seed: 1);

    public static Dataset Data(int samples)
    {
        var rng = new Rng(3);
        var x = Matrix<double>.Build.Dense(samples, 784, (_, _) => rng.NextDouble());
        return Dataset.FromLabels(x, Enumerable.Range(0, samples).Select(i => i % 10).ToArray(), 10);
    }

    public static Optimizer Optimizer() => Optim.Momentum(0.01, 0.9, MomentumConvention.PyTorch);

    public static TrainingOptions Options(Precision precision) =>
        new(new CategoricalCrossEntropy(), Optimizer()) { BatchSize = Batch, Epochs = 1, Seed = 5, Precision = precision };
}

/// <summary>
/// One training step: <see cref="Trainer.Epoch"/> on exactly one batch of 128, so each call also pays the run's set-up
/// (the engine's working copies of θ and of the optimizer buffer, its workspace) and returns a new model and state:
/// 8·|θ|·(1 + 1 momentum buffer) bytes for those two, with |θ| = 235,146. Float32 against the float64 baseline.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Network _network = null!;
    private OptimizerState _state = null!;
    private Dataset _batch = null!;
    private TrainingOptions _float64 = null!, _float32 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = MnistScenario.Network();
        _state = MnistScenario.Optimizer().Init(_network.Parameters);
        _batch = MnistScenario.Data(MnistScenario.Batch);
        (_float64, _float32) = (MnistScenario.Options(Precision.Float64), MnistScenario.Options(Precision.Float32));
    }

    [Benchmark(Baseline = true)]
    public Network Float64() => Trainer.Epoch(_network, _state, _batch, _float64, epoch: 1).Model;

    [Benchmark]
    public Network Float32() => Trainer.Epoch(_network, _state, _batch, _float32, epoch: 1).Model;
}

/// <summary>
/// One epoch of ten steps: <see cref="Trainer.Epoch"/> on 1,280 samples. Against <see cref="TrainingStepBenchmarks"/>, the
/// nine extra steps show what a step costs and allocates inside a run (the set-up is paid once). Float32 against the
/// float64 baseline.
/// </summary>
[MemoryDiagnoser]
public class TrainingEpochBenchmarks
{
    private Network _network = null!;
    private OptimizerState _state = null!;
    private Dataset _data = null!;
    private TrainingOptions _float64 = null!, _float32 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = MnistScenario.Network();
        _state = MnistScenario.Optimizer().Init(_network.Parameters);
        _data = MnistScenario.Data(10 * MnistScenario.Batch);
        (_float64, _float32) = (MnistScenario.Options(Precision.Float64), MnistScenario.Options(Precision.Float32));
    }

    [Benchmark(Baseline = true)]
    public Network Float64() => Trainer.Epoch(_network, _state, _data, _float64, epoch: 1).Model;

    [Benchmark]
    public Network Float32() => Trainer.Epoch(_network, _state, _data, _float32, epoch: 1).Model;
}

/// <summary>
/// The forward pass of the MNIST network on a batch of 128: the same composition 𝓢∘𝕃∘𝓡∘𝕃∘𝓡∘𝕃 (003 Def 5.1) written
/// with MathNet's managed matrices (the baseline), the public <see cref="Network.Forward"/> (which converts the MathNet
/// matrix in and out), and the engine's own pass over row-major buffers in float64 and float32.
/// </summary>
[MemoryDiagnoser]
public class ForwardBenchmarks
{
    private Network _network = null!;
    private Matrix<double> _x = null!;
    private Matrix<double>[] _w = [];
    private Vector<double>[] _b = [];
    private Mat<double> _x64 = null!;
    private Mat<float> _x32 = null!;
    private float[] _theta32 = [];

    [GlobalSetup]
    public void Setup()
    {
        Control.UseManaged();
        _network = MnistScenario.Network();
        _x = MnistScenario.Data(MnistScenario.Batch).Inputs;
        _w = [.. new[] { 0, 2, 4 }.Select(_network.Parameters.Weights)];
        _b = [.. new[] { 0, 2, 4 }.Select(_network.Parameters.Bias)];
        _x64 = Mat.From(_x);
        _x32 = new Mat<float>(_x64.Data.Select(v => (float)v).ToArray(), _x64.Rows, _x64.Cols);
        _theta32 = [.. _network.Parameters.ToArray().Select(v => (float)v)];
    }

    [Benchmark(Baseline = true)]
    public Matrix<double> MathNet()
    {
        var a = _x;
        for (int k = 0; k < 3; k++)
        {
            var z = a.TransposeAndMultiply(_w[k]);
            var bias = _b[k];
            z.MapIndexedInplace((_, j, v) => v + bias[j]);
            if (k < 2) z.MapInplace(v => Math.Max(v, 0));
            a = z;
        }
        // Softmax per row, max-shifted.
        for (int i = 0; i < a.RowCount; i++)
        {
            var row = a.Row(i);
            double max = row.Maximum();
            var e = row.Map(v => Math.Exp(v - max));
            a.SetRow(i, e / e.Sum());
        }
        return a;
    }

    [Benchmark]
    public Matrix<double> Public() => _network.Forward(_x);

    [Benchmark]
    public double[] Engine64() => _network.ForwardAll(_x64, _network.Parameters.AsSpan())[^1].Data;

    [Benchmark]
    public float[] Engine32() => _network.ForwardAll<float>(_x32, _theta32)[^1].Data;
}

/// <summary>
/// The explicit Jacobians of a small 𝒩_c+ 8 → 16 → 4 (ReLU, softmax) at one input: the input Jacobian J_N(x) ∈ M_{4,8}
/// (003 Thm 1.3) and the parameter Jacobian ∈ M_{4,212} (003 Props 4.2–4.3), each against central finite differences
/// of the same function (the baseline of its category: 2·8 and 2·212 forward passes).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JacobianBenchmarks
{
    private Network _network = null!;
    private Vector<double> _x = null!, _theta = null!;
    private DifferentiableFunction _ofInput = null!, _ofParameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = Network.MultiClass([8, 16, 4], seed: 2);
        var rng = new Rng(4);
        _x = Vector<double>.Build.Dense(8, _ => rng.Uniform(-1, 1));
        _theta = _network.Parameters.ToVector();
        _ofInput = _network.AsFunction();
        _ofParameters = _network.AsFunctionOfParameters(_x);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("input")]
    public Matrix<double> InputFiniteDifferences() => FiniteDifferences.Jacobian(_ofInput, _x);

    [Benchmark, BenchmarkCategory("input")]
    public Matrix<double> InputJacobian() => _network.InputJacobian(_x);

    [Benchmark(Baseline = true), BenchmarkCategory("parameters")]
    public Matrix<double> ParameterFiniteDifferences() => FiniteDifferences.Jacobian(_ofParameters, _theta);

    [Benchmark, BenchmarkCategory("parameters")]
    public Matrix<double> ParameterJacobian() => _network.ParameterJacobian(_x);
}
