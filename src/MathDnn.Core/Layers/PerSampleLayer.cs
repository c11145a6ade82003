using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Layers;

/// <summary>
/// The simple form of a user's layer: written one sample at a time, in double, with MathNet vectors — the value
/// <see cref="Apply"/> ℓ(x; θ) and the backward pass <see cref="Pullback"/> u ↦ (u·J_x, u·J_θ). It is a full layer (it
/// composes in a network, trains with every optimizer, has Jacobians and is checked by the property kit); the library
/// runs it row by row, converting float32 batches to double and back, so it is slower than a layer written on spans
/// (<see cref="Layer.Forward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Batch)"/>). θ is this layer's slice of the
/// network's parameters, laid out as <see cref="Layer.ParameterShapes"/> (empty for a parameter-free layer).
/// </summary>
public abstract record PerSampleLayer : Layer
{
    /// <summary>ℓ(x; θ) for one sample x; its length must be <see cref="Layer.OutputSize"/> of x's.</summary>
    public abstract Vector<double> Apply(Vector<double> parameters, Vector<double> x, Batch batch);

    /// <summary>
    /// The backward pass at one sample: given x, y = ℓ(x; θ) and the upstream gradient u (a row of y's width), returns u·J_x
    /// (x's width) and u·J_θ (|θ_layer| values; empty for a parameter-free layer).
    /// </summary>
    public abstract (Vector<double> Input, Vector<double> Parameters) Pullback(Vector<double> parameters, Vector<double> x, Vector<double> y, Vector<double> upstream, Batch batch);

    /// <summary>Runs <see cref="Apply"/> on every row (in double).</summary>
    /// <exception cref="InvalidOperationException"><see cref="Apply"/> returned null or a vector of the wrong length.</exception>
    public sealed override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
    {
        var theta = ToVector(parameters);
        int n = batch.InputWidth, m = batch.OutputWidth;
        for (int s = 0; s < batch.Rows; s++)
        {
            var ys = Apply(theta, ToVector(x.Slice(s * n, n)), batch);
            if (ys is null || ys.Count != m)
                throw new InvalidOperationException($"{Name}: Apply returned {(ys is null ? "null" : $"1×{ys.Count}")} for a 1×{n} input; it must return 1×{m}.");
            for (int i = 0; i < m; i++) y[s * m + i] = T.CreateTruncating(ys[i]);
        }
    }

    /// <summary>Runs <see cref="Pullback"/> on every row (in double) and sums the parameter parts over the batch.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Pullback"/> returned vectors of the wrong lengths.</exception>
    public sealed override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch)
    {
        var theta = ToVector(parameters);
        int n = batch.InputWidth, m = batch.OutputWidth, count = parameterGradient.Length;
        var sum = new double[count];
        for (int s = 0; s < batch.Rows; s++)
        {
            var (gx, gt) = Pullback(theta, ToVector(x.Slice(s * n, n)), ToVector(y.Slice(s * m, m)), ToVector(dy.Slice(s * m, m)), batch);
            if (gx is null || gx.Count != n || gt is null || gt.Count != count)
                throw new InvalidOperationException(
                    $"{Name}: Pullback returned ({Shape(gx)}, {Shape(gt)}) for a 1×{n} input; it must return (1×{n}, 1×{count}).");
            if (!dx.IsEmpty) for (int i = 0; i < n; i++) dx[s * n + i] = T.CreateTruncating(gx[i]);
            for (int p = 0; p < count; p++) sum[p] += gt[p];
        }
        for (int p = 0; p < count; p++) parameterGradient[p] = T.CreateTruncating(sum[p]);
    }

    private static string Shape(Vector<double>? v) => v is null ? "null" : $"1×{v.Count}";

    private static Vector<double> ToVector<T>(ReadOnlySpan<T> values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var a = new double[values.Length];
        for (int i = 0; i < a.Length; i++) a[i] = double.CreateTruncating(values[i]);
        return Vector<double>.Build.DenseOfArray(a);
    }
}
