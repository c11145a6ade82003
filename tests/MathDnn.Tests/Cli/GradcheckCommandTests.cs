using MathDnn.Cli.Models;
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
        Assert.Matches(@"(?m)^largest relative error \S+ \(tolerance 1E-06\): passed$", r.Out);
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
    public void An_impossible_tolerance_makes_the_check_fail_with_exit_code_1()
    {
        var r = CliHarness.Run("gradcheck", "--model", Model(), "--data", h.Write("d.csv", Data), "--tolerance", "1e-300");
        r.AssertFailure(1, "gradcheck: layer ");
        Assert.Contains("FAILED", r.Out);
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
