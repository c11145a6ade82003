using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Layers;

/// <summary>The shape of one parameter block of a layer: a rows×columns matrix (a bias is 1×m).</summary>
public sealed record ParameterShape(string Name, int Rows, int Columns)
{
    public int Length => Rows * Columns;
}

/// <summary>
/// One stage of a network: a dense layer, an activation, maxout… A layer is an immutable description (its sizes);
/// its parameters live in the network's <see cref="Networks.Parameters"/>, laid out as <see cref="ParameterShapes"/>
/// says. Batches have one sample per row (003 Convention 2). The batched forward and backward passes are generic
/// over the element type so that float32 and float64 share one implementation.
/// </summary>
public abstract record Layer
{
    /// <summary>A short name used in messages and model files (e.g. "dense", "relu").</summary>
    public abstract string Name { get; }

    /// <summary>The input width this layer requires, or null when it accepts any width (element-wise activations, softmax).</summary>
    public virtual int? InputSize => null;

    /// <summary>The output width for a given input width (throws when the input width is not accepted).</summary>
    public virtual int OutputSize(int inputSize) => inputSize;

    /// <summary>The parameter blocks of this layer, in storage order; empty for parameter-free layers.</summary>
    public virtual IReadOnlyList<ParameterShape> ParameterShapes => [];

    /// <summary>Σ of the block lengths.</summary>
    public int ParameterCount => ParameterShapes.Sum(s => s.Length);

    /// <summary>Y = layer(X) row by row. <paramref name="parameters"/> is this layer's slice of θ.</summary>
    internal abstract void Forward<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>
    /// The backward pass: given the forward input X, output Y and the upstream gradient dY (one row per sample),
    /// writes the parameter gradient (summed over the batch) into <paramref name="parameterGradient"/> and, when
    /// <paramref name="dx"/> is not null, the downstream gradient dX.
    /// </summary>
    internal abstract void Backward<T>(ReadOnlySpan<T> parameters, Mat<T> x, Mat<T> y, Mat<T> dy, Mat<T>? dx, Span<T> parameterGradient)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>The explicit Jacobian of the layer's output with respect to its input at one sample x (m×n).</summary>
    internal abstract Matrix<double> InputJacobian(ReadOnlySpan<double> parameters, Vector<double> x);

    /// <summary>The explicit Jacobian of the layer's output with respect to its flattened parameters at one sample x (m×|θ_layer|).</summary>
    internal virtual Matrix<double> ParameterJacobian(ReadOnlySpan<double> parameters, Vector<double> x) =>
        Matrix<double>.Build.Dense(OutputSize(x.Count), 0);

    /// <summary>Checks that an input of width <paramref name="inputSize"/> is accepted; the message names the layer and both shapes.</summary>
    internal void CheckInput(string operation, int inputSize)
    {
        if (InputSize is int n && n != inputSize)
            throw new ArgumentException($"{operation}: {Name} takes rows of width {n} but got rows of width {inputSize}.");
    }
}
