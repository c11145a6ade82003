using System.Text.Json;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;
using MathDnn.Onnx;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Onnx;

/// <summary>ONNX files made by PyTorch's torch.onnx.export (fixtures/README.md) import and predict what PyTorch predicted.</summary>
public sealed class PyTorchFixtureTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Onnx", "fixtures", file);

    private static (Matrix<double> X, Matrix<double>? Y32, Matrix<double> Y64) Expected(string name, bool float32 = true)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture(name + ".json")));
        Matrix<double> M(string key)
        {
            var rows = doc.RootElement.GetProperty(key).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            return Matrix<double>.Build.DenseOfRowArrays(rows);
        }
        return (M("inputs"), float32 ? M("float32") : null, M("float64"));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("gelu_layernorm")]
    public void A_pytorch_model_predicts_what_pytorch_predicted(string name)
    {
        var net = OnnxModel.Import(Fixture(name + ".onnx"));
        var (x, y32, y64) = Expected(name);
        var y = net.Forward(x);
        // PyTorch in double on the same (float32) weights: both err from the exact N(X) by the bound at u = 2⁻⁵³.
        OnnxKit.AssertClose(y64, y, 2 * OnnxKit.ErrorBound(net, x, OnnxKit.U64, roundsInputs: false), $"{name} float64");
        // PyTorch in float: the bound at u = 2⁻²⁴ (weights and inputs are floats already), plus MathDnn's own at 2⁻⁵³.
        double tolerance = OnnxKit.ErrorBound(net, x, OnnxKit.U32, roundsInputs: false) + OnnxKit.ErrorBound(net, x, OnnxKit.U64, roundsInputs: false);
        OnnxKit.AssertClose(y32!, y, tolerance, $"{name} float32");
    }

    [Fact]
    public void The_pytorch_mlp_has_the_layers_it_was_made_of()
    {
        var net = OnnxModel.Import(Fixture("mlp.onnx"));
        Assert.Equal(["Dense", "Relu", "Dense", "Softmax"], net.Layers.Select(l => l.GetType().Name));
        Assert.Equal([4, 8, 8, 3, 3], net.Widths.ToArray());
        var gelu = OnnxModel.Import(Fixture("gelu_layernorm.onnx"));
        Assert.Equal(["Dense", "Gelu", "LayerNorm", "Dense", "Tanh"], gelu.Layers.Select(l => l.GetType().Name));
        Assert.Equal(1e-5, ((LayerNorm)gelu.Layers[2]).Epsilon); // PyTorch's float 1e-5 reads back as the decimal 1e-5
    }

    [Fact]
    public void Other_exporters_forms_import_matmul_add_gemm_untransposed_prelu_and_silu()
    {
        // fixtures/graph_ops.onnx (onnx.helper, make_graph_fixture.py), with numpy's float64 outputs on the same weights.
        var net = OnnxModel.Import(Fixture("graph_ops.onnx"));
        Assert.Equal(["Dense", "LeakyRelu", "Dense", "Silu", "Dense"], net.Layers.Select(l => l.GetType().Name));
        Assert.Equal(0.25, ((LeakyRelu)net.Layers[1]).Slope);
        var (x, _, y64) = Expected("graph_ops", float32: false);
        OnnxKit.AssertClose(y64, net.Forward(x), 2 * OnnxKit.ErrorBound(net, x, OnnxKit.U64, roundsInputs: false), "graph_ops");
    }

    [Fact]
    public void The_imported_pytorch_mlp_exports_to_what_onnx_runtime_runs_alike()
    {
        var net = OnnxModel.Import(Fixture("mlp.onnx"));
        var (x, _, _) = Expected("mlp");
        var ours = OnnxKit.Run(OnnxModel.ToBytes(net, OnnxPrecision.Float32), x, OnnxPrecision.Float32);
        var theirs = OnnxKit.Run(File.ReadAllBytes(Fixture("mlp.onnx")), x, OnnxPrecision.Float32);
        // The same graph of the same float weights in the same runtime: the same floats.
        OnnxKit.AssertClose(theirs, ours, OnnxKit.U32, "mlp re-exported");
    }
}

/// <summary>Bad ONNX input is refused with one line naming the problem.</summary>
public sealed class OnnxBadInputTests
{
    private static void OneLine(Exception e) => Assert.DoesNotContain('\n', e.Message);

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var bytes = OnnxModel.ToBytes(OnnxExportTests.Build("classic"));
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Import(bytes[..(bytes.Length / 2)]));
        Assert.Contains("not a readable ONNX model", e.Message);
        Assert.Contains("truncated", e.Message);
        OneLine(e);
    }

    [Fact]
    public void An_empty_file_and_a_file_of_text_are_refused()
    {
        Assert.Contains("empty", Assert.Throws<OnnxFormatException>(() => OnnxModel.Import([])).Message);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Import("{\"format\": \"mathdnn-model\"}"u8.ToArray()));
        Assert.StartsWith("ONNX import:", e.Message);
        OneLine(e);
    }

    [Fact]
    public void An_unsupported_operator_is_named_with_what_is_supported()
    {
        // The exported "Relu" op and node name, renamed to "Selu" (same length, so the protobuf stays valid).
        var bytes = OnnxModel.ToBytes(OnnxExportTests.Build("classic"));
        var relu = "Relu"u8.ToArray();
        for (int i = 0; i + 4 <= bytes.Length; i++)
            if (bytes.AsSpan(i, 4).SequenceEqual(relu)) bytes[i] = (byte)'S';
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Import(bytes));
        Assert.Contains("node 'Selu_1' (Selu) has op type Selu, which is not supported; supported: Gemm", e.Message);
        OneLine(e);
    }

    [Fact]
    public void A_missing_file_names_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mathdnn-missing-{Guid.NewGuid():N}.onnx");
        Assert.Throws<FileNotFoundException>(() => OnnxModel.Import(path));
    }

    [Fact]
    public void A_file_error_names_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("mathdnn-onnx-");
        try
        {
            var path = Path.Combine(dir.FullName, "cut.onnx");
            File.WriteAllBytes(path, OnnxModel.ToBytes(OnnxExportTests.Build("maxout"))[..100]);
            var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Import(path));
            Assert.StartsWith(path + ": ONNX import:", e.Message);
        }
        finally { dir.Delete(recursive: true); }
    }
}
