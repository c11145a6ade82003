using MathDnn.Activations;
using MathDnn.Layers;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.IO;

// Layers of a user's own, for the model-file tests and the README example (IO/ReadmeModelFileExamples.cs).

/// <summary>
/// A user's layer with a matrix block, a vector block and a setting: y = limit·tanh(x·Mᵀ + c), M ∈ M_{n,n}, c ∈ ℝⁿ,
/// written one sample at a time (<see cref="PerSampleLayer"/>).
/// </summary>
internal sealed record ScaledTanh(int Features, double Limit) : PerSampleLayer
{
    public override string Name => "scaled-tanh";
    public override int? InputSize => Features;
    public override int OutputSize(int inputSize) => Features;
    public override IReadOnlyList<ParameterShape> ParameterShapes => [new("M", Features, Features), ParameterShape.Vector("c", Features)];
    public override IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["limit"] = Limit };

    private (Matrix<double> M, Vector<double> C) Split(Vector<double> theta) =>
        (Matrix<double>.Build.Dense(Features, Features, (i, j) => theta[i * Features + j]), theta.SubVector(Features * Features, Features));

    public override Vector<double> Apply(Vector<double> parameters, Vector<double> x, Batch batch)
    {
        var (m, c) = Split(parameters);
        return (m * x + c).Map(z => Limit * Math.Tanh(z));
    }

    public override (Vector<double> Input, Vector<double> Parameters) Pullback(Vector<double> parameters, Vector<double> x, Vector<double> y, Vector<double> upstream, Batch batch)
    {
        var (m, _) = Split(parameters);
        var g = Vector<double>.Build.Dense(Features, i => upstream[i] * (Limit - y[i] * y[i] / Limit)); // limit·(1 − tanh²)
        var theta = new double[Features * Features + Features];
        for (int i = 0; i < Features; i++)
        {
            for (int j = 0; j < Features; j++) theta[i * Features + j] = g[i] * x[j];
            theta[Features * Features + i] = g[i];
        }
        return (m.TransposeThisAndMultiply(g), Vector<double>.Build.DenseOfArray(theta));
    }
}

/// <summary>A user's parameter-free activation with a parameterless constructor: x·σ(2x).</summary>
internal sealed record Swish2 : ElementwiseActivation
{
    public override string Name => "swish2";
    public override T Value<T>(T z) => z * Sigmoid.Logistic(z + z);
    public override T Derivative<T>(T z, T y)
    {
        var s = Sigmoid.Logistic(z + z);
        return s + (z + z) * s * (T.One - s);
    }
}
