using System.Text.Json;
using MathDnn.Activations;
using MathDnn.Cli.Output;
using MathDnn.IO;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Cli.Models;

/// <summary>
/// How a model was trained, stored as the "training" object of its model file so that <c>train --resume</c> can rebuild
/// the same data split, network and optimizer and continue the run exactly, and <c>evaluate</c> can find the test set:
/// <code>
/// "training": {
///   "task": "classification", "classes": 10, "data": "digits",      // "target": [3] for a regression CSV
///   "layers": [64, 32], "activation": "relu", "dropout": 0.2, "layer_norm": true,   // absent in older files: 0, false
///   "optimizer": "momentum", "lr": 0.05, "momentum": 0.9, "decay": 0.0001,   // "weight_decay" for adamw
///   "batch": 32, "seed": 42, "test_split": 0.2, "val_split": 0,
///   "epochs": 30, "seconds": 1.9,                                  // epochs done so far, training time so far
///   "history": [ { "epoch": 1, "loss": …, "accuracy": …, "val_loss": null, "val_accuracy": null, "steps": 45 }, … ],
///   "data_sha256": "sha256:…",                                     // DataFingerprint of the data; absent in older files
///   "diverged": "…"                                                // only for the last finite model of a diverged run
/// }
/// </code>
/// </summary>
public sealed record TrainingRecord
{
    /// <summary>The values of <c>--optimizer</c>.</summary>
    public static readonly string[] Optimizers = ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad"];

    /// <summary>The values of <c>--activation</c>.</summary>
    public static readonly string[] Activations = ["relu", "leaky-relu", "elu", "sigmoid", "tanh", "identity", "gelu", "gelu-tanh", "silu", "softplus"];

    /// <summary>The data source as given to <c>--data</c> (e.g. "digits" or the path of a CSV file).</summary>
    public required string Data { get; init; }
    /// <summary>The target columns of a regression CSV (1-based, as <c>--target</c> takes them), or null for classification.</summary>
    public IReadOnlyList<int>? Target { get; init; }
    /// <summary>K, the number of classes; 0 for regression.</summary>
    public required int Classes { get; init; }
    /// <summary>The hidden widths, first to last.</summary>
    public required IReadOnlyList<int> Layers { get; init; }
    /// <summary>The hidden activation's name (one of <see cref="Activations"/>).</summary>
    public required string Activation { get; init; }

    /// <summary>The rate p of the <see cref="Layers.Dropout"/> after each hidden activation; 0 for none.</summary>
    public double Dropout { get; init; }

    /// <summary>Whether a <see cref="Layers.LayerNorm"/> follows each hidden dense layer, before its activation.</summary>
    public bool LayerNorm { get; init; }
    /// <summary>The optimizer's name (one of <see cref="Optimizers"/>).</summary>
    public required string Optimizer { get; init; }
    /// <summary>η, the initial learning rate.</summary>
    public required double Lr { get; init; }
    /// <summary>μ for momentum and nesterov, else null.</summary>
    public double? Momentum { get; init; }
    /// <summary>d of the inverse-time decay η_t = η/(1 + d·t); 0 for none.</summary>
    public required double Decay { get; init; }
    /// <summary>λ of AdamW's decoupled weight decay, else null.</summary>
    public double? WeightDecay { get; init; }
    /// <summary>The batch size (0: the whole training set).</summary>
    public required int Batch { get; init; }
    /// <summary>The seed of the split, the initialisation and the shuffles.</summary>
    public required int Seed { get; init; }
    /// <summary>The fraction of the data held out as the test set.</summary>
    public required double TestSplit { get; init; }
    /// <summary>The fraction of the remaining data used for validation (0: none).</summary>
    public required double ValSplit { get; init; }

    /// <summary>K, the shards of every step's gradient (N when trained on N ranks, <c>--shards</c> in one process; 1 for none): a resumed run keeps it. Stored as "shards" when K ≥ 2.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Epochs done so far.</summary>
    public int Epochs { get; init; }

    /// <summary>Training time so far (wall clock, seconds).</summary>
    public double Seconds { get; init; }

    /// <summary>One record per epoch done so far.</summary>
    public IReadOnlyList<EpochRecord> History { get; init; } = [];

    /// <summary>
    /// The <see cref="MathDnn.Cli.Data.DataFingerprint"/> of the data the run was trained on (<c>"data_sha256"</c>), checked when it is
    /// resumed; null in files of older versions.
    /// </summary>
    public string? DataFingerprint { get; init; }

    /// <summary>Set when the model is the last finite one of a diverged run (it cannot be resumed exactly).</summary>
    public string? Diverged { get; init; }

