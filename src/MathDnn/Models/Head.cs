using MathDnn.Activations;
using MathDnn.Cli.Data;
using MathDnn.IO;
using MathDnn.Losses;
using MathDnn.Networks;
using MathDnn.Training;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Cli.Models;

/// <summary>
/// How a network's last layer, its loss and the task fit together: which activation ends the network, how labels are
/// encoded as targets, and how outputs become class probabilities and predictions.
/// <list type="bullet">
/// <item>Categorical cross-entropy and the losses written in σ(o) (the σ-losses of the 004 table, softmax cross-entropy):
/// the network ends in softmax (003 Def 5.1); the core evaluates σ-losses on the logits, so σ is applied once.</item>
/// <item>Binary cross-entropy: the network ends in sigmoid; sigmoid binary cross-entropy takes the logits.
/// With two classes these have one output (the probability of class 1), otherwise one per class (one-vs-rest).</item>
/// <item>L1, L2, the hinge losses and the squared errors are defined on the raw output o of the last layer (004 table):
/// the network ends in its last dense layer. Hinge targets are ±1 (ŷ = 2y − 1), the others one-hot.</item>
/// <item>Regression (a CSV with <c>--target</c>): raw outputs, one per target column, squared errors only.</item>
/// </list>
/// Class probabilities are the softmax or sigmoid outputs when the network ends in one; the logistic function of the
/// logits for sigmoid binary cross-entropy (one-vs-rest); for other raw outputs the 004 table's probability estimate
/// σ(o) = softmax(o) (the logistic function for a single output).
/// </summary>
public sealed record Head(Loss Loss, bool Regression, int Classes, int OutputWidth)
{
    /// <summary>The head of a new network trained with <paramref name="loss"/> on <paramref name="data"/>.</summary>
    public static Head ForTraining(Loss loss, LoadedData data)
    {
        if (data.IsRegression)
        {
            if (loss.Encoding != TargetEncoding.Real)
                throw new BadInputException($"--loss {loss.Name}: regression (--target) needs real targets; use squared-error or mean-squared-error.");
            return new Head(loss, true, 0, data.Targets!.ColumnCount);
        }
        int width = data.Classes == 2 && loss.Encoding == TargetEncoding.UnitInterval ? 1 : data.Classes;
        return new Head(loss, false, data.Classes, width);
    }

    /// <summary>
    /// The head of a saved model: regression when its training record says so (or, without one, when the loss takes
    /// real targets), else a classifier with max(2, outputs) classes.
    /// </summary>
    public static Head ForModel(SavedModel model, string path)
    {
        Loss loss;
        try { loss = LossCatalogue.Parse(model.Loss); }
        catch (ArgumentException) { throw new ModelFileException($"{path}: loss: unknown loss \"{model.Loss}\" (known: {string.Join(", ", LossCatalogue.Names)})."); }
        string? task = model.Training is { } t && t.TryGetValue("task", out var tj) && tj.ValueKind == System.Text.Json.JsonValueKind.String ? tj.GetString() : null;
        if (task is not (null or "classification" or "regression"))
            throw new ModelFileException($"{path}: training.task: expected \"classification\" or \"regression\", found \"{task}\".");
        bool regression = task == "regression" || (task is null && loss.Encoding == TargetEncoding.Real);
        int width = model.Network.OutputSize;
        if (!regression && width == 1 && loss.Encoding == TargetEncoding.OneHot)
            throw new ModelFileException($"{path}: layers: the network has 1 output but the {loss.Name} loss needs one-hot targets (at least 2 outputs).");
        if (regression && loss.Encoding != TargetEncoding.Real)
            throw new ModelFileException($"{path}: loss: a regression model needs a loss on real targets, found {loss.Name}.");
        if (!regression && MissingOutputActivation(loss, model.Network) is { } needed)
            throw new ModelFileException($"{path}: layers: the {loss.Name} loss needs probabilities, so the network must end in {needed.Name}, " +
                $"but its last layer is {model.Network.Layers[^1].Name} (layers[{model.Network.Layers.Length - 1}]).");
        return new Head(loss, regression, regression ? 0 : Math.Max(2, width), width);
    }

    /// <summary>
    /// The activation <paramref name="network"/> must end in for <paramref name="loss"/> but does not, else null: the
    /// unfused cross-entropies (categorical, binary) take probabilities, so softmax or sigmoid must make them.
    /// </summary>
    public static Activation? MissingOutputActivation(Loss loss, Network network) =>
        loss is CategoricalCrossEntropy or BinaryCrossEntropy && ClassifierHead.OutputActivation(loss) is { } needed
            && network.Layers[^1].GetType() != needed.GetType() ? needed : null;

    /// <summary>The activation the network ends with (null: the last dense layer's raw output).</summary>
    public Activation? OutputActivation => Regression ? null : ClassifierHead.OutputActivation(Loss);

    /// <summary>The targets of these labels in the loss's encoding (one-hot, ±1, or a single 0/1 column).</summary>
    public Matrix<double> Targets(IReadOnlyList<int> labels) => ClassifierHead.Targets(Loss, labels, OutputWidth);

    /// <summary>The data set (inputs, encoded targets) the trainer and the objective take.</summary>
    public Dataset ToDataset(LoadedData data) =>
        new(data.X, Regression ? data.Targets! : Targets(data.Labels!));

    /// <summary>n×K class probabilities (see the type's summary); for regression, the outputs themselves.</summary>
    /// <exception cref="NonFiniteOutputException">An output is not finite (<see cref="Network.ForwardFinite"/>).</exception>
    public Matrix<double> Probabilities(Network network, Matrix<double> x)
    {
        var o = network.ForwardFinite(x);
        if (Regression) return o;
        var last = network.Layers[^1];
        if (OutputWidth == 1)
        {
            var p = last is Sigmoid ? o : new Sigmoid().Apply(o);
            return Matrix<double>.Build.Dense(o.RowCount, 2, (i, j) => j == 1 ? p[i, 0] : 1 - p[i, 0]);
        }
        if (last is Softmax or Sigmoid) return o;
        return Loss is SigmoidBinaryCrossEntropy ? new Sigmoid().Apply(o) : new Softmax().Apply(o);
    }

    /// <summary>The predicted class of each row: argmax of the outputs, or the threshold of a single output.</summary>
    public int[] Predict(Network network, Matrix<double> x)
    {
        if (Regression) throw new InvalidOperationException("A regression model predicts values, not classes.");
        if (OutputWidth > 1) return network.Predict(x);
        var o = network.Forward(x);
        double threshold = network.Layers[^1] is Sigmoid || Loss.Encoding == TargetEncoding.Real ? 0.5 : 0.0;
        var classes = new int[o.RowCount];
        for (int i = 0; i < classes.Length; i++) classes[i] = o[i, 0] >= threshold ? 1 : 0;
        return classes;
    }
}
