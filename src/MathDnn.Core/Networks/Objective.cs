using MathDnn.Activations;
using MathDnn.Calculus;
using MathDnn.Kernels;
using MathDnn.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Networks;

/// <summary>
/// The objective 𝒪(X, Y*, θ) = Σᵢ ξ(N(xᵢ; θ), yᵢ*) of 003 Def 5.2 (or its mean over the batch), and its gradient in θ
/// by backpropagation: the downstream gradient of each layer is the upstream one times the layer's Jacobian
/// (the recursion of 001 Section 5, the Note of 003 Def 5.2), computed batch-wise as 003 Props 5.1–5.3 simplify it.
/// When the network ends in softmax and the loss is categorical cross-entropy, the two are fused: the loss is
/// evaluated on the logits by log-sum-exp and the gradient enters as 𝓢(z) − y* (003 Prop 5.3); likewise sigmoid with
/// binary cross-entropy. A loss that applies the softmax itself (<see cref="Loss.AppliesSoftmax"/>: the σ-losses of the
/// 004 table) takes the logits of a network ending in softmax, so σ is applied once. The value is the same function,
/// computed stably.
/// </summary>
/// <param name="Loss">ξ, the per-sample loss.</param>
/// <param name="Reduction">How the per-sample losses are combined: the sum of 003 Def 5.2 (default) or the mean.</param>
public sealed partial record Objective(Loss Loss, Reduction Reduction = Reduction.Sum)
{
    /// <summary>𝒪(X, Y*, θ) at the network's parameters.</summary>
    public double Value(Network network, Matrix<double> inputs, Matrix<double> targets)
    {
        using var pass = RunPass<double>(network, inputs, CheckTargets(network, inputs, targets), Reduction, Backpropagation.Pass.Value);
        return pass.Value;
    }

    /// <summary>𝒪 and ∇_θ𝒪, the gradient laid out like the network's parameters.</summary>
    public (double Value, Parameters Gradient) ValueAndGradient(Network network, Matrix<double> inputs, Matrix<double> targets)
    {
        double v;
        var g = new double[network.ParameterCount];
        using (var pass = RunPass<double>(network, inputs, CheckTargets(network, inputs, targets), Reduction, Backpropagation.Pass.Gradient))
        {
            v = pass.Value;
            pass.Ws.Gradient.CopyTo(g);
        }
        var gradient = Parameters.Own(network.Parameters.Layout, g);
        if (gradient.FirstNonFinite() is { } bad)
            throw new ArithmeticException($"Objective: the gradient is not finite: {bad.Value} at {bad.Block} entry ({bad.Row}, {bad.Column}).");
        return (v, gradient);
    }

    /// <summary>∇_θ𝒪(X, Y*, θ) alone, laid out like the network's parameters (see <see cref="ValueAndGradient"/>).</summary>
    /// <exception cref="ArgumentException">The inputs or targets do not fit the network or the loss.</exception>
    /// <exception cref="ArithmeticException">The gradient has a non-finite entry.</exception>
    public Parameters Gradient(Network network, Matrix<double> inputs, Matrix<double> targets) =>
        ValueAndGradient(network, inputs, targets).Gradient;

    /// <summary>θ ↦ 𝒪(X, Y*, θ) as a <see cref="DifferentiableFunction"/> ℝ^{|θ|} → ℝ, e.g. for finite-difference checks.</summary>
    public DifferentiableFunction AsFunctionOfParameters(Network network, Matrix<double> inputs, Matrix<double> targets)
    {
        var (x, t) = Check(network, inputs, targets);
        var layout = network.Parameters.Layout;
        return new DifferentiableFunction("objective", network.ParameterCount, 1,
            theta => Vector<double>.Build.Dense(1, Backpropagation.Run(network, Loss, Reduction, x, t, theta.ToArray(), null)),
            theta =>
            {
                var g = new double[layout.Count];
                Backpropagation.Run(network, Loss, Reduction, x, t, theta.ToArray(), g);
                return Matrix<double>.Build.DenseOfRowMajor(1, g.Length, g);
            });
    }

    /// <summary>Whether this objective fuses the network's last activation into the loss (softmax + cross-entropy, sigmoid + binary cross-entropy).</summary>
    public bool IsFused(Network network) => Backpropagation.FusedLoss(network, Loss) is not null;

    private double Finite(Network network, Matrix<double> x, double value)
    {
        if (double.IsFinite(value)) return value;
        var where = network.FirstNonFinite(Mat.From(x), network.Parameters.Values);
        throw new ArithmeticException(where is { } w
            ? $"Objective: the output of layer {w.Layer} ({network.Layers[w.Layer].Name}) is {w.Value} at sample {w.Row}, unit {w.Column}; the parameters or inputs overflow."
            : $"Objective: the loss {Loss.Name} is {value} although every layer output is finite.");
    }

    internal (Mat<double> X, Mat<double> T) Check(Network network, Matrix<double> inputs, Matrix<double> targets)
    {
        ArgumentNullException.ThrowIfNull(network);
        var x = network.CheckInput(inputs);
        return (x, CheckTargets(network, inputs, targets));
    }

    /// <summary>Checks Y* against X and the network and returns it row-major; X itself is checked where it is copied.</summary>
    internal Mat<double> CheckTargets(Network network, Matrix<double> inputs, Matrix<double> targets)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.RowCount != inputs.RowCount || targets.ColumnCount != network.OutputSize)
            throw new ArgumentException(
                $"Objective: X is {Guard.Shape(inputs)} and Y* is {Guard.Shape(targets)}, but the network maps rows of width {network.InputSize} " +
                $"to rows of width {network.OutputSize}; Y* must be {inputs.RowCount}×{network.OutputSize}.");
        var t = Mat.From(targets);
        Loss.ValidateTargets(t, $"{Loss.Name} loss");
        return t;
    }
}

