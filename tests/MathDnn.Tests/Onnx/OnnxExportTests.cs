using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;
using MathDnn.Onnx;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Onnx;

/// <summary>Exported networks run in ONNX Runtime and predict what MathDnn predicts, to a derived tolerance; export → import is the identity.</summary>
public sealed class OnnxExportTests
{
    // Float attributes (LeakyRelu's and Elu's α, LayerNorm's ε) are chosen exactly representable in float32, so the
    // float64 model computes the same function as the network (ONNX stores them as float; see OnnxModel's docs).
    public static readonly TheoryData<string> Networks = ["classic", "leaky-dropout", "layernorm-silu-gelutanh", "maxout", "elu-gelu-softplus"];

    // ONNX Runtime 1.31 has no double kernel for Elu, Erf (GELU) and Softplus: "elu-gelu-softplus" runs in float32 only (the float64 model
    // is valid ONNX, and its import is tested below).
    public static readonly TheoryData<string> Float64Networks = ["classic", "leaky-dropout", "layernorm-silu-gelutanh", "maxout"];

    public static Network Build(string name)
    {
        Layer[] layers = name switch
        {
            "classic" => [new Dense(5, 8), new Relu(), new Dense(8, 6), new Sigmoid(), new Dense(6, 4), new Tanh(), new Dense(4, 3), new Softmax()],
            "leaky-dropout" => [new Dense(5, 8), new LeakyRelu(0.25), new Dense(8, 8), new Dropout(0.3), new Dense(8, 3), new Identity()],
            "layernorm-silu-gelutanh" => [new Dense(5, 8), new LayerNorm(8, 1.0 / 65536), new Dense(8, 6), new GeluTanh(),
                new Dense(6, 6), new Silu(), new Dense(6, 3)],
            "elu-gelu-softplus" => [new Dense(5, 8), new Elu(0.5), new Dense(8, 6), new Gelu(), new Dense(6, 3), new Softplus()],
            "maxout" => [new Maxout(5, 6, 3), new Dense(6, 4), new Tanh(), new Maxout(4, 3, 2), new Softmax()],
            _ => throw new ArgumentException(name),
        };
        var net = Network.Create(5, layers, seed: name.Length);
        // Non-zero biases (layer norm's β too), so that every block of θ reaches the output.
        var rng = new Rng(name.Length + 100);
        return net.WithParameters(net.Parameters.Map(v => v == 0 ? rng.Uniform(-0.5, 0.5) : v));
    }

