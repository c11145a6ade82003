using MathDnn.IO;
using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Cli;

public sealed class GradcheckCommandTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private const string Data = "0.1,0.2,0\n-0.5,0.3,1\n0.9,-0.9,2\n0.4,0.4,1\n-0.3,-0.7,0\n";

    private string Model(string activation = "tanh", string loss = "categorical-cross-entropy")
    {
        var model = h.P($"{activation}-{loss}.json");
        CliHarness.Run("train", "--data", "spirals", "--layers", "5,4", "--activation", activation, "--loss", loss, "--epochs", "1", "--out", model).AssertOk();
        return model;
    }

    [Fact]
    public void Json_gives_the_003_Def_5_2_objective_and_the_backpropagation_gradient_of_every_layer_in_full_precision()
    {
        var model = Model();
        var data = h.Write("d.csv", Data);
        var j = CliHarness.Run("gradcheck", "--model", model, "--data", data, "--json").AssertOk().Json();
        Assert.Equal("sum", j.GetProperty("reduction").GetString());

        // The same objective and gradient computed here through the core: the JSON holds the same doubles, bit for bit.
        var net = ModelFile.Load(model).Network;
        var x = Matrix<double>.Build.DenseOfRowArrays([0.1, 0.2], [-0.5, 0.3], [0.9, -0.9], [0.4, 0.4], [-0.3, -0.7]);
        var t = Matrix<double>.Build.DenseOfRowArrays([1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [0, 1.0, 0], [1.0, 0, 0]);
        var (value, gradient) = new Objective(new CategoricalCrossEntropy(), Reduction.Sum).ValueAndGradient(net, x, t);
        Assert.Equal(value, j.GetProperty("loss").GetDouble());

        var layers = j.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal([0, 2, 4], layers.Select(l => l.GetProperty("index").GetInt32())); // the dense layers, in order
        foreach (var l in layers)
        {
            int k = l.GetProperty("index").GetInt32();
            var w = l.GetProperty("W").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            var b = l.GetProperty("b").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var expectedW = gradient.Block(gradient.Layout.Block(k, "W"));
            var expectedB = gradient.Block(gradient.Layout.Block(k, "b"));
            Assert.Equal(expectedW.RowCount, w.Length);
            for (int r = 0; r < w.Length; r++) Assert.Equal(expectedW.Row(r).ToArray(), w[r]);
            Assert.Equal(expectedB.Row(0).ToArray(), b);
            Assert.True(l.GetProperty("max_relative_error").GetDouble() <= 1e-6);
        }
        Assert.True(j.GetProperty("max_relative_error").GetDouble() <= 1e-6);
        Assert.True(j.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Mean_reduction_divides_the_objective_by_the_number_of_samples()
    {
        var model = Model();
        var data = h.Write("d.csv", Data);
        double sum = CliHarness.Run("gradcheck", "--model", model, "--data", data, "--json").AssertOk().Json().GetProperty("loss").GetDouble();
        var mean = CliHarness.Run("gradcheck", "--model", model, "--data", data, "--json", "--reduction", "mean").AssertOk().Json();
        Assert.Equal("mean", mean.GetProperty("reduction").GetString());
        Assert.Equal(sum / 5, mean.GetProperty("loss").GetDouble(), 14);
    }

    [Theory]
    [InlineData("relu", "categorical-cross-entropy")]
    [InlineData("sigmoid", "tanimoto")]
    [InlineData("elu", "squared-hinge")]
    [InlineData("tanh", "binary-cross-entropy")]
    public void Backpropagation_agrees_with_central_differences_for_trained_models(string activation, string loss)
    {
        var model = Model(activation, loss);
        var r = CliHarness.Run("gradcheck", "--model", model, "--data", h.Write("d.csv", Data)).AssertOk();
        Assert.Matches(@"(?m)^largest relative error \S+; 0 entries differ by more than the tolerance 1E-06 plus the finite-difference error: passed$", r.Out);
        Assert.Contains("layer 0 (dense): ∇𝒪 by backpropagation", r.Out);
        Assert.Contains("  W (5×2):", r.Out);
    }

    [Fact]
    public void Samples_limits_the_objective_to_the_first_rows()
    {
        var model = Model();
        var data = h.Write("d.csv", Data);
        var j = CliHarness.Run("gradcheck", "--model", model, "--data", data, "--samples", "2", "--json").AssertOk().Json();
        Assert.Equal(2, j.GetProperty("samples").GetInt32());
        var net = ModelFile.Load(model).Network;
        var x = Matrix<double>.Build.DenseOfRowArrays([0.1, 0.2], [-0.5, 0.3]);
        var t = Matrix<double>.Build.DenseOfRowArrays([1.0, 0, 0], [0, 1.0, 0]);
        Assert.Equal(new Objective(new CategoricalCrossEntropy()).Value(net, x, t), j.GetProperty("loss").GetDouble());
    }

    [Fact]
    public void At_a_ReLU_kink_backpropagation_takes_the_003_Assumption_1_derivative_0_and_the_check_fails_with_exit_code_1()
    {
        // 𝕃(x) = W₁x + b₁ with W₁ = 0, b₁ = 0, at x = 1: the ReLU input is exactly 0. Backpropagation uses 𝓡'(0) = 0
        // (003 Assumption 1), so ∂𝒪/∂W₁ = ∂𝒪/∂b₁ = 0; central differences average the one-sided slopes 0 and s ≠ 0 and
        // give ≈ s/2 at both steps h and 2h, so the difference is not finite-difference error: two entries fail.
        var model = h.P("kink.json");
        var layout = new ParameterLayout([new ParameterBlock(0, "W", 1, 1, 0), new ParameterBlock(0, "b", 1, 1, 1),
            new ParameterBlock(2, "W", 2, 1, 2), new ParameterBlock(2, "b", 1, 2, 4)]);
        var net = Network.Create(1, [new MathDnn.Layers.Dense(1, 1), new MathDnn.Activations.Relu(), new MathDnn.Layers.Dense(1, 2), new MathDnn.Activations.Softmax()],
            Parameters.FromArray(layout, [0.0, 0.0, 1.0, -1.0, 0.0, 0.0]));
        ModelFile.Save(model, new SavedModel(net, "categorical-cross-entropy"));
        var r = CliHarness.Run("gradcheck", "--model", model, "--data", h.Write("k.csv", "1,0\n"));
        r.AssertFailure(1, "gradcheck: 2 gradient entries differ from finite differences beyond the tolerance 1E-06 and the finite-difference error; the worst is layer 0 (dense)");
        Assert.Contains("FAILED", r.Out);
    }

    [Fact]
    public void A_wrong_gradient_entry_is_caught_and_noise_is_not()
    {
        // 003 Def 5.2 on a small tanh network: the true backpropagation gradient passes; the same gradient with its
        // largest entry off by one part in 10⁴ fails exactly there (that entry is ≳ 0.1, so finite differences resolve
        // it to ≈ 1e-10, far below the 1e-5 change).
        var net = Network.Create(2, [new MathDnn.Layers.Dense(2, 4), new MathDnn.Activations.Tanh(), new MathDnn.Layers.Dense(4, 3), new MathDnn.Activations.Softmax()], seed: 3);
        var x = TestData.Random(6, 2, seed: 1, scale: 2);
        var t = TestData.OneHot(6, 3, seed: 2);
        var objective = new Objective(new CategoricalCrossEntropy());
        var (value, gradient) = objective.ValueAndGradient(net, x, t);
        var f = objective.AsFunctionOfParameters(net, x, t);
        var theta = net.Parameters.ToVector();
        var numeric = MathDnn.Calculus.FiniteDifferences.Gradient(v => f.Apply(v)[0], theta);
        var coarse = MathDnn.Calculus.FiniteDifferences.Gradient(v => f.Apply(v)[0], theta, stepScale: 2.0);
        Assert.All(MathDnn.Cli.Commands.GradcheckCommand.Compare(net, gradient, numeric, coarse, value, 1e-6), l => Assert.Equal(0, l.Failed));

        var g = gradient.ToArray();
        int k = Enumerable.Range(0, g.Length).MaxBy(i => Math.Abs(g[i]));
        Assert.True(Math.Abs(g[k]) > 0.1);
        g[k] *= 1 + 1e-4;
        var tampered = Parameters.FromArray(gradient.Layout, g);
        var layers = MathDnn.Cli.Commands.GradcheckCommand.Compare(net, tampered, numeric, coarse, value, 1e-6);
        Assert.Equal(1, layers.Sum(l => l.Failed));
        var (block, row, column) = gradient.Layout.Locate(k);
        var bad = layers.Single(l => l.Failed == 1);
        Assert.Equal(block.Layer, bad.Index);
        Assert.Equal(block.Rows == 1 ? $"{block.Name}[{column}]" : $"{block.Name}[{row}][{column}]", bad.Where);
    }

    [Fact]
    public void Missing_data_and_bad_options_are_bad_input()
    {
        var model = Model();
        CliHarness.Run("gradcheck", "--model", model).AssertBadInput("--data");
        CliHarness.Run("gradcheck", "--model", model, "--data", h.Write("d.csv", Data), "--reduction", "max").AssertBadInput("max");
        CliHarness.Run("gradcheck", "--model", model, "--data", h.Write("d.csv", Data), "--samples", "0").AssertBadInput("--samples 0");
    }
}
