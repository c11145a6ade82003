using System.Globalization;
using MathDnn.IO;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Cli;

public sealed class PredictCommandTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private static double[][] ParseCsv(string csv, out string[] header)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }

    [Fact]
    public void Probabilities_equal_the_saved_network_bit_for_bit_after_save_and_load()
    {
        var model = h.P("m.json");
        CliHarness.Run("train", "--data", "spirals", "--layers", "8", "--epochs", "2", "--out", model).AssertOk();
        var data = h.Write("x.csv", "0.1,0.2\n-0.5,0.3\n0.9,-0.9\n0,0\n");
        var r = CliHarness.Run("predict", "--model", model, "--data", data).AssertOk();
        var rows = ParseCsv(r.Out, out var header);
        Assert.Equal(["p0", "p1", "p2", "predicted"], header);
        Assert.Equal(4, rows.Length);

        // The network as loaded from the file, applied in memory: the CSV's round-trip doubles are the same bits.
        var net = ModelFile.Load(model).Network;
        var x = Matrix<double>.Build.DenseOfRowArrays([0.1, 0.2], [-0.5, 0.3], [0.9, -0.9], [0.0, 0.0]);
        var p = net.Forward(x);
        var predicted = net.Predict(x);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++) Assert.Equal(BitConverter.DoubleToInt64Bits(p[i, j]), BitConverter.DoubleToInt64Bits(rows[i][j]));
            Assert.Equal(predicted[i], (int)rows[i][3]);
            // Softmax rows sum to 1 up to the rounding of 3 terms: ≤ 4ε.
            Assert.Equal(1.0, rows[i][0] + rows[i][1] + rows[i][2], 14);
        }
    }

    [Fact]
    public void A_trailing_label_column_is_ignored_and_other_widths_are_rejected_by_line()
    {
        var model = h.P("m.json");
        CliHarness.Run("train", "--data", "moons", "--layers", "4", "--epochs", "1", "--out", model).AssertOk();
        var plain = CliHarness.Run("predict", "--model", model, "--data", h.Write("a.csv", "0.5,0.5\n")).AssertOk().Out;
        var labelled = CliHarness.Run("predict", "--model", model, "--data", h.Write("b.csv", "x,y,label\n0.5,0.5,1\n")).AssertOk().Out;
        Assert.Equal(plain, labelled);
        var wide = h.Write("c.csv", "1,2,3,4\n");
        CliHarness.Run("predict", "--model", model, "--data", wide).AssertBadInput($"{wide}:1: expected 2 feature columns (or 3 with a trailing label)");
    }

    [Fact]
    public void A_single_output_sigmoid_model_gives_two_probabilities()
    {
        var model = h.P("bce.json");
        CliHarness.Run("train", "--data", "moons", "--layers", "4", "--epochs", "1", "--loss", "binary-cross-entropy", "--out", model).AssertOk();
        var rows = ParseCsv(CliHarness.Run("predict", "--model", model, "--data", h.Write("x.csv", "0,0\n1,0.5\n")).AssertOk().Out, out var header);
        Assert.Equal(["p0", "p1", "predicted"], header);
        var net = ModelFile.Load(model).Network;
        var p = net.Forward(Matrix<double>.Build.DenseOfRowArrays([0.0, 0.0], [1.0, 0.5]));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(p[i, 0], rows[i][1]);      // p1 = σ output
            Assert.Equal(1 - p[i, 0], rows[i][0]);  // p0 = 1 − p1
            Assert.Equal(p[i, 0] >= 0.5 ? 1 : 0, (int)rows[i][2]);
        }
    }

    [Fact]
    public void Out_writes_a_file_and_a_failure_leaves_an_existing_file_untouched()
    {
        var model = h.P("m.json");
        CliHarness.Run("train", "--data", "moons", "--layers", "4", "--epochs", "1", "--out", model).AssertOk();
        var output = h.P("p.csv");
        var r = CliHarness.Run("predict", "--model", model, "--data", h.Write("x.csv", "0,0\n"), "--out", output).AssertOk();
        Assert.Equal("", r.Out);
        Assert.StartsWith("p0,p1,predicted", File.ReadAllText(output));

        File.WriteAllText(output, "precious");
        var bad = h.Write("bad.csv", "0,zero\n");
        CliHarness.Run("predict", "--model", model, "--data", bad, "--out", output).AssertBadInput($"{bad}:1: column 2 is \"zero\", expected a number");
        Assert.Equal("precious", File.ReadAllText(output));
        Assert.Empty(Directory.GetFiles(h.Dir, "*.tmp"));
    }

    [Fact]
    public void Data_is_required()
    {
        CliHarness.Run("predict", "--model", "m.json").AssertBadInput("--data");
    }
}
