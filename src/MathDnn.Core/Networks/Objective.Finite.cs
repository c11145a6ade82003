using MathDnn.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Networks;

/// <summary>The check that every sample's output and loss is finite, naming the first that is not.</summary>
public sealed partial record Objective
{
    /// <summary>
    /// Checks that every sample's outputs N(xᵢ) (<see cref="Network.ForwardFinite"/>) and loss ξ(N(xᵢ), yᵢ*) — as 𝒪 evaluates it,
    /// on the logits when the last activation is fused — are finite, in chunks of 1,024 rows: what an evaluation must know
    /// before it reports a mean, e.g. for logits near ±1.7·10³⁰⁸, whose softmax is finite but whose cross-entropy overflows.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs or targets do not fit the network or the loss.</exception>
    /// <exception cref="NonFiniteOutputException">The first sample whose output or loss is not finite (or, when each is finite, the
    /// first of a chunk whose sum overflows).</exception>
    public void CheckFinite(Network network, Matrix<double> inputs, Matrix<double> targets)
    {
        var (x, t) = Check(network, inputs, targets);
        network.ForwardFinite(inputs);
        const int chunk = 1024;
        for (int start = 0; start < x.Rows; start += chunk)
        {
            int rows = Math.Min(chunk, x.Rows - start);
            if (double.IsFinite(SumOver(network, x, t, start, rows))) continue;
            for (int r = start; r < start + rows; r++)
            {
                double value = SumOver(network, x, t, r, 1);
                if (!double.IsFinite(value)) throw network.NonFinite(inputs, r, Loss.Name, value);
            }
            throw new NonFiniteOutputException(
                $"samples {start + 1}..{start + rows}: each {Loss.Name} loss is finite but their sum overflows.", start, null, double.PositiveInfinity);
        }
    }

    /// <summary>Σ of the losses of rows start … start + rows − 1, NaN when an output is not finite.</summary>
    private double SumOver(Network network, Mat<double> x, Mat<double> t, int start, int rows)
    {
        var xs = new Mat<double>(rows, x.Cols);
        x.Data.AsSpan(start * x.Cols, rows * x.Cols).CopyTo(xs.Span);
        var ts = new Mat<double>(rows, t.Cols);
        t.Data.AsSpan(start * t.Cols, rows * t.Cols).CopyTo(ts.Span);
        return Backpropagation.Run(network, Loss, Losses.Reduction.Sum, xs, ts, network.Parameters.Values, []);
    }
}
