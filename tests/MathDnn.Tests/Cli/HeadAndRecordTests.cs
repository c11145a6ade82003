using System.Xml.Linq;
using MathDnn.Activations;
using MathDnn.Cli.Data;
using MathDnn.Cli.Models;
using MathDnn.Cli.Output;
using MathDnn.IO;
using MathDnn.Losses;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Cli;

public class HeadAndRecordTests
{
    private static LoadedData Classes(int k) => new("test", Matrix<double>.Build.Dense(k, 1), Enumerable.Range(0, k).ToArray(), k, null);

    [Fact]
    public void Targets_follow_the_losses_encoding()
    {
        // One-hot for cross-entropy: labels (2, 0) of 3 classes.
        var ce = Head.ForTraining(new CategoricalCrossEntropy(), Classes(3));
        Assert.Equal(new double[,] { { 0, 0, 1 }, { 1, 0, 0 } }, ce.Targets([2, 0]).ToArray());
        Assert.IsType<Softmax>(ce.OutputActivation);
        // ±1 for the hinge losses (ŷ = 2y − 1), on raw outputs.
        var hinge = Head.ForTraining(new HingeLoss(), Classes(3));
        Assert.Equal(new double[,] { { -1, 1, -1 } }, hinge.Targets([1]).ToArray());
        Assert.Null(hinge.OutputActivation);
        // A single 0/1 column for the binary cross-entropies with 2 classes, one-hot (one-vs-rest) with more.
        var bce2 = Head.ForTraining(new BinaryCrossEntropy(), Classes(2));
        Assert.Equal(1, bce2.OutputWidth);
        Assert.Equal(new double[,] { { 1 }, { 0 } }, bce2.Targets([1, 0]).ToArray());
        Assert.IsType<Sigmoid>(bce2.OutputActivation);
        Assert.Equal(3, Head.ForTraining(new SigmoidBinaryCrossEntropy(), Classes(3)).OutputWidth);
        Assert.Null(Head.ForTraining(new SigmoidBinaryCrossEntropy(), Classes(3)).OutputActivation);
        // The σ-losses of the 004 table end in softmax (the core evaluates them on the logits, σ applied once).
        Assert.IsType<Softmax>(Head.ForTraining(new TanimotoLoss(), Classes(4)).OutputActivation);
        Assert.Null(Head.ForTraining(new L1Loss(), Classes(4)).OutputActivation);
    }

    [Fact]
    public void A_single_logit_gives_the_logistic_probability_and_the_threshold_0()
    {
        var head = new Head(new SigmoidBinaryCrossEntropy(), false, 2, 1);
        var net = MathDnn.Networks.Network.Create(1, [new MathDnn.Layers.Dense(1, 1)],
            MathDnn.Networks.Parameters.FromArray(new MathDnn.Networks.ParameterLayout(
                [new MathDnn.Networks.ParameterBlock(0, "W", 1, 1, 0), new MathDnn.Networks.ParameterBlock(0, "b", 1, 1, 1)]), [1.0, 0.0]));
        var x = Matrix<double>.Build.DenseOfRowArrays([0.0], [Math.Log(3)], [-1.0]);
        var p = head.Probabilities(net, x);
        // logit 0 → ½; logit log 3 → 3/(1 + 3) = ¾.
        Assert.Equal(0.5, p[0, 1]);
        Assert.Equal(0.75, p[1, 1], 15);
        Assert.Equal(0.25, p[1, 0], 15);
        Assert.Equal([1, 1, 0], head.Predict(net, x));
    }

    [Fact]
    public void The_training_record_round_trips_through_json_and_names_bad_fields()
    {
        var record = new TrainingRecord
        {
            Data = "moons", Classes = 2, Layers = [8, 4], Activation = "tanh", Optimizer = "adamw", Lr = 0.001, Decay = 1e-4,
            WeightDecay = 0.02, Batch = 16, Seed = -3, TestSplit = 0.25, ValSplit = 0.1, Epochs = 2, Seconds = 1.5,
            History = [new EpochRecord(1, 0.5, 0.75, 0.6, null, 10), new EpochRecord(2, 0.25, 0.8, 0.5, 0.7, 20)],
        };
        record = record with { Dropout = 0.125, LayerNorm = true };
        var back = TrainingRecord.FromJson(record.ToJson(), "m.json");
        Assert.Equal((0.125, true), (back.Dropout, back.LayerNorm));
        Assert.Equal(record.History, back.History);
        Assert.Equal(record.Layers, back.Layers);
        Assert.Equal(record with { History = back.History, Layers = back.Layers }, back);

        var json = record.ToJson();
        json.Remove("seed");
        Assert.Equal("m.json: training.seed: missing.", Assert.Throws<ModelFileException>(() => TrainingRecord.FromJson(json, "m.json")).Message);
        json = record.ToJson();
        json["layers"] = JsonOut.Element(w => { w.WriteStartArray(); w.WriteNumberValue(8); w.WriteNumberValue(0); w.WriteEndArray(); });
        Assert.Contains("training.layers[1]: expected an integer ≥ 1, found 0", Assert.Throws<ModelFileException>(() => TrainingRecord.FromJson(json, "m.json")).Message);
    }

