using System.Text;
using MathDnn.IO;
using MathDnn.Networks;

namespace MathDnn.Tests.Cli;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private string Trained(string data = "spirals", params string[] extra)
    {
        var model = h.P($"{data}-{extra.Length}.json");
        CliHarness.Run(["train", "--data", data, "--layers", "16", "--epochs", "4", "--out", model, .. extra]).AssertOk();
        return model;
    }

    [Fact]
    public void Without_data_it_evaluates_the_test_split_of_the_training_run_and_agrees_with_train()
    {
        var model = h.P("m.json");
        var train = CliHarness.Run("train", "--data", "spirals", "--layers", "16", "--epochs", "4", "--out", model, "--json").AssertOk().Json();
        var j = CliHarness.Run("evaluate", "--model", model, "--json").AssertOk().Json();
        Assert.Equal(train.GetProperty("test_accuracy").GetDouble(), j.GetProperty("accuracy").GetDouble());
        Assert.Equal(train.GetProperty("test_loss").GetDouble(), j.GetProperty("loss").GetDouble());
        Assert.Equal(180, j.GetProperty("samples").GetInt32()); // spirals: 3 × 300, 20 % of each arm
    }

    [Fact]
    public void Json_has_accuracy_per_class_scores_averages_and_a_KxK_confusion_matrix()
    {
        var j = CliHarness.Run("evaluate", "--model", Trained(), "--json").AssertOk().Json();
        int k = j.GetProperty("classes").GetInt32();
        Assert.Equal(3, k);
        var perClass = j.GetProperty("per_class").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], perClass.Select(c => c.GetProperty("class").GetInt32()));
        foreach (var c in perClass)
        {
            foreach (var name in new[] { "precision", "recall", "f1" }) Assert.InRange(c.GetProperty(name).GetDouble(), 0, 1);
            Assert.Equal(60, c.GetProperty("support").GetInt32());
        }
        var confusion = j.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(k, confusion.Length);
        Assert.All(confusion, row => Assert.Equal(k, row.Length));
        // 002 Section 8.1: the diagonal over the total is the accuracy; row sums are the supports.
        int total = confusion.Sum(r => r.Sum()), diagonal = Enumerable.Range(0, k).Sum(i => confusion[i][i]);
        Assert.Equal(j.GetProperty("samples").GetInt32(), total);
        Assert.Equal((double)diagonal / total, j.GetProperty("accuracy").GetDouble());
        Assert.All(confusion, row => Assert.Equal(60, row.Sum()));
        Assert.Equal(j.GetProperty("accuracy").GetDouble(), j.GetProperty("micro_avg").GetProperty("f1").GetDouble(), 15);
        Assert.True(j.TryGetProperty("macro_avg", out _));
    }

    [Fact]
    public void Human_output_has_the_scores_table_and_the_confusion_matrix()
    {
        var r = CliHarness.Run("evaluate", "--model", Trained()).AssertOk();
        Assert.Contains("accuracy  ", r.Out);
        Assert.Matches(@"(?m)^class\s+precision\s+recall\s+f1\s+support$", r.Out);
        Assert.Matches(@"(?m)^macro avg\s", r.Out);
        Assert.Contains("confusion matrix (rows: true class, columns: predicted class)", r.Out);
        Assert.Matches(@"(?m)^true\\pred\s+0\s+1\s+2$", r.Out);
    }

    [Fact]
    public void A_confusion_matrix_computed_by_hand_on_a_tiny_file()
    {
        // A 1-input, 2-class linear model by hand: logits (x, −x), so class 0 iff x > 0 (softmax is monotone).
        var model = h.P("hand.json");
        var net = Network.Create(1, [new MathDnn.Layers.Dense(1, 2), new MathDnn.Activations.Softmax()],
            Parameters.FromArray(new ParameterLayout([new ParameterBlock(0, "W", 2, 1, 0), new ParameterBlock(0, "b", 1, 2, 2)]), [1.0, -1.0, 0.0, 0.0]));
        ModelFile.Save(model, new SavedModel(net, "categorical-cross-entropy"));
        // x:  2 → predicted 0 (true 0), −1 → 1 (true 1), 3 → 0 (true 1), −2 → 1 (true 1).
        var data = h.Write("tiny.csv", "2,0\n-1,1\n3,1\n-2,1\n");
        var j = CliHarness.Run("evaluate", "--model", model, "--data", data, "--json").AssertOk().Json();
        var confusion = j.GetProperty("confusion_matrix");
        Assert.Equal([1, 0], confusion[0].EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([1, 2], confusion[1].EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(0.75, j.GetProperty("accuracy").GetDouble());
        // class 0: p = 1/2 (one of two predicted 0 is right), r = 1/1; F = 2·½·1/(½ + 1) = 2/3.
        var c0 = j.GetProperty("per_class")[0];
        Assert.Equal((0.5, 1.0), (c0.GetProperty("precision").GetDouble(), c0.GetProperty("recall").GetDouble()));
        Assert.Equal(2.0 / 3.0, c0.GetProperty("f1").GetDouble(), 15);
        // loss: mean over the 4 samples of −log softmax(x, −x)_true = log(1 + e^{∓2x}):
        // x = 2 (true 0): log(1 + e^{−4}); x = −1 (true 1): log(1 + e^{−2}); x = 3 (true 1): log(1 + e^{6}); x = −2: log(1 + e^{−4}).
        double expected = (Math.Log(1 + Math.Exp(-4)) + Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(6)) + Math.Log(1 + Math.Exp(-4))) / 4;
        Assert.Equal(expected, j.GetProperty("loss").GetDouble(), 12);
    }

    [Fact]
    public void With_a_data_file_labels_outside_the_models_classes_are_named_by_line()
    {
        var model = Trained("moons");
        var data = h.Write("bad.csv", "0.1,0.2,1\n0.3,0.4,2\n");
        CliHarness.Run("evaluate", "--model", model, "--data", data).AssertBadInput($"{data}:2: column 3 (the label) is 2, outside 0..1");
    }

    [Fact]
    public void A_model_and_data_of_different_widths_are_a_shape_mismatch()
    {
        var model = Trained("moons");
        CliHarness.Run("evaluate", "--model", model, "--data", "digits").AssertBadInput("the model takes 2 inputs per sample but digits has 64 feature column(s)");
        var data = h.Write("three.csv", "1,2,3,0\n4,5,6,1\n");
        CliHarness.Run("evaluate", "--model", model, "--data", data).AssertBadInput("the model takes 2 inputs per sample");
    }

    [Fact]
    public void A_regression_model_reports_mse_rmse_and_mae()
    {
        var csv = new StringBuilder();
        for (int i = 0; i < 50; i++) csv.AppendLine(FormattableString.Invariant($"{i / 50.0},{3 * i / 50.0 + 1}"));
        var data = h.Write("reg.csv", csv.ToString());
        var model = h.P("reg.json");
        CliHarness.Run("train", "--data", data, "--target", "2", "--layers", "none", "--epochs", "2", "--out", model).AssertOk();
        var j = CliHarness.Run("evaluate", "--model", model, "--json").AssertOk().Json();
        double mse = j.GetProperty("mse").GetDouble();
        Assert.Equal(Math.Sqrt(mse), j.GetProperty("rmse").GetDouble());
        Assert.Equal(mse, j.GetProperty("loss").GetDouble(), 12); // one target: the mean-squared-error loss is the MSE
        Assert.True(j.GetProperty("mae").GetDouble() <= Math.Sqrt(mse) + 1e-15); // MAE ≤ RMSE (Jensen)
        Assert.Equal(10, j.GetProperty("samples").GetInt32());
    }

    [Fact]
    public void A_hand_written_model_without_a_training_record_needs_data()
    {
        var model = Trained("moons");
        var saved = ModelFile.Load(model);
        ModelFile.Save(model, saved with { Training = null, OptimizerState = null });
        CliHarness.Run("evaluate", "--model", model).AssertBadInput("give --data");
        var r = CliHarness.Run("evaluate", "--model", model, "--data", "moons", "--json").AssertOk().Json();
        Assert.Equal(1000, r.GetProperty("samples").GetInt32());
    }

    [Fact]
    public void The_model_input_scale_multiplies_the_inputs_first()
    {
        // The same hand model as above, saved with input scale −1: x is negated, so the confusion matrix flips.
        var model = h.P("scaled.json");
        var net = Network.Create(1, [new MathDnn.Layers.Dense(1, 2), new MathDnn.Activations.Softmax()],
            Parameters.FromArray(new ParameterLayout([new ParameterBlock(0, "W", 2, 1, 0), new ParameterBlock(0, "b", 1, 2, 2)]), [1.0, -1.0, 0.0, 0.0]));
        ModelFile.Save(model, new SavedModel(net, "categorical-cross-entropy", -1.0));
        var data = h.Write("tiny.csv", "2,1\n-1,0\n");
        var j = CliHarness.Run("evaluate", "--model", model, "--data", data, "--json").AssertOk().Json();
        Assert.Equal(1.0, j.GetProperty("accuracy").GetDouble());
    }
}
