using System.Numerics.Tensors;
using MathDnn.Jacobians;
using MathDnn.Kernels;
using MathDnn.Layers;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Activations;

/// <summary>
/// Softmax, 𝓢(z)_i = e^{z_i} / Σ_k e^{z_k} (003 Def 2.2), computed as e^{z_i − max z} / Σ_k e^{z_k − max z}: the shift
/// cancels in the quotient, the largest exponential is exactly 1, so logits of ±1000 give finite results accurate
/// to rounding. Its Jacobian is J_𝓢(z)_{i,j} = 𝓢_i(δ_{i,j} − 𝓢_j), i.e. diag(s) − sᵀs (003 Prop 2.2): symmetric,
/// with rows summing to 0. The backward pass u·J = s ⊙ (u − ⟨u, s⟩) needs no matrix.
/// </summary>
public sealed record Softmax : Activation
{
    /// <inheritdoc/>
    public override string Name => "softmax";

    /// <summary>J_𝓢(z) = diag(s) − sᵀs ∈ M_{m,m}, s = 𝓢(z): entries 𝓢_i(δ_{i,j} − 𝓢_j) (003 Prop 2.2).</summary>
    public override Matrix<double> Jacobian(Vector<double> z)
    {
        var s = Apply(z).AsArrayOrCopy();
        int m = s.Length;
        var j = new double[m * m]; // symmetric, so row-major and column-major agree
        for (int i = 0; i < m; i++)
        {
            for (int c = 0; c < m; c++) j[i * m + c] = -s[i] * s[c]; // 003 Prop 2.2: S_i (δ_ij − S_j)
            j[i * m + i] = s[i] * (1 - s[i]);
        }
        return Matrix<double>.Build.Dense(m, m, j);
    }

    /// <summary>J_𝓢(z_s) = diag(s) − sᵀs with s = 𝓢(z_s), kept as a diagonal minus a rank-one factor (003 Prop 2.2).</summary>
    internal override void AppendJacobianFactors<T>(ReadOnlyMemory<T> parameters, Mat<T> x, Mat<T> y, List<Factor<T>> factors) =>
        factors.Add(DiagonalMinusRankOneFactor<T>.Softmax(y.Data.AsMemory(0, y.Rows * y.Cols), y.Cols, y.Rows));

    /// <summary>Each row: e^{z − max z} / Σ e^{z − max z}.</summary>
    public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> z, Span<T> y, Batch batch) =>
        Forward(z, y, batch.Rows, batch.InputWidth);

    /// <summary>Each row: u·J = s ⊙ (u − ⟨u, s⟩) (003 Prop 2.2).</summary>
    public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> z, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dz, Span<T> parameterGradient, Batch batch)
    {
        if (!dz.IsEmpty) Backward(y, dy, dz, batch.Rows, batch.InputWidth);
    }

    internal static void Forward<T>(ReadOnlySpan<T> z, Span<T> y, int rows, int cols) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var zr = z.Slice(r * cols, cols);
            var yr = y.Slice(r * cols, cols);
            T max = TensorPrimitives.Max(zr);
            TensorPrimitives.Subtract(zr, max, yr);
            TensorPrimitives.Exp(yr, yr);
            T sum = TensorPrimitives.Sum<T>(yr);
            TensorPrimitives.Divide(yr, sum, yr);
        }
    }

    internal static void Backward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dz, int rows, int cols) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var s = y.Slice(r * cols, cols);
            var u = dy.Slice(r * cols, cols);
            var d = dz.Slice(r * cols, cols);
            T us = TensorPrimitives.Dot(u, s);
            TensorPrimitives.Subtract(u, us, d);   // u − ⟨u, s⟩
            TensorPrimitives.Multiply(d, s, d);    // s ⊙ (u − ⟨u, s⟩) = u·(diag(s) − sᵀs)
        }
    }

    /// <summary>log Σ_k e^{z_k} = max z + log Σ_k e^{z_k − max z}, finite for finite z.</summary>
    public static double LogSumExp(ReadOnlySpan<double> z)
    {
        double max = TensorPrimitives.Max(z);
        double sum = 0;
        foreach (var v in z) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
