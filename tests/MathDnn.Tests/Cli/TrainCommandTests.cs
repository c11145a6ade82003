using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MathDnn.Activations;
using MathDnn.Cli.Models;
using MathDnn.IO;
using MathDnn.Layers;
using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private static CliResult Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Json_output_is_one_document_with_the_documented_fields()
    {
        var model = h.P("m.json");
        var r = Run("train", "--data", "moons", "--epochs", "3", "--layers", "8", "--val-split", "0.25", "--out", model, "--json").AssertOk();
        var j = r.Json(); // the whole of stdout parses as one document
        Assert.InRange(j.GetProperty("test_accuracy").GetDouble(), 0, 1);
        Assert.True(j.GetProperty("test_loss").GetDouble() > 0);
        Assert.Equal(3, j.GetProperty("epochs").GetInt32());
        Assert.True(j.GetProperty("seconds").GetDouble() >= 0);
        Assert.Equal(model, j.GetProperty("model").GetString());
        var history = j.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], history.Select(e => e.GetProperty("epoch").GetInt32()));
        foreach (var e in history)
        {
            Assert.True(e.GetProperty("loss").GetDouble() > 0);
            Assert.InRange(e.GetProperty("accuracy").GetDouble(), 0, 1);
            Assert.True(e.GetProperty("val_loss").GetDouble() > 0);
            Assert.InRange(e.GetProperty("val_accuracy").GetDouble(), 0, 1);
        }
        // moons: 1000 points, 500 per class; 20 % test = 100 per class; 25 % of the remaining 400 per class = 100 validation.
        var samples = j.GetProperty("samples");
        Assert.Equal(600, samples.GetProperty("train").GetInt32());
        Assert.Equal(200, samples.GetProperty("validation").GetInt32());
        Assert.Equal(200, samples.GetProperty("test").GetInt32());
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void Without_validation_the_history_has_null_validation_fields_and_model_is_null_without_out()
    {
        var j = Run("train", "--data", "xor", "--epochs", "1", "--layers", "4", "--json").AssertOk().Json();
        var e = j.GetProperty("history")[0];
        Assert.Equal(JsonValueKind.Null, e.GetProperty("val_loss").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("val_accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("model").ValueKind);
    }

    [Fact]
    public void The_default_network_is_the_multi_class_network_003_Def_5_1_64_64_32_10_seeded_42()
    {
        var model = h.P("init.json");
        Run("train", "--epochs", "0", "--out", model).AssertOk();
        var saved = ModelFile.Load(model);
        var expected = Network.MultiClass([64, 64, 32, 10], seed: 42);
        Assert.Equal(expected.Layers.ToArray(), saved.Network.Layers.ToArray());
        Assert.Equal(expected.Parameters, saved.Network.Parameters); // bit for bit
        Assert.Equal("categorical-cross-entropy", saved.Loss);
        var t = TrainingRecord.FromJson(saved.Training, model);
        Assert.Equal(("momentum", 0.05, 0.9, 1e-4, 32, 42), (t.Optimizer, t.Lr, t.Momentum!.Value, t.Decay, t.Batch, t.Seed));
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_models_and_another_seed_does_not()
    {
        string[] args = ["train", "--data", "spirals", "--epochs", "2", "--layers", "8"];
        Run([.. args, "--out", h.P("a.json")]).AssertOk();
        Run([.. args, "--out", h.P("b.json")]).AssertOk();
        Run([.. args, "--seed", "7", "--out", h.P("c.json")]).AssertOk();
        var a = ModelFile.Load(h.P("a.json"));
        Assert.Equal(a.Network.Parameters, ModelFile.Load(h.P("b.json")).Network.Parameters);
        Assert.NotEqual(a.Network.Parameters, ModelFile.Load(h.P("c.json")).Network.Parameters);
    }

    [Theory]
    [InlineData("momentum")]
    [InlineData("adam")]
    [InlineData("nesterov")]
    public void Resuming_n_epochs_with_k_more_equals_n_plus_k_epochs_uninterrupted_bit_for_bit(string optimizer)
    {
        string[] common = ["--data", "digits", "--layers", "16", "--optimizer", optimizer, "--val-split", "0.1"];
        Run(["train", .. common, "--epochs", "3", "--out", h.P("n.json")]).AssertOk();
        Run("train", "--resume", h.P("n.json"), "--epochs", "2", "--out", h.P("resumed.json")).AssertOk();
        Run(["train", .. common, "--epochs", "5", "--out", h.P("straight.json")]).AssertOk();

        var resumed = ModelFile.Load(h.P("resumed.json"));
        var straight = ModelFile.Load(h.P("straight.json"));
        Assert.Equal(straight.Network.Parameters, resumed.Network.Parameters);
        Assert.Equal(straight.OptimizerState, resumed.OptimizerState); // buffers and step count, bit for bit
        var hr = TrainingRecord.FromJson(resumed.Training, "resumed");
        var hs = TrainingRecord.FromJson(straight.Training, "straight");
        Assert.Equal(5, hr.Epochs);
        Assert.Equal(hs.History, hr.History); // every epoch's loss, accuracy and validation, including the 2 resumed ones
    }

    [Fact]
    public void Resume_without_out_updates_the_model_file_and_continues_the_epoch_count()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "4", "--epochs", "2", "--out", model).AssertOk();
        var r = Run("train", "--resume", model, "--epochs", "1").AssertOk();
        Assert.Contains("epoch 3/3", r.Out);
        Assert.Contains("(3 in total)", r.Out);
        Assert.Equal(3, TrainingRecord.FromJson(ModelFile.Load(model).Training, model).Epochs);
    }

    [Fact]
    public void Resume_rejects_changed_options_and_a_missing_epoch_count()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "4", "--epochs", "1", "--out", model).AssertOk();
        Run("train", "--resume", model, "--epochs", "1", "--lr", "0.1").AssertBadInput("--lr cannot be changed when resuming");
        Run("train", "--resume", model).AssertBadInput("give --epochs k");
        Run("train", "--resume", h.P("missing.json"), "--epochs", "1").AssertBadInput("missing.json: no such model file");
    }

    [Fact]
    public void A_model_without_optimizer_state_cannot_be_resumed()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "4", "--epochs", "1", "--out", model).AssertOk();
        var saved = ModelFile.Load(model);
        ModelFile.Save(model, saved with { OptimizerState = null });
        Run("train", "--resume", model, "--epochs", "1").AssertBadInput("optimizer_state: missing");
    }

    [Fact]
    public void A_diverging_run_exits_1_with_one_line_and_saves_the_last_finite_model()
    {
        var model = h.P("d.json");
        // Plain gradient descent with η = 1e300 on a linear network: the first step sends θ to ~1e300, the next forward
        // pass overflows.
        var r = Run("train", "--data", "moons", "--layers", "8", "--activation", "identity", "--optimizer", "sgd", "--lr", "1e300",
            "--epochs", "2", "--out", model);
        r.AssertFailure(1, "diverged");
        Assert.Contains(model, r.Err);
        var saved = ModelFile.Load(model); // loads: every saved number is finite
        var t = TrainingRecord.FromJson(saved.Training, model);
        Assert.NotNull(t.Diverged);
        Run("train", "--resume", model, "--epochs", "1").AssertBadInput("diverged run");
    }

    public static TheoryData<string> Optimizers => new(TrainingRecord.Optimizers);
    public static TheoryData<string> ActivationNames => new(TrainingRecord.Activations);
    public static TheoryData<string> Losses => new(LossCatalogue.Names);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_optimizer_trains_and_is_recorded(string optimizer)
    {
        var model = h.P($"{optimizer}.json");
        Run("train", "--data", "moons", "--layers", "8", "--epochs", "2", "--optimizer", optimizer, "--out", model).AssertOk();
        var t = TrainingRecord.FromJson(ModelFile.Load(model).Training, model);
        Assert.Equal(optimizer, t.Optimizer);
        Assert.Equal(TrainingRecord.DefaultLr(optimizer), t.Lr);
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Every_hidden_activation_trains(string activation)
    {
        var model = h.P($"{activation}.json");
        Run("train", "--data", "xor", "--layers", "6,6", "--epochs", "1", "--activation", activation, "--out", model).AssertOk();
        var net = ModelFile.Load(model).Network;
        Assert.Equal(activation, net.Layers[1].Name);
        Assert.Equal(activation, net.Layers[3].Name);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Every_catalogued_loss_trains_a_network_ending_as_its_head_says(string loss)
    {
        // spirals has 3 classes, moons 2: the binary cross-entropies get one output on moons, one per class on spirals.
        foreach (var data in new[] { "spirals", "moons" })
        {
            var model = h.P($"{loss}-{data}.json");
            var j = Run("train", "--data", data, "--layers", "8", "--epochs", "1", "--loss", loss, "--out", model, "--json").AssertOk().Json();
            Assert.InRange(j.GetProperty("test_accuracy").GetDouble(), 0, 1);
            var net = ModelFile.Load(model).Network;
            var l = LossCatalogue.Parse(loss);
            int classes = data == "spirals" ? 3 : 2;
            Assert.Equal(classes == 2 && l.Encoding == TargetEncoding.UnitInterval ? 1 : classes, net.OutputSize);
            string expectedLast = l is CategoricalCrossEntropy || l.AppliesSoftmax ? "softmax" : l is BinaryCrossEntropy ? "sigmoid" : "dense";
            Assert.Equal(expectedLast, net.Layers[^1].Name);
        }
    }

    [Theory]
    [InlineData("spirals", 2, 3)]
    [InlineData("moons", 2, 2)]
    [InlineData("xor", 2, 2)]
    [InlineData("sawtooth", 1, 2)]
    public void Every_synthetic_set_trains(string data, int features, int classes)
    {
        var model = h.P("m.json");
        Run("train", "--data", data, "--layers", "8", "--epochs", "1", "--out", model).AssertOk();
        var net = ModelFile.Load(model).Network;
        Assert.Equal((features, classes), (net.InputSize, net.OutputSize));
    }

    [Fact]
    public void A_csv_file_with_a_header_trains_a_classifier()
    {
        var csv = new StringBuilder("x1,x2,label\n");
        var rng = new Rng(3);
        for (int i = 0; i < 200; i++)
        {
            double a = rng.Uniform(-1, 1), b = rng.Uniform(-1, 1);
            csv.AppendLine(FormattableString.Invariant($"{a},{b},{(a + b > 0 ? 1 : 0)}"));
        }
        var path = h.Write("linear.csv", csv.ToString());
        var j = Run("train", "--data", path, "--layers", "none", "--epochs", "20", "--json").AssertOk().Json();
        // A linearly separable set with a logistic-regression network (no hidden layer): nearly all test points right.
        Assert.True(j.GetProperty("test_accuracy").GetDouble() >= 0.9, j.ToString());
        var samples = j.GetProperty("samples");
        Assert.Equal(200, samples.GetProperty("train").GetInt32() + samples.GetProperty("test").GetInt32());
    }

    [Fact]
    public void A_csv_regression_with_target_trains_with_mean_squared_error()
    {
        // y = 2·x1 − x2 in the middle column; features x1 (column 1) and x2 (column 3).
        var csv = new StringBuilder();
        var rng = new Rng(5);
        for (int i = 0; i < 100; i++)
        {
            double a = rng.Uniform(-1, 1), b = rng.Uniform(-1, 1);
            csv.AppendLine(FormattableString.Invariant($"{a},{2 * a - b},{b}"));
        }
        var path = h.Write("reg.csv", csv.ToString());
        var model = h.P("reg.json");
        var j = Run("train", "--data", path, "--target", "2", "--layers", "none", "--optimizer", "sgd", "--lr", "0.1", "--epochs", "60",
            "--out", model, "--json").AssertOk().Json();
        Assert.Equal(JsonValueKind.Null, j.GetProperty("test_accuracy").ValueKind);
        Assert.True(j.GetProperty("test_rmse").GetDouble() < 0.05, j.ToString()); // an exact linear relation, learned by a linear model
        var saved = ModelFile.Load(model);
        Assert.Equal("mean-squared-error", saved.Loss);
        Assert.Equal([2], TrainingRecord.FromJson(saved.Training, model).Target!);
        // W ≈ [2, −1], b ≈ 0: the linear model recovers the relation.
        var w = saved.Network.Parameters.Weights(0);
        Assert.Equal(2.0, w[0, 0], 0.05);
        Assert.Equal(-1.0, w[0, 1], 0.05);
    }

    [Fact]
    public void Plot_writes_an_svg_with_the_curves_and_the_decision_regions_of_a_2d_set()
    {
        var plot = h.P("curves.svg");
        var r = Run("train", "--data", "moons", "--layers", "8", "--epochs", "3", "--val-split", "0.2", "--plot", plot).AssertOk();
        Assert.Contains($"plot saved to {plot}", r.Out);
        var svg = XDocument.Load(plot); // well-formed XML
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal(4, svg.Descendants(ns + "polyline").Count()); // loss and accuracy, training and validation
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value.StartsWith("decision regions"));
        // moons: 200 test points, 20 % of the other 800 for validation: 640 training points, all drawn over the regions,
        // plus one marker per epoch on each of the 4 curves.
        Assert.Equal(640 + 200 + 3 * 4, svg.Descendants(ns + "circle").Count());
    }

    [Fact]
    public void Plot_of_a_1d_set_has_curves_but_no_regions()
    {
        var plot = h.P("saw.svg");
        Run("train", "--data", "sawtooth", "--layers", "8", "--epochs", "2", "--plot", plot).AssertOk();
        var text = File.ReadAllText(plot);
        Assert.DoesNotContain("decision regions", text);
        Assert.Contains("accuracy", text);
    }

    [Fact]
    public void Mnist_is_read_from_its_idx_files_with_its_own_test_set()
    {
        var dir = h.FakeMnist(train: 60, test: 20);
        var j = Run("train", "--data", "mnist", "--mnist-dir", dir, "--layers", "8", "--epochs", "3", "--json").AssertOk().Json();
        Assert.Equal(60, j.GetProperty("samples").GetProperty("train").GetInt32());
        Assert.Equal(20, j.GetProperty("samples").GetProperty("test").GetInt32());
        Run("train", "--data", "mnist", "--mnist-dir", dir, "--test-split", "0.3").AssertBadInput("own test set");
    }

    [Fact]
    public void Gzipped_idx_files_are_read_too()
    {
        var dir = h.FakeMnist(train: 30, test: 10, gzip: true);
        var j = Run("train", "--data", "mnist", "--mnist-dir", dir, "--layers", "4", "--epochs", "1", "--json").AssertOk().Json();
        Assert.Equal(10, j.GetProperty("samples").GetProperty("test").GetInt32());
    }

    [Fact]
    public void Human_output_names_data_network_training_and_ends_with_the_test_accuracy()
    {
        var model = h.P("m.json");
        var r = Run("train", "--data", "xor", "--layers", "4", "--epochs", "2", "--out", model).AssertOk();
        var lines = r.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.StartsWith("data      xor: 1000 samples, 2 features, 2 classes; train 800, test 200", lines[0]);
        Assert.StartsWith("network   dense(2→4) → relu → dense(4→2) → softmax", lines[1]);
        Assert.StartsWith("training  categorical-cross-entropy, momentum (lr 0.05, momentum 0.9, decay 0.0001), batch 32, 2 epochs", lines[2]);
        int threads = MathDnn.Kernels.KernelSettings.MaxThreads;
        Assert.Equal($"backend   {MathDnn.Kernels.KernelSettings.ActiveBackend}, {threads} thread{(threads == 1 ? "" : "s")}", lines[3]);
        Assert.StartsWith("epoch 1/2  loss ", lines[4]);
        Assert.EndsWith("samples/s", lines[4]);
        Assert.StartsWith("test accuracy ", lines[^3]);
        Assert.StartsWith("2 epochs in ", lines[^2]);
        Assert.Equal($"model saved to {model}", lines[^1]);
    }

    [Fact]
    public void Momentum_and_weight_decay_options_belong_to_their_optimizers()
    {
        Run("train", "--optimizer", "adam", "--momentum", "0.5").AssertBadInput("--momentum: applies to --optimizer momentum or nesterov");
        Run("train", "--optimizer", "sgd", "--weight-decay", "0.1").AssertBadInput("--weight-decay: applies to --optimizer adamw");
        var model = h.P("w.json");
        Run("train", "--data", "xor", "--layers", "4", "--epochs", "1", "--optimizer", "adamw", "--weight-decay", "0.2", "--lr", "0.003", "--out", model).AssertOk();
        var t = TrainingRecord.FromJson(ModelFile.Load(model).Training, model);
        Assert.Equal((0.2, 0.003), (t.WeightDecay!.Value, t.Lr));
    }

    [Fact]
    public void Full_batch_training_with_batch_0_takes_one_step_per_epoch()
    {
        var model = h.P("m.json");
        var j = Run("train", "--data", "xor", "--layers", "4", "--epochs", "3", "--batch", "0", "--out", model, "--json").AssertOk().Json();
        Assert.Equal([1L, 2L, 3L], j.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("steps").GetInt64()));
        Assert.Equal(3, ModelFile.Load(model).OptimizerState!.Count);
    }

    [Fact]
    public void The_hidden_activation_objects_are_the_ones_named()
    {
        Assert.IsType<LeakyRelu>(TrainingRecord.ParseActivation("leaky-relu"));
        Assert.Equal(0.1, ((LeakyRelu)TrainingRecord.ParseActivation("leaky-relu")).Slope); // 004: max(0.1x, x)
        Assert.Equal(1.0, ((Elu)TrainingRecord.ParseActivation("elu")).Alpha);
    }

    [Fact]
    public void Dropout_layer_norm_and_gelu_train_a_model_that_evaluate_and_predict_load()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "8", "--epochs", "2", "--dropout", "0.2", "--layer-norm", "--activation", "gelu", "--out", model).AssertOk();
        var saved = ModelFile.Load(model);
        Assert.Equal(new Layer[] { new Dense(2, 8), new LayerNorm(8), new Gelu(), new Dropout(0.2), new Dense(8, 2), new Softmax() },
            saved.Network.Layers.ToArray());
        var t = TrainingRecord.FromJson(saved.Training, model);
        Assert.Equal((0.2, true, "gelu"), (t.Dropout, t.LayerNorm, t.Activation));
        // Trained: layer normalisation's gain has left its initial 1.
        Assert.Contains(saved.Network.Parameters.Block(saved.Network.Parameters.Layout.Block(1, "gain")).Row(0), g => g != 1.0);

        var j = Run("evaluate", "--model", model, "--json").AssertOk().Json();
        Assert.InRange(j.GetProperty("accuracy").GetDouble(), 0, 1);
        var data = h.Write("x.csv", "0.5,0.5\n-0.5,0.5\n");
        var rows = Run("predict", "--model", model, "--data", data).AssertOk().Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        // Prediction evaluates the network: dropout is the identity, so the probabilities are the loaded network's, bit for bit.
        var p = saved.Network.Forward(Matrix<double>.Build.DenseOfRowArrays([0.5, 0.5], [-0.5, 0.5]));
        for (int i = 0; i < 2; i++)
            for (int c = 0; c < 2; c++) Assert.Equal(p[i, c], rows[i][c]);
    }

    [Fact]
    public void Resuming_a_run_with_dropout_and_layer_norm_equals_the_uninterrupted_run_bit_for_bit()
    {
        string[] common = ["--data", "digits", "--layers", "16", "--dropout", "0.3", "--layer-norm", "--val-split", "0.1"];
        Run(["train", .. common, "--epochs", "2", "--out", h.P("k.json")]).AssertOk();
        Run("train", "--resume", h.P("k.json"), "--epochs", "2", "--out", h.P("resumed.json")).AssertOk();
        Run(["train", .. common, "--epochs", "4", "--out", h.P("straight.json")]).AssertOk();
        Run("train", "--data", "digits", "--layers", "16", "--layer-norm", "--val-split", "0.1", "--epochs", "4", "--out", h.P("nodropout.json")).AssertOk();

        var resumed = ModelFile.Load(h.P("resumed.json"));
        var straight = ModelFile.Load(h.P("straight.json"));
        Assert.Contains(straight.Network.Layers, l => l is Dropout { Rate: 0.3 });
        Assert.Equal(straight.Network.Parameters, resumed.Network.Parameters);
        Assert.Equal(straight.OptimizerState, resumed.OptimizerState);
        Assert.Equal(TrainingRecord.FromJson(straight.Training, "s").History, TrainingRecord.FromJson(resumed.Training, "r").History);
        // The masks matter: without dropout the same run ends elsewhere, so the equality above is not trivial.
        var plain = ModelFile.Load(h.P("nodropout.json")).Network;
        Assert.DoesNotContain(plain.Layers, l => l is Dropout);
        Assert.NotEqual(plain.Parameters.Weights(0).ToRowMajorArray(), straight.Network.Parameters.Weights(0).ToRowMajorArray());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("nan")]
    [InlineData("half")]
    public void A_bad_dropout_rate_exits_2_with_one_line(string rate)
    {
        Run("train", "--data", "xor", "--dropout", rate).AssertBadInput("--dropout");
    }

    [Fact]
    public void Dropout_and_layer_norm_cannot_be_changed_when_resuming_and_must_match_the_saved_network()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "4", "--epochs", "1", "--dropout", "0.1", "--out", model).AssertOk();
        Run("train", "--resume", model, "--epochs", "1", "--dropout", "0.2").AssertBadInput("--dropout cannot be changed when resuming");
        Run("train", "--resume", model, "--epochs", "1", "--layer-norm").AssertBadInput("--layer-norm cannot be changed when resuming");

        // A record edited to describe another network than the one saved: resuming would not continue the recorded run.
        var doc = JsonNode.Parse(File.ReadAllText(model))!;
        doc["training"]!["dropout"] = 0.25;
        File.WriteAllText(model, doc.ToJsonString());
        Run("train", "--resume", model, "--epochs", "1").AssertBadInput("layers: the network is dense(2→4) → relu → dropout(4→4)");
    }

    [Fact]
    public void A_model_saved_before_dropout_and_layer_norm_existed_resumes_exactly()
    {
        // The embedded file was written by `train --data xor --layers 3 --epochs 2` before this version (see OldFormatTests):
        // its record has no "dropout" or "layer_norm", read as 0 and false, so resuming it is resuming the same file with
        // those fields written out. (Its parameters come from older numerics — the softmax cross-entropy's gradient is now
        // computed more accurately — so a fresh run no longer reproduces them bit for bit; the next check does that.)
        var old = h.Write("old.json", MathDnn.Tests.IO.OldFormatTests.Xor);
        var t = TrainingRecord.FromJson(ModelFile.Load(old).Training, old);
        Assert.Equal((0.0, false), (t.Dropout, t.LayerNorm));
        var doc = JsonNode.Parse(MathDnn.Tests.IO.OldFormatTests.Xor)!;
        doc["training"]!["dropout"] = 0;
        doc["training"]!["layer_norm"] = false;
        var explicitRecord = h.Write("explicit.json", doc.ToJsonString());
        // It records no data fingerprint either: it resumes with a one-line warning (issue 13, item 11).
        void ResumesWithWarning(string file)
        {
            var r = Run("train", "--resume", file, "--epochs", "1");
            Assert.True(r.Code == 0, r.Err);
            Assert.StartsWith($"mathdnn: warning: {file} records no fingerprint of its training data", r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single());
        }
        ResumesWithWarning(old);
        ResumesWithWarning(explicitRecord);
        Assert.Equal(ModelFile.Load(explicitRecord).Network.Parameters, ModelFile.Load(old).Network.Parameters);
        Assert.Equal(ModelFile.Load(explicitRecord).OptimizerState, ModelFile.Load(old).OptimizerState);

        // A file of this version with the two fields removed, as the older code wrote it: one more epoch equals a fresh 3-epoch run.
        var two = h.P("two.json");
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "2", "--out", two).AssertOk();
        var stripped = JsonNode.Parse(File.ReadAllText(two))!;
        stripped["training"]!.AsObject().Remove("dropout");
        stripped["training"]!.AsObject().Remove("layer_norm");
        File.WriteAllText(two, stripped.ToJsonString());
        Run("train", "--resume", two, "--epochs", "1").AssertOk();
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "3", "--out", h.P("fresh.json")).AssertOk();
        var resumed = ModelFile.Load(two);
        var fresh = ModelFile.Load(h.P("fresh.json"));
        Assert.Equal(fresh.Network.Parameters, resumed.Network.Parameters);
        Assert.Equal(fresh.OptimizerState, resumed.OptimizerState);
    }
}
