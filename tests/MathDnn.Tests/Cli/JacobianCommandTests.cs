using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using MathDnn.IO;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Cli;

/// <summary>Models trained once for the class: a 2-input spirals classifier (3 classes) and a 64-input digits classifier.</summary>
public sealed class JacobianModels : IDisposable
{
    private readonly CliHarness h = new();

    public JacobianModels()
    {
        Spirals = h.P("spirals.json");
        CliHarness.Run("train", "--data", "spirals", "--layers", "5,4", "--activation", "tanh", "--epochs", "1", "--out", Spirals).AssertOk();
        Digits = h.P("digits.json");
        CliHarness.Run("train", "--data", "digits", "--layers", "8", "--epochs", "1", "--out", Digits).AssertOk();
    }

    public string Spirals { get; }
    public string Digits { get; }

    public void Dispose() => h.Dispose();
}

public sealed class JacobianCommandTests(JacobianModels models) : IClassFixture<JacobianModels>, IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private static readonly double[][] Inputs = [[0.1, 0.2], [-0.5, 0.3], [0.9, -0.9], [0.0, 0.0]];
    private const string InputCsv = "0.1,0.2\n-0.5,0.3\n0.9,-0.9\n0,0\n";

    private static Vector<double> X(int s) => Vector<double>.Build.DenseOfArray(Inputs[s]);

    /// <summary>
    /// The same value up to 1e-12 relative to max(1, |expected|). The command computes its samples as one batch, the test
    /// one sample at a time, on other kernels (a packed product against dot products), so they differ by rounding: each is
    /// within (Σ inner widths)·ε·(|J_p|⋯|J_1|) of the exact Jacobian, Σ ≤ 64 + 8 + 10 = 82 for these models, i.e.
    /// ≤ 2·82·2.2e-16 ≈ 3.6e-14 times entries of |J_p|⋯|J_1| of order 1 (weights of one epoch, inputs in [−1, 1]):
    /// 1e-12 leaves a margin of about 25 for that order.
    /// </summary>
    private static void Close(double expected, double actual, string where) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{where}: expected {expected:R}, got {actual:R}");

    private static (string[] Header, double[][] Rows) ParseCsv(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray());
    }

    private static double[][] Rows(JsonElement matrix) =>
        matrix.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    /// <summary>64-wide inputs in [0, 1] (8×8 images), one per line.</summary>
    private static string ImageCsv(int samples, bool label = false) =>
        string.Concat(Enumerable.Range(0, samples).Select(s =>
            string.Join(',', Enumerable.Range(0, 64).Select(j => ((s * 7 + j * 13) % 17 / 16.0).ToString("R", CultureInfo.InvariantCulture))
                .Concat(label ? [(s % 10).ToString(CultureInfo.InvariantCulture)] : [])) + "\n"));

    [Fact]
    public void Out_csv_holds_Network_InputJacobian_of_every_sample_one_line_per_output_row()
    {
        var output = h.P("j.csv");
        var r = CliHarness.Run("jacobian", "--model", models.Spirals, "--data", h.Write("x.csv", InputCsv), "--out", output).AssertOk();
        Assert.Contains($"CSV saved to {output}", r.Out);
        var (header, rows) = ParseCsv(File.ReadAllText(output));
        Assert.Equal(["sample", "output", "d0", "d1"], header);

        var net = ModelFile.Load(models.Spirals).Network;
        Assert.Equal(Inputs.Length * net.OutputSize, rows.Length);
        for (int s = 0; s < Inputs.Length; s++)
        {
            var j = net.InputJacobian(X(s));
            Assert.Equal(3, j.RowCount);
            for (int i = 0; i < 3; i++)
            {
                var line = rows[s * 3 + i];
                Assert.Equal(s, (int)line[0]);
                Assert.Equal(i, (int)line[1]);
                Assert.Equal(2 + 2, line.Length);
                for (int c = 0; c < 2; c++) Close(j[i, c], line[2 + c], $"sample {s} J[{i}][{c}]");
            }
        }
    }

    [Fact]
    public void A_trailing_label_column_is_ignored_as_predict_does()
    {
        var plain = h.P("plain.csv");
        var labelled = h.P("labelled.csv");
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", h.Write("a.csv", InputCsv), "--out", plain).AssertOk();
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", h.Write("b.csv", "x,y,label\n0.1,0.2,0\n-0.5,0.3,1\n0.9,-0.9,2\n0,0,1\n"), "--out", labelled).AssertOk();
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(labelled));
    }

    [Fact]
    public void Json_gives_each_sample_its_prediction_output_and_input_Jacobian_as_rows()
    {
        var j = CliHarness.Run("jacobian", "--model", models.Spirals, "--data", h.Write("x.csv", InputCsv), "--json").AssertOk().Json();
        var net = ModelFile.Load(models.Spirals).Network;
        var x = Matrix<double>.Build.DenseOfRowArrays(Inputs);
        var predicted = net.Predict(x);
        var outputs = net.Forward(x);
        Assert.Equal("input", j.GetProperty("jacobian").GetString());
        Assert.Equal(3, j.GetProperty("rows").GetInt32());
        Assert.Equal(2, j.GetProperty("columns").GetInt32());
        var samples = j.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(Inputs.Length, samples.Count);
        for (int s = 0; s < samples.Count; s++)
        {
            Assert.Equal(s, samples[s].GetProperty("sample").GetInt32());
            Assert.Equal(predicted[s], samples[s].GetProperty("prediction").GetInt32());
            var o = samples[s].GetProperty("output").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (int i = 0; i < 3; i++) Close(outputs[s, i], o[i], $"sample {s} N(x)[{i}]");
            var rows = Rows(samples[s].GetProperty("jacobian"));
            var expected = net.InputJacobian(X(s));
            Assert.Equal(3, rows.Length);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(2, rows[i].Length);
                for (int c = 0; c < 2; c++) Close(expected[i, c], rows[i][c], $"sample {s} J[{i}][{c}]");
            }
        }
        Assert.Equal(JsonValueKind.Null, j.GetProperty("plot").ValueKind);
    }

    [Fact]
    public void Parameters_gives_the_m_p_by_theta_parameter_Jacobian_of_every_sample()
    {
        var data = h.Write("x.csv", InputCsv);
        var j = CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--parameters", "--json").AssertOk().Json();
        var net = ModelFile.Load(models.Spirals).Network;
        int theta = net.ParameterCount;
        Assert.Equal(2 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3, theta);
        Assert.Equal("parameters", j.GetProperty("jacobian").GetString());
        Assert.Equal(3, j.GetProperty("rows").GetInt32());
        Assert.Equal(theta, j.GetProperty("columns").GetInt32());
        Assert.Equal(net.Parameters.Layout.Blocks.Select(b => b.Offset), j.GetProperty("parameter_blocks").EnumerateArray().Select(b => b.GetProperty("offset").GetInt32()));
        var samples = j.GetProperty("samples").EnumerateArray().ToList();
        for (int s = 0; s < Inputs.Length; s++)
        {
            var rows = Rows(samples[s].GetProperty("jacobian"));
            var expected = net.ParameterJacobian(X(s));
            Assert.Equal(3, rows.Length);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(theta, rows[i].Length);
                for (int c = 0; c < theta; c++) Close(expected[i, c], rows[i][c], $"sample {s} ∂N_{i}/∂θ_{c}");
            }
        }

        var output = h.P("p.csv");
        var r = CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--parameters", "--out", output).AssertOk();
        Assert.Contains($"3×{theta}", r.Out);
        var (header, csvRows) = ParseCsv(File.ReadAllText(output));
        Assert.Equal(2 + theta, header.Length);
        Assert.Equal($"d{theta - 1}", header[^1]);
        Assert.Equal(Inputs.Length * 3, csvRows.Length);
        var last = net.ParameterJacobian(X(3));
        for (int c = 0; c < theta; c++) Close(last[2, c], csvRows[^1][2 + c], $"sample 3 ∂N_2/∂θ_{c}");
    }

    [Fact]
    public void The_summary_gives_per_sample_the_prediction_shape_norm_and_largest_entry()
    {
        var r = CliHarness.Run("jacobian", "--model", models.Spirals, "--data", h.Write("x.csv", InputCsv)).AssertOk();
        var net = ModelFile.Load(models.Spirals).Network;
        var predicted = net.Predict(Matrix<double>.Build.DenseOfRowArrays(Inputs));
        var lines = r.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int headerAt = lines.FindIndex(l => l.StartsWith("sample", StringComparison.Ordinal));
        Assert.True(headerAt > 0, r.Out);
        for (int s = 0; s < Inputs.Length; s++)
        {
            var cells = lines[headerAt + 1 + s].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var j = net.InputJacobian(X(s));
            int at = Enumerable.Range(0, 6).MaxBy(k => Math.Abs(j[k / 2, k % 2]));
            Assert.Equal(s.ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(predicted[s].ToString(CultureInfo.InvariantCulture), cells[1]);
            Assert.Equal("3×2", cells[2]);
            Assert.Equal(j.FrobeniusNorm().ToString("G6", CultureInfo.InvariantCulture), cells[3]);
            Assert.Equal(Math.Abs(j[at / 2, at % 2]).ToString("G6", CultureInfo.InvariantCulture), cells[4]);
            Assert.EndsWith($"output {at / 2}, input {at % 2}", lines[headerAt + 1 + s]);
        }
    }

    [Fact]
    public void A_model_input_scale_gives_the_Jacobian_of_the_network_at_the_scaled_input()
    {
        var saved = ModelFile.Load(models.Spirals);
        var scaled = h.P("scaled.json");
        ModelFile.Save(scaled, saved with { InputScale = 0.5 });
        var j = CliHarness.Run("jacobian", "--model", scaled, "--data", h.Write("x.csv", InputCsv), "--json").AssertOk().Json();
        Assert.Equal(0.5, j.GetProperty("input_scale").GetDouble());
        var rows = Rows(j.GetProperty("samples")[2].GetProperty("jacobian"));
        var expected = saved.Network.InputJacobian(X(2) * 0.5);
        var unscaled = saved.Network.InputJacobian(X(2));
        Assert.True((expected - unscaled).FrobeniusNorm() > 1e-6); // the scale matters at this sample
        for (int i = 0; i < 3; i++)
            for (int c = 0; c < 2; c++) Close(expected[i, c], rows[i][c], $"J[{i}][{c}]");
    }

    [Fact]
    public void Plot_draws_each_input_image_beside_the_saliency_map_of_its_predicted_class()
    {
        var plot = h.P("saliency.svg");
        var data = h.Write("img.csv", ImageCsv(3, label: true));
        var r = CliHarness.Run("jacobian", "--model", models.Digits, "--data", data, "--plot", plot).AssertOk();
        Assert.Contains($"plot saved to {plot} (3 sample(s))", r.Out);
        var svg = XDocument.Load(plot); // well-formed XML
        XNamespace ns = "http://www.w3.org/2000/svg";
        var pairs = svg.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "sample").ToList();
        Assert.Equal(3, pairs.Count);

        var net = ModelFile.Load(models.Digits).Network;
        var x = Matrix<double>.Build.DenseOfRowArrays(Enumerable.Range(0, 3).Select(s =>
            Enumerable.Range(0, 64).Select(j => (s * 7 + j * 13) % 17 / 16.0).ToArray()));
        var predicted = net.Predict(x);
        for (int s = 0; s < 3; s++)
        {
            var pair = pairs[s];
            var input = pair.Elements(ns + "g").Single(g => (string?)g.Attribute("class") == "input");
            var saliency = pair.Elements(ns + "g").Single(g => (string?)g.Attribute("class") == "saliency");
            Assert.StartsWith($"sample {s}: predicted {predicted[s]}", pair.Element(ns + "text")!.Value);
            var inputPixels = input.Elements(ns + "rect").Where(e => e.Attribute("x") is not null).ToList();
            var mapPixels = saliency.Elements(ns + "rect").Where(e => e.Attribute("x") is not null).ToList();
            Assert.Equal(64, inputPixels.Count);
            Assert.Equal(64, mapPixels.Count);
            // The largest |entry| of row c = predicted class of J_N(x) is drawn at the end of the colour map: red if positive, blue if negative.
            var row = net.InputJacobian(x.Row(s)).Row(predicted[s]);
            int at = Enumerable.Range(0, 64).MaxBy(k => Math.Abs(row[k]));
            Assert.Equal(row[at] > 0 ? "#ca0020" : "#0571b0", (string?)mapPixels[at].Attribute("fill"));
            // The input's largest value is white, its smallest black.
            int bright = Enumerable.Range(0, 64).MaxBy(k => x[s, k]), dark = Enumerable.Range(0, 64).MinBy(k => x[s, k]);
            Assert.Equal("#ffffff", (string?)inputPixels[bright].Attribute("fill"));
            Assert.Equal("#000000", (string?)inputPixels[dark].Attribute("fill"));
        }
    }

    [Fact]
    public void Plot_draws_at_most_16_samples_and_says_so()
    {
        var plot = h.P("s.svg");
        var r = CliHarness.Run("jacobian", "--model", models.Digits, "--data", "digits", "--samples", "20", "--plot", plot, "--json").AssertOk();
        var j = r.Json();
        Assert.Equal(20, j.GetProperty("samples").GetArrayLength());
        Assert.Equal(16, j.GetProperty("plot_samples").GetInt32());
        var svg = XDocument.Load(plot);
        Assert.Equal(16, svg.Descendants().Count(e => (string?)e.Attribute("class") == "sample"));
        Assert.Contains("the first 16 of 20 samples", svg.Root!.Value);

        var human = CliHarness.Run("jacobian", "--model", models.Digits, "--data", "digits", "--samples", "17", "--plot", plot).AssertOk();
        Assert.Contains("the first 16 of 17 samples; --plot draws at most 16", human.Out);
    }

    private string Existing(string name)
    {
        var path = h.P(name);
        File.WriteAllBytes(path, [0x70, 0x72, 0x65, 0x63, 0x69, 0x6f, 0x75, 0x73, 0x0a, 0xff]);
        return path;
    }

    private void AssertUntouched(params string[] paths)
    {
        foreach (var p in paths) Assert.Equal([0x70, 0x72, 0x65, 0x63, 0x69, 0x6f, 0x75, 0x73, 0x0a, 0xff], File.ReadAllBytes(p));
        Assert.Empty(Directory.GetFiles(h.Dir, "*.tmp"));
        Assert.Empty(Directory.GetFiles(h.Dir, "*.probe"));
    }

    [Fact]
    public void Missing_files_wrong_widths_and_non_finite_values_are_named_and_leave_outputs_untouched()
    {
        var output = Existing("j.csv");
        var plot = Existing("p.svg");
        var data = h.Write("x.csv", InputCsv);
        var missingModel = h.P("none.json");
        CliHarness.Run("jacobian", "--model", missingModel, "--data", data, "--out", output).AssertBadInput($"{missingModel}: no such model file");
        var missingData = h.P("none.csv");
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", missingData, "--out", output).AssertBadInput($"{missingData}: no such file");
        var wide = h.Write("wide.csv", "1,2,3,4\n");
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", wide, "--out", output)
            .AssertBadInput($"{wide}:1: expected 2 feature columns (or 3 with a trailing label) for the model's input width 2, found 4");
        CliHarness.Run("jacobian", "--model", models.Digits, "--data", "spirals", "--plot", plot)
            .AssertBadInput("the model takes 64 inputs per sample but spirals has 2 feature column(s)");
        var nan = h.Write("nan.csv", "0.1,0.2\n0.3,NaN\n");
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", nan, "--out", output).AssertBadInput($"{nan}:2: column 2 is NaN; values must be finite");
        var text = h.Write("text.csv", "0.1,0.2\n0.3,x\n");
        CliHarness.Run("jacobian", "--model", models.Digits, "--data", text, "--plot", plot).AssertBadInput($"{text}:2: column 2 is \"x\", expected a number");
        var corrupt = h.Write("corrupt.json", "{\"format\": \"mathdnn-model\"");
        CliHarness.Run("jacobian", "--model", corrupt, "--data", data, "--json").AssertBadInput($"{corrupt}: line");
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--samples", "0", "--out", output).AssertBadInput("--samples 0: must be ≥ 1");
        AssertUntouched(output, plot);
    }

    [Fact]
    public void Inputs_that_overflow_the_network_are_named_by_sample()
    {
        // A regression model ends in its dense layer: inputs near the largest double overflow its output to ±∞.
        var rows = string.Concat(Enumerable.Range(0, 30).Select(i => $"{i / 30.0},{(i % 7) / 7.0},{i / 30.0 + (i % 7) / 7.0}\n"));
        var regression = h.P("r.json");
        CliHarness.Run("train", "--data", h.Write("r.csv", rows), "--target", "3", "--layers", "4", "--epochs", "1", "--out", regression).AssertOk();
        var output = Existing("j.csv");
        var big = h.Write("big.csv", "0.5,0.5\n1e308,1e308\n-1e308,-1e308\n");
        var r = CliHarness.Run("jacobian", "--model", regression, "--data", big, "--out", output);
        r.AssertBadInput($"{big}: sample ");
        Assert.Matches(@": sample [12] \(data row [23]\): the (network's output|input Jacobian J_N\(x\) has a non-finite entry).* not finite|non-finite", r.Err);
        AssertUntouched(output);
    }

    [Fact]
    public void Option_conflicts_are_refused_before_any_work()
    {
        var output = Existing("j.csv");
        var plot = Existing("p.svg");
        var data = h.Write("x.csv", InputCsv);
        var images = h.Write("img.csv", ImageCsv(2));
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--json", "--out", output).AssertBadInput($"--json and --out {output}: give one of them");
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--plot", plot)
            .AssertBadInput($"--plot {plot}: the model's input width 2 is not a perfect square");
        CliHarness.Run("jacobian", "--model", models.Digits, "--data", images, "--plot", plot, "--parameters")
            .AssertBadInput($"--plot {plot}: draws input saliency maps; it cannot be combined with --parameters");
        CliHarness.Run("jacobian", "--data", data).AssertBadInput("--model");
        CliHarness.Run("jacobian", "--model", models.Spirals).AssertBadInput("--data");
        AssertUntouched(output, plot);
    }

    [Fact]
    public void A_regression_model_has_no_predicted_class_to_plot()
    {
        var rows = string.Concat(Enumerable.Range(0, 30).Select(i => string.Join(',', Enumerable.Range(0, 4).Select(k => ((i * k + k) % 5 / 5.0).ToString("R", CultureInfo.InvariantCulture))) + "\n"));
        var regression = h.P("r4.json");
        var data = h.Write("r4.csv", rows);
        CliHarness.Run("train", "--data", data, "--target", "4", "--layers", "3", "--epochs", "1", "--out", regression).AssertOk();
        var j = CliHarness.Run("jacobian", "--model", regression, "--data", data, "--samples", "2", "--json").AssertOk().Json();
        Assert.Equal(JsonValueKind.Null, j.GetProperty("samples")[0].GetProperty("prediction").ValueKind);
        Assert.Equal(3, j.GetProperty("columns").GetInt32());
        // Width 3 is no square; a 4-input regression model (a file written here) is refused for being a regression model.
        var saved = ModelFile.Load(regression);
        var square = h.P("sq.json");
        var wide = Network.Create(4, [new MathDnn.Layers.Dense(4, 1)], seed: 1);
        ModelFile.Save(square, saved with { Network = wide, OptimizerState = null });
        var plot = Existing("p.svg");
        var sq = CliHarness.Run("jacobian", "--model", square, "--data", h.Write("sq.csv", "1,2,3,4\n"), "--plot", plot);
        sq.AssertBadInput($"--plot {plot}: {square} is a regression model");
        AssertUntouched(plot);
    }

    [Fact]
    public void An_output_is_never_an_input_or_the_other_output()
    {
        var data = Existing("x.csv");
        File.WriteAllText(data, InputCsv);
        var model = h.P("m.json");
        File.Copy(models.Spirals, model);
        var modelBytes = File.ReadAllBytes(model);
        var dataBytes = File.ReadAllBytes(data);
        CliHarness.Run("jacobian", "--model", model, "--data", data, "--out", data).AssertBadInput($"--out {data}: is also the --data file");
        CliHarness.Run("jacobian", "--model", model, "--data", data, "--out", model).AssertBadInput($"--out {model}: is also the --model file");
        // Written differently, the same file is still recognised.
        var relative = Path.Combine(h.Dir, ".", "sub", "..", "x.csv");
        Directory.CreateDirectory(h.P("sub"));
        CliHarness.Run("jacobian", "--model", model, "--data", data, "--out", relative).AssertBadInput("is also the --data file");
        var images = h.Write("img.csv", ImageCsv(2));
        var plot = Existing("p.svg");
        CliHarness.Run("jacobian", "--model", models.Digits, "--data", images, "--plot", images).AssertBadInput($"--plot {images}: is also the --data file");
        CliHarness.Run("jacobian", "--model", models.Digits, "--data", images, "--out", plot, "--plot", plot).AssertBadInput($"--out {plot}: is also the --plot file");
        Assert.Equal(modelBytes, File.ReadAllBytes(model));
        Assert.Equal(dataBytes, File.ReadAllBytes(data));
        Assert.Equal(ImageCsv(2), File.ReadAllText(images));
        AssertUntouched(plot);
    }

    [Fact]
    public void Output_folders_that_are_missing_or_cannot_be_written_are_named()
    {
        var data = h.Write("x.csv", InputCsv);
        var images = h.Write("img.csv", ImageCsv(2));
        var missing = Path.Combine(h.Dir, "no-such-folder", "j.csv");
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--out", missing).AssertBadInput($"--out {missing}: the folder");
        CliHarness.Run("jacobian", "--model", models.Digits, "--data", images, "--plot", missing).AssertBadInput($"--plot {missing}: the folder");
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--out", h.Dir).AssertBadInput($"--out {h.Dir}: is a folder");
        var underFile = Path.Combine(data, "j.csv"); // the "folder" is a file
        CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--out", underFile).AssertBadInput($"--out {underFile}: the folder");
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
        Assert.Equal(InputCsv, File.ReadAllText(data));
        if (OperatingSystem.IsLinux())
        {
            // /proc exists but no one, not even root, can create a file in it.
            CliHarness.Run("jacobian", "--model", models.Spirals, "--data", data, "--out", "/proc/j.csv")
                .AssertBadInput("--out /proc/j.csv: the folder /proc cannot be written");
        }
    }

    [Fact]
    public void Jacobian_is_listed_by_help_and_by_the_no_command_message()
    {
        var help = CliHarness.Run("--help");
        Assert.Equal(0, help.Code);
        Assert.Matches(@"(?m)^\s+jacobian\s+Input \(or parameter\) Jacobians", help.Out);
        CliHarness.Run().AssertBadInput("gradcheck, jacobian, verify");
        var own = CliHarness.Run("jacobian", "--help");
        Assert.Equal(0, own.Code);
        foreach (var option in new[] { "--model", "--data", "--parameters", "--json", "--out", "--plot", "--samples" }) Assert.Contains(option, own.Out);
    }
}