    /// <summary>True when the model was trained on regression targets (<see cref="Target"/> is set).</summary>
    public bool IsRegression => Target is not null;

    /// <summary>The learning rate <c>--lr</c> defaults to: 0.05 for the gradient-descent family, 0.01 for AdaGrad, 0.001 for RMSprop and the Adams.</summary>
    public static double DefaultLr(string optimizer) => optimizer switch
    {
        "sgd" or "momentum" or "nesterov" => 0.05,
        "adagrad" => 0.01,
        _ => 0.001,
    };

    /// <summary>True for the optimizers that take <c>--momentum</c> (momentum, nesterov).</summary>
    public static bool UsesMomentum(string optimizer) => optimizer is "momentum" or "nesterov";

    /// <summary>
    /// The optimizer, every learning rate decayed as η_t = η/(1 + decay·t) (Keras's legacy decay, t = the step count):
    /// sgd = gradient descent (004 Algorithm 8.1); momentum / nesterov = Keras's SGD with momentum (Sutskever convention,
    /// <see cref="Optim.KerasSgd"/>); rmsprop (ε inside the root, 002 eq. 9), adam (Kingma &amp; Ba), adamw (decoupled decay
    /// of every parameter), adagrad with the library's defaults.
    /// </summary>
    public Optimizer BuildOptimizer() => Optimizer switch
    {
        "sgd" => Optim.Sgd(new InverseTimeDecay(Lr, Decay)),
        "momentum" => Optim.KerasSgd(Lr, Momentum ?? 0, Decay),
        "nesterov" => Optim.KerasSgd(Lr, Momentum ?? 0, Decay, nesterov: true),
        "rmsprop" => Optim.RmsProp(new InverseTimeDecay(Lr, Decay)),
        "adam" => Optim.Adam(new InverseTimeDecay(Lr, Decay)),
        "adamw" => Optim.AdamW(new InverseTimeDecay(Lr, Decay), WeightDecay ?? 0.01),
        "adagrad" => Optim.AdaGrad(new InverseTimeDecay(Lr, Decay)),
        _ => throw new BadInputException($"--optimizer {Optimizer}: unknown (expected {string.Join(", ", Optimizers)})."),
    };

    /// <summary>The hidden activation of this name (leaky ReLU with slope 0.1, 004; ELU with α = 1; GELU exact or in its tanh form).</summary>
    public static Activation ParseActivation(string name) => name switch
    {
        "relu" => new Relu(),
        "leaky-relu" => new LeakyRelu(0.1),
        "elu" => new Elu(1.0),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "identity" => new Identity(),
        "gelu" => new Gelu(),
        "gelu-tanh" => new GeluTanh(),
        "silu" => new Silu(),
        "softplus" => new Softplus(),
        _ => throw new BadInputException($"--activation {name}: unknown (expected {string.Join(", ", Activations)})."),
    };

    /// <summary>"momentum (lr 0.05, momentum 0.9, decay 0.0001)".</summary>
    public string DescribeOptimizer()
    {
        var parts = new List<string> { $"lr {Fmt(Lr)}" };
        if (Momentum is double mu) parts.Add($"momentum {Fmt(mu)}");
        parts.Add($"decay {Fmt(Decay)}");
        if (WeightDecay is double wd) parts.Add($"weight decay {Fmt(wd)}");
        return $"{Optimizer} ({string.Join(", ", parts)})";
    }