    [Fact]
    public void A_record_without_dropout_and_layer_norm_reads_them_as_none()
    {
        var record = new TrainingRecord
        {
            Data = "xor", Classes = 2, Layers = [4], Activation = "relu", Optimizer = "sgd", Lr = 0.05, Decay = 0,
            Batch = 32, Seed = 1, TestSplit = 0.2, ValSplit = 0, Dropout = 0.5, LayerNorm = true,
        };
        var json = record.ToJson();
        Assert.True(json.Remove("dropout") && json.Remove("layer_norm"));
        var back = TrainingRecord.FromJson(json, "m.json");
        Assert.Equal((0.0, false), (back.Dropout, back.LayerNorm));
    }

    [Fact]
    public void A_hand_edited_record_with_values_out_of_range_is_named_by_field()
    {
        var record = new TrainingRecord
        {
            Data = "xor", Classes = 2, Layers = [4], Activation = "relu", Optimizer = "momentum", Lr = 0.05, Momentum = 0.9, Decay = 0,
            Batch = 32, Seed = 1, TestSplit = 0.2, ValSplit = 0,
        };
        var json = record.ToJson();
        json["lr"] = JsonOut.Element(w => w.WriteNumberValue(0));
        Assert.Equal("m.json: training.lr: must be positive, found 0.", Assert.Throws<ModelFileException>(() => TrainingRecord.FromJson(json, "m.json")).Message);
        json = record.ToJson();
        json["momentum"] = JsonOut.Element(w => w.WriteNumberValue(1));
        Assert.Contains("training.momentum: must lie in [0, 1[", Assert.Throws<ModelFileException>(() => TrainingRecord.FromJson(json, "m.json")).Message);
        json = record.ToJson();
        json["dropout"] = JsonOut.Element(w => w.WriteNumberValue(1));
        Assert.Equal("m.json: training.dropout: must lie in [0, 1[, found 1.", Assert.Throws<ModelFileException>(() => TrainingRecord.FromJson(json, "m.json")).Message);
        json = record.ToJson();
        json["layer_norm"] = JsonOut.Element(w => w.WriteStringValue("yes"));
        Assert.Equal("m.json: training.layer_norm: expected true or false, found \"yes\".", Assert.Throws<ModelFileException>(() => TrainingRecord.FromJson(json, "m.json")).Message);
        json = record.ToJson();
        json["optimizer"] = JsonOut.Element(w => w.WriteStringValue("lbfgs"));
        Assert.Contains("training.optimizer: unknown optimizer \"lbfgs\"", Assert.Throws<ModelFileException>(() => TrainingRecord.FromJson(json, "m.json")).Message);
    }

    [Fact]
    public void One_vs_rest_logits_of_sigmoid_binary_cross_entropy_give_logistic_probabilities()
    {
        var head = new Head(new SigmoidBinaryCrossEntropy(), false, 3, 3);
        var layout = new MathDnn.Networks.ParameterLayout([new MathDnn.Networks.ParameterBlock(0, "W", 3, 1, 0), new MathDnn.Networks.ParameterBlock(0, "b", 1, 3, 3)]);
        // logits (x, 0, −x) at x = log 3: logistic values 3/4, 1/2, 1/4 (not normalised: one-vs-rest).
        var net = MathDnn.Networks.Network.Create(1, [new MathDnn.Layers.Dense(1, 3)], MathDnn.Networks.Parameters.FromArray(layout, [1.0, 0.0, -1.0, 0, 0, 0]));
        var p = head.Probabilities(net, Matrix<double>.Build.DenseOfRowArrays([Math.Log(3)]));
        Assert.Equal(0.75, p[0, 0], 15);
        Assert.Equal(0.5, p[0, 1]);
        Assert.Equal(0.25, p[0, 2], 15);
        // A raw L2 network: the 004 probability estimate softmax(o); logits (log 3, 0, −log 3) → (9, 3, 1)/13.
        var l2 = new Head(new L2Loss(), false, 3, 3).Probabilities(net, Matrix<double>.Build.DenseOfRowArrays([Math.Log(3)]));
        Assert.Equal(9.0 / 13, l2[0, 0], 15);
        Assert.Equal(3.0 / 13, l2[0, 1], 15);
        Assert.Equal(1.0 / 13, l2[0, 2], 15);
    }

    [Fact]
    public void Svg_ticks_are_round_numbers_inside_the_range()
    {
        // [0, 1]: span/5 = 0.2 → step 0.2; [0, 30]: 6 → step 5; [1, 2]: 0.2.
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], SvgPlot.Ticks(0, 1).Select(v => Math.Round(v, 12)));
        Assert.Equal([0, 5, 10, 15, 20, 25, 30], SvgPlot.Ticks(0, 30));
        Assert.Equal(6, SvgPlot.Ticks(1, 2).Count());
    }

    [Fact]
    public void An_svg_of_an_empty_history_is_still_well_formed()
    {
        var svg = XDocument.Parse(SvgPlot.Render("title <&>", [], null));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
    }
}