    [Theory]
    [MemberData(nameof(Float64Networks))]
    public void A_float64_export_predicts_what_the_network_predicts(string name)
    {
        var net = Build(name);
        var x = TestData.Random(64, 5, seed: 7, scale: 2);
        var ort = OnnxKit.Run(OnnxModel.ToBytes(net, OnnxPrecision.Float64), x, OnnxPrecision.Float64);
        // Both evaluations err from the exact N(X) by at most the forward error bound at u = 2⁻⁵³: |Δ| ≤ 2·bound.
        double tolerance = 2 * OnnxKit.ErrorBound(net, x, OnnxKit.U64, roundsInputs: false);
        OnnxKit.AssertClose(net.Forward(x), ort, tolerance, name);
        Assert.True(tolerance < 1e-11, $"the float64 bound {tolerance:G3} is too loose to test anything");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_float32_export_predicts_what_the_network_predicts_to_float_accuracy(string name)
    {
        var net = Build(name);
        var x = TestData.Random(64, 5, seed: 8, scale: 2);
        var ort = OnnxKit.Run(OnnxModel.ToBytes(net, OnnxPrecision.Float32), x, OnnxPrecision.Float32);
        // ONNX Runtime in float (θ and X rounded once, u = 2⁻²⁴) against MathDnn in double (u = 2⁻⁵³).
        double tolerance = OnnxKit.ErrorBound(net, x, OnnxKit.U32, roundsInputs: true) + OnnxKit.ErrorBound(net, x, OnnxKit.U64, roundsInputs: false);
        OnnxKit.AssertClose(net.Forward(x), ort, tolerance, name);
        // Outputs are O(1); a wrong weight or operator moves them by O(0.1).
        Assert.True(tolerance < 1e-2, $"the float32 bound {tolerance:G3} is too loose to test anything");
    }

    [Fact]
    public void One_sample_and_a_batch_of_one_thousand_run_in_the_same_model()
    {
        var net = Build("classic");
        var bytes = OnnxModel.ToBytes(net, OnnxPrecision.Float64);
        foreach (int rows in new[] { 1, 1000 })
        {
            var x = TestData.Random(rows, 5, seed: rows);
            double tolerance = 2 * OnnxKit.ErrorBound(net, x, OnnxKit.U64, roundsInputs: false);
            OnnxKit.AssertClose(net.Forward(x), OnnxKit.Run(bytes, x, OnnxPrecision.Float64), tolerance, $"{rows} rows");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Export_then_import_gives_the_same_network(string name)
    {
        var net = Build(name);
        var back = OnnxModel.Import(OnnxModel.ToBytes(net, OnnxPrecision.Float64));
        OnnxKit.SameLayers(net, back); // same types, settings and shapes
        Assert.Equal(net.InputSize, back.InputSize);
        Assert.Equal(net.Parameters.ToArray(), back.Parameters.ToArray()); // bit-identical θ in float64
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_float32_round_trip_rounds_theta_to_float_once(string name)
    {
        var net = Build(name);
        var back = OnnxModel.Import(OnnxModel.ToBytes(net, OnnxPrecision.Float32));
        OnnxKit.SameLayers(net, back); // the dropout rate 0.3, stored as a float tensor, reads back as 0.3
        Assert.Equal(net.Parameters.ToArray().Select(v => (double)(float)v), back.Parameters.ToArray());
    }

    [Fact]
    public void Float_attributes_come_back_as_the_decimal_that_was_written()
    {
        var net = Network.Create(3, [new Dense(3, 4), new LeakyRelu(0.1), new LayerNorm(4), new Dense(4, 2), new Elu(0.3), new Dropout(0.1)]);
        var back = OnnxModel.Import(OnnxModel.ToBytes(net, OnnxPrecision.Float64));
        OnnxKit.SameLayers(net, back); // 0.1, 1e-5, 0.3 exactly, though ONNX holds them as float32
    }

    [Fact]
    public void The_graph_has_input_and_output_with_a_symbolic_batch()
    {
        var net = Build("classic");
        var bytes = OnnxModel.ToBytes(net);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
        var input = Assert.Single(session.InputMetadata);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("input", input.Key);
        Assert.Equal("output", output.Key);
        Assert.Equal([-1, 5], input.Value.Dimensions);
        Assert.Equal("batch", input.Value.SymbolicDimensions[0]);
        Assert.Equal([-1, 3], output.Value.Dimensions);
        Assert.Equal(typeof(float), input.Value.ElementType);
    }

    [Fact]
    public void Export_to_a_file_and_import_from_it()
    {
        var dir = Directory.CreateTempSubdirectory("mathdnn-onnx-");
        try
        {
            var path = Path.Combine(dir.FullName, "m.onnx");
            var net = Build("maxout");
            OnnxModel.Export(net, path, OnnxPrecision.Float64);
            Assert.Equal(OnnxModel.ToBytes(net, OnnxPrecision.Float64), File.ReadAllBytes(path));
            Assert.Equal(net.Parameters.ToArray(), OnnxModel.Import(path).Parameters.ToArray());
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void A_layer_without_an_onnx_form_is_refused_by_name()
    {
        var net = Network.Create(2, [new Dense(2, 2), new FunctionActivation("cube", z => z * z * z, (z, _) => 3 * z * z)]);
        var e = Assert.Throws<ArgumentException>(() => OnnxModel.ToBytes(net));
        Assert.Contains("layer 1 (cube", e.Message);
    }

    [Fact]
    public void Layer_norm_needs_opset_17_and_low_opsets_are_refused()
    {
        var net = Network.Create(3, [new Dense(3, 3), new LayerNorm(3)]);
        Assert.Contains("opset 17", Assert.Throws<ArgumentException>(() => OnnxModel.ToBytes(net, opset: 16)).Message);
        Assert.Contains("lowest supported, 13", Assert.Throws<ArgumentException>(() => OnnxModel.ToBytes(Build("classic"), opset: 12)).Message);
        // Opset 13 without layer norm runs.
        var x = TestData.Random(4, 5, seed: 1);
        var classic = Build("classic");
        OnnxKit.AssertClose(classic.Forward(x), OnnxKit.Run(OnnxModel.ToBytes(classic, OnnxPrecision.Float64, opset: 13), x, OnnxPrecision.Float64),
            2 * OnnxKit.ErrorBound(classic, x, OnnxKit.U64, roundsInputs: false), "opset 13");
    }
}
