using MathDnn.IO;
using MathDnn.Onnx;
using MathDnn.Tests.Cli;

namespace MathDnn.Tests.Onnx;

/// <summary><c>mathdnn export</c> and <c>mathdnn import</c>: files written on success; bad input exits 2 with one line and changes no file.</summary>
public sealed class OnnxCommandTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private string SavedModel(string name, string network = "classic", double? scale = null)
    {
        var path = h.P(name);
        ModelFile.Save(path, new SavedModel(OnnxExportTests.Build(network), "categorical-cross-entropy", scale));
        return path;
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void Export_writes_an_onnx_model_that_predicts_what_the_model_file_predicts(string precision)
    {
        var model = SavedModel("m.json", scale: 0.5);
        var onnx = h.P("m.onnx");
        var r = CliHarness.Run("export", "--model", model, "--onnx", onnx, "--precision", precision).AssertOk();
        Assert.Contains($"wrote {onnx}", r.Out);
        var saved = ModelFile.Load(model);
        var x = TestData.Random(16, 5, seed: 3);
        var p = precision == "float32" ? OnnxPrecision.Float32 : OnnxPrecision.Float64;
        var ort = OnnxKit.Run(File.ReadAllBytes(onnx), x, p);
        // The scale 0.5 is exact, so the model sees 0.5·X in both; tolerances as in OnnxExportTests.
        var xs = x * 0.5;
        double tolerance = p == OnnxPrecision.Float64
            ? 2 * OnnxKit.ErrorBound(saved.Network, xs, OnnxKit.U64, roundsInputs: false)
            : OnnxKit.ErrorBound(saved.Network, xs, OnnxKit.U32, roundsInputs: true) + OnnxKit.ErrorBound(saved.Network, xs, OnnxKit.U64, roundsInputs: false);
        OnnxKit.AssertClose(saved.Network.Forward(xs), ort, tolerance, precision);
    }

    [Fact]
    public void Import_writes_a_model_file_with_the_loss_of_its_last_layer_and_the_input_scale()
    {
        var model = SavedModel("m.json", scale: 0.25);
        var onnx = h.P("m.onnx");
        CliHarness.Run("export", "--model", model, "--onnx", onnx, "--precision", "float64").AssertOk();
        var back = h.P("back.json");
        CliHarness.Run("import", "--onnx", onnx, "--out", back).AssertOk();
        var saved = ModelFile.Load(back);
        Assert.Equal("categorical-cross-entropy", saved.Loss); // softmax last
        Assert.Equal(0.25, saved.InputScale);
        Assert.Equal(ModelFile.Load(model).Network.Parameters.ToArray(), saved.Network.Parameters.ToArray());

        var regression = SavedModel("r.json", "leaky-dropout");
        CliHarness.Run("export", "--model", regression, "--onnx", onnx).AssertOk();
        CliHarness.Run("import", "--onnx", onnx, "--out", back).AssertOk();
        Assert.Equal("squared-error", ModelFile.Load(back).Loss); // identity last
        CliHarness.Run("import", "--onnx", onnx, "--out", back, "--loss", "l1").AssertOk();
        Assert.Equal("l1", ModelFile.Load(back).Loss);
    }

    [Fact]
    public void The_pytorch_fixture_imports_from_the_command_line()
    {
        var back = h.P("torch.json");
        CliHarness.Run("import", "--onnx", Path.Combine(AppContext.BaseDirectory, "Onnx", "fixtures", "mlp.onnx"), "--out", back).AssertOk();
        Assert.Equal(3, ModelFile.Load(back).Network.OutputSize);
    }

    [Fact]
    public void A_truncated_onnx_file_exits_2_naming_it_and_leaves_the_output_as_it_was()
    {
        var model = SavedModel("m.json");
        var onnx = h.P("m.onnx");
        CliHarness.Run("export", "--model", model, "--onnx", onnx).AssertOk();
        var cut = h.P("cut.onnx");
        File.WriteAllBytes(cut, File.ReadAllBytes(onnx)[..50]);
        var existing = h.Write("existing.json", "keep me");
        CliHarness.Run("import", "--onnx", cut, "--out", existing).AssertBadInput($"{cut}: ONNX import: not a readable ONNX model");
        Assert.Equal("keep me", File.ReadAllText(existing));
    }

    [Fact]
    public void A_bad_model_file_exits_2_and_leaves_an_existing_onnx_file_as_it_was()
    {
        var bad = h.Write("bad.json", "{\"format\": \"mathdnn-model\"");
        var existing = h.Write("existing.onnx", "keep me");
        CliHarness.Run("export", "--model", bad, "--onnx", existing).AssertBadInput(bad);
        Assert.Equal("keep me", File.ReadAllText(existing));
    }

    [Theory]
    [InlineData(new[] { "export", "--onnx", "x.onnx" }, "--model")]
    [InlineData(new[] { "import", "--out", "x.json" }, "--onnx")]
    [InlineData(new[] { "export", "--model", "m.json", "--onnx", "x.onnx", "--precision", "float16" }, "float16")]
    [InlineData(new[] { "export", "--model", "m.json", "--onnx", "x.onnx", "--opset", "12" }, "--opset 12: must be 13 or later")]
    [InlineData(new[] { "import", "--onnx", "x.onnx", "--out", "y.json", "--loss", "nope" }, "nope")]
    public void Options_are_checked_and_named(string[] args, string expected)
    {
        SavedModel("m.json");
        var withPaths = args.Select(a => a.EndsWith(".json") || a.EndsWith(".onnx") ? h.P(a) : a).ToArray();
        CliHarness.Run(withPaths).AssertBadInput(expected);
    }

    [Fact]
    public void A_missing_onnx_file_is_named()
    {
        var missing = h.P("missing.onnx");
        CliHarness.Run("import", "--onnx", missing, "--out", h.P("y.json")).AssertBadInput($"{missing}: no such file");
        Assert.False(File.Exists(h.P("y.json")));
    }
}
