using System.Numerics.Tensors;
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
    public override string Name => "softmax";

    public override Matrix<double> Jacobian(Vector<double> z)
    {
        var s = Apply(z);
        int m = s.Count;
        // 003 Prop 2.2: S_i (δ_ij − S_j)
        return Matrix<double>.Build.Dense(m, m, (i, j) => s[i] * ((i == j ? 1.0 : 0.0) - s[j]));
    }

    internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> y, int rows, int cols)
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

    internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dz, int rows, int cols)
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