    private static string Fmt(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    // ---- the "training" object ----

    /// <summary>The "training" object of a model file, field by field.</summary>
    public Dictionary<string, JsonElement> ToJson()
    {
        var d = new Dictionary<string, JsonElement>
        {
            ["task"] = JsonOut.Element(w => w.WriteStringValue(IsRegression ? "regression" : "classification")),
        };
        if (!IsRegression) d["classes"] = JsonOut.Element(w => w.WriteNumberValue(Classes));
        d["data"] = JsonOut.Element(w => w.WriteStringValue(Data));
        if (Target is not null) d["target"] = JsonOut.Element(w => Ints(w, Target));
        d["layers"] = JsonOut.Element(w => Ints(w, Layers));
        d["activation"] = JsonOut.Element(w => w.WriteStringValue(Activation));
        d["dropout"] = JsonOut.Element(w => w.WriteNumberValue(Dropout));
        d["layer_norm"] = JsonOut.Element(w => w.WriteBooleanValue(LayerNorm));
        d["optimizer"] = JsonOut.Element(w => w.WriteStringValue(Optimizer));
        d["lr"] = JsonOut.Element(w => w.WriteNumberValue(Lr));
        if (Momentum is double mu) d["momentum"] = JsonOut.Element(w => w.WriteNumberValue(mu));
        d["decay"] = JsonOut.Element(w => w.WriteNumberValue(Decay));
        if (WeightDecay is double wd) d["weight_decay"] = JsonOut.Element(w => w.WriteNumberValue(wd));
        d["batch"] = JsonOut.Element(w => w.WriteNumberValue(Batch));
        d["seed"] = JsonOut.Element(w => w.WriteNumberValue(Seed));
        d["test_split"] = JsonOut.Element(w => w.WriteNumberValue(TestSplit));
        d["val_split"] = JsonOut.Element(w => w.WriteNumberValue(ValSplit));
        if (Shards > 1) d["shards"] = JsonOut.Element(w => w.WriteNumberValue(Shards));
        d["epochs"] = JsonOut.Element(w => w.WriteNumberValue(Epochs));
        d["seconds"] = JsonOut.Element(w => w.WriteNumberValue(Math.Round(Seconds, 3)));
        d["history"] = JsonOut.Element(w => WriteHistory(w, History));
        if (DataFingerprint is not null) d["data_sha256"] = JsonOut.Element(w => w.WriteStringValue(DataFingerprint));
        if (Diverged is not null) d["diverged"] = JsonOut.Element(w => w.WriteStringValue(Diverged));
        return d;
    }

    /// <summary>The history as a JSON array of {epoch, loss, accuracy, val_loss, val_accuracy, steps}.</summary>
    public static void WriteHistory(Utf8JsonWriter w, IEnumerable<EpochRecord> history)
    {
        w.WriteStartArray();
        foreach (var r in history)
        {
            w.WriteStartObject();
            w.WriteNumber("epoch", r.Epoch);
            w.WriteNumber("loss", r.Loss);
            w.NumberOrNull("accuracy", r.Accuracy);
            w.NumberOrNull("val_loss", r.ValidationLoss);
            w.NumberOrNull("val_accuracy", r.ValidationAccuracy);
            w.WriteNumber("steps", r.Steps);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Ints(Utf8JsonWriter w, IEnumerable<int> values)
    {
        w.WriteStartArray();
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    /// <summary>Reads the "training" object of a model file, naming the first missing or malformed field.</summary>
    public static TrainingRecord FromJson(IReadOnlyDictionary<string, JsonElement>? training, string path)
    {
        if (training is null) throw new ModelFileException($"{path}: training: missing; the model was not written by `mathdnn train`, so there is no run to resume.");
        var r = new FieldReader(training, path);
        string task = r.String("task");
        if (task is not ("classification" or "regression"))
            throw r.Error("task", $"expected \"classification\" or \"regression\", found \"{task}\"");
        var optimizer = r.String("optimizer");
        if (!Optimizers.Contains(optimizer)) throw r.Error("optimizer", $"unknown optimizer \"{optimizer}\" (expected {string.Join(", ", Optimizers)})");
        var activation = r.String("activation");
        if (!Activations.Contains(activation)) throw r.Error("activation", $"unknown activation \"{activation}\" (expected {string.Join(", ", Activations)})");
        var record = new TrainingRecord
        {
            Data = r.String("data"),
            Target = task == "regression" ? r.Ints("target", min: 1) : null,
            Classes = task == "classification" ? r.Int("classes", min: 2) : 0,
            Layers = r.Ints("layers", min: 1),
            Activation = activation,
            Dropout = r.OptionalDouble("dropout", 0),
            LayerNorm = r.OptionalBool("layer_norm", false),
            Optimizer = optimizer,
            Lr = r.Double("lr"),
            Momentum = UsesMomentum(optimizer) ? r.Double("momentum") : null,
            Decay = r.Double("decay"),
            WeightDecay = optimizer == "adamw" ? r.Double("weight_decay") : null,
            Batch = r.Int("batch", min: 0),
            Seed = r.Int("seed", min: int.MinValue),
            TestSplit = r.Double("test_split"),
            ValSplit = r.Double("val_split"),
            Shards = r.OptionalInt("shards", 1, min: 1),
            Epochs = r.Int("epochs", min: 0),
            Seconds = r.Double("seconds"),
            History = r.History("history"),
            DataFingerprint = r.OptionalFingerprint("data_sha256"),
            Diverged = training.TryGetValue("diverged", out var dv) && dv.ValueKind == JsonValueKind.String ? dv.GetString() : null,
        };
        if (!(record.Lr > 0)) throw r.Error("lr", $"must be positive, found {record.Lr}");
        if (!(record.Dropout >= 0 && record.Dropout < 1)) throw r.Error("dropout", $"must lie in [0, 1[, found {record.Dropout}");
        if (record.Momentum is double mu && !(mu >= 0 && mu < 1)) throw r.Error("momentum", $"must lie in [0, 1[, found {mu}");
        if (!(record.Decay >= 0)) throw r.Error("decay", $"must be ≥ 0, found {record.Decay}");
        if (record.WeightDecay is double wd && !(wd >= 0)) throw r.Error("weight_decay", $"must be ≥ 0, found {wd}");
        if (!(record.TestSplit > 0 && record.TestSplit < 1)) throw r.Error("test_split", $"must lie in ]0, 1[, found {record.TestSplit}");
        if (!(record.ValSplit >= 0 && record.ValSplit < 1)) throw r.Error("val_split", $"must lie in [0, 1[, found {record.ValSplit}");
        return record;
    }

    private sealed class FieldReader(IReadOnlyDictionary<string, JsonElement> obj, string path)
    {
        public ModelFileException Error(string field, string what) => new($"{path}: training.{field}: {what}.");

        private JsonElement Get(string field, JsonValueKind kind, string expected)
        {
            if (!obj.TryGetValue(field, out var e)) throw Error(field, "missing");
            if (e.ValueKind != kind) throw Error(field, $"expected {expected}, found {e.ValueKind.ToString().ToLowerInvariant()}");
            return e;
        }

        public string String(string field) => Get(field, JsonValueKind.String, "a string").GetString()!;

        public int Int(string field, int min)
        {
            var e = Get(field, JsonValueKind.Number, "an integer");
            if (!e.TryGetInt32(out int v) || v < min) throw Error(field, $"expected an integer ≥ {min}, found {e.GetRawText()}");
            return v;
        }

        public double Double(string field) => Number(Get(field, JsonValueKind.Number, "a number"), field);

        /// <summary>The number <paramref name="field"/>, or <paramref name="absent"/> when the record has no such field (older files).</summary>
        public int OptionalInt(string field, int absent, int min) => obj.ContainsKey(field) ? Int(field, min) : absent;

        public double OptionalDouble(string field, double absent) => obj.ContainsKey(field) ? Double(field) : absent;

        /// <summary>The fingerprint <paramref name="field"/> (<c>sha256:</c> and 64 hex digits), or null when the record has none (older files).</summary>
        public string? OptionalFingerprint(string field)
        {
            if (!obj.ContainsKey(field)) return null;
            var v = String(field);
            if (!(v.Length == 71 && v.StartsWith("sha256:", StringComparison.Ordinal) && v[7..].All(char.IsAsciiHexDigitLower)))
                throw Error(field, $"expected \"sha256:\" and 64 lower-case hex digits, found \"{v}\"");
            return v;
        }

        /// <summary>The boolean <paramref name="field"/>, or <paramref name="absent"/> when the record has no such field (older files).</summary>
        public bool OptionalBool(string field, bool absent)
        {
            if (!obj.TryGetValue(field, out var e)) return absent;
            if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Error(field, $"expected true or false, found {e.GetRawText()}");
            return e.GetBoolean();
        }

        private double Number(JsonElement e, string field)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
                throw Error(field, $"expected a finite number, found {e.GetRawText()}");
            return v;
        }

        public int[] Ints(string field, int min)
        {
            var a = Get(field, JsonValueKind.Array, "an array");
            var list = new List<int>();
            int i = 0;
            foreach (var e in a.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v < min)
                    throw Error($"{field}[{i}]", $"expected an integer ≥ {min}, found {e.GetRawText()}");
                list.Add(v);
                i++;
            }
            return [.. list];
        }

        public List<EpochRecord> History(string field)
        {
            var list = new List<EpochRecord>();
            if (!obj.TryGetValue(field, out var a)) return list;
            if (a.ValueKind != JsonValueKind.Array) throw Error(field, "expected an array");
            int i = 0;
            foreach (var e in a.EnumerateArray())
            {
                string at = $"{field}[{i}]";
                if (e.ValueKind != JsonValueKind.Object) throw Error(at, "expected an object");
                double? Opt(string name) =>
                    !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null : Number(v, $"{at}.{name}");
                int epoch = e.TryGetProperty("epoch", out var ep) && ep.TryGetInt32(out int en) ? en : throw Error($"{at}.epoch", "expected an integer");
                double loss = Opt("loss") ?? throw Error($"{at}.loss", "missing");
                long steps = e.TryGetProperty("steps", out var st) && st.TryGetInt64(out long sn) ? sn : 0;
                list.Add(new EpochRecord(epoch, loss, Opt("accuracy"), Opt("val_loss"), Opt("val_accuracy"), steps));
                i++;
            }
            return list;
        }
    }
}
