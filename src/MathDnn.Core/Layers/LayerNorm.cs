using System.Numerics.Tensors;
using MathDnn.Networks;

namespace MathDnn.Layers;

// Written only on the public extension API, as a user's layer would be (see Dropout.cs).

/// <summary>
/// Layer normalisation over the n features of each sample (Ba, Kiros and Hinton 2016), with learned gain γ ∈ ℝⁿ and bias
/// β ∈ ℝⁿ: y = γ ⊙ x̂ + β, x̂ = (x − μ)/σ, μ = (1/n)Σ_j x_j, σ = √(v + ε), v = (1/n)Σ_j (x_j − μ)² (two passes, so no
/// cancellation). γ starts at 1 and β at 0.
/// <para>
/// <b>Its Jacobian couples the features of a sample.</b> With ∂μ/∂x_j = 1/n and ∂v/∂x_j = (2/n)(x_j − μ), so
/// ∂σ/∂x_j = (x_j − μ)/(nσ) = x̂_j/n: ∂x̂_i/∂x_j = (δ_ij − 1/n)/σ − (x_i − μ)·x̂_j/(nσ²) = (δ_ij − 1/n − x̂_i x̂_j/n)/σ, hence
/// J = diag(γ)·(1/σ)·(Iₙ − (1/n)𝟙ᵀ𝟙 − (1/n)x̂ᵀx̂): the identity minus two rank-one terms, scaled — not diagonal.
/// The backward pass applies it without forming it: with g = δ ⊙ γ (the gradient at x̂),
/// δ·J = (1/σ)(g − mean(g)·𝟙 − mean(g ⊙ x̂)·x̂), O(n) per sample instead of O(n²). The parameter gradients are
/// ∂/∂γ = Σ_s δ_s ⊙ x̂_s and ∂/∂β = Σ_s δ_s.
/// </para>
/// </summary>
public sealed record LayerNorm : Layer
{
    /// <summary>Layer normalisation of <paramref name="features"/> = n features with ε = <paramref name="epsilon"/> (default 1e-5).</summary>
    /// <exception cref="ArgumentException">n is below 1, or ε is not positive and finite.</exception>
    public LayerNorm(int features, double epsilon = 1e-5)
    {
        if (features < 1) throw new ArgumentException($"Layer normalisation: the number of features must be positive, got {features}.", nameof(features));
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new ArgumentException($"Layer normalisation: ε must be positive and finite, got {epsilon}.", nameof(epsilon));
        Features = features;
        Epsilon = epsilon;
    }

    /// <summary>n, the width normalised.</summary>
    public int Features { get; }

    /// <summary>ε, added to the variance.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "layer-norm";
    /// <summary>n (<see cref="Features"/>).</summary>
    public override int? InputSize => Features;

    /// <summary>n.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputSize"/> is not n.</exception>
    public override int OutputSize(int inputSize)
    {
        if (inputSize != Features)
            throw new ArgumentException($"Layer normalisation: takes rows of width {Features} but got rows of width {inputSize}.");
        return Features;
    }

    /// <summary>γ ("gain", a vector of n) then β ("bias", a vector of n).</summary>
    public override IReadOnlyList<ParameterShape> ParameterShapes => [ParameterShape.Vector("gain", Features), ParameterShape.Vector("bias", Features)];

    /// <summary>{ "epsilon": ε }.</summary>
    public override IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["epsilon"] = Epsilon };

    /// <summary>γ = 1, β = 0 (the identity on normalised rows); draws nothing.</summary>
    public override void Initialize(Span<double> parameters, int inputSize, Initialization scheme, ref Rng rng)
    {
        parameters[..Features].Fill(1.0);
        parameters.Slice(Features, Features).Clear();
    }

    /// <summary>x̂ of one row into <paramref name="xhat"/>; returns 1/σ.</summary>
    private T Normalise<T>(ReadOnlySpan<T> x, Span<T> xhat) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T n = T.CreateTruncating(Features);
        T mean = TensorPrimitives.Sum(x) / n;
        TensorPrimitives.Subtract(x, mean, xhat);
        T variance = TensorPrimitives.Dot<T>(xhat, xhat) / n;
        T inv = T.One / T.Sqrt(variance + T.CreateTruncating(Epsilon));
        TensorPrimitives.Multiply(xhat, inv, xhat);
        return inv;
    }

    /// <summary>Each row: y = γ ⊙ x̂ + β.</summary>
    public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
    {
        int n = Features;
        var gain = parameters[..n];
        var bias = parameters.Slice(n, n);
        for (int s = 0; s < batch.Rows; s++)
        {
            var ys = y.Slice(s * n, n);
            Normalise(x.Slice(s * n, n), ys);
            TensorPrimitives.FusedMultiplyAdd(ys, gain, bias, ys); // γ ⊙ x̂ + β
        }
    }

    /// <summary>Each row: dx = (1/σ)(g − mean(g)·𝟙 − mean(g ⊙ x̂)·x̂) with g = δ ⊙ γ; ∂/∂γ = Σ_s δ_s ⊙ x̂_s, ∂/∂β = Σ_s δ_s.</summary>
    public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch)
    {
        int n = Features;
        var gain = parameters[..n];
        var dGain = parameterGradient[..n];
        var dBias = parameterGradient.Slice(n, n);
        dGain.Clear();
        dBias.Clear();
        T count = T.CreateTruncating(n);
        T[]? rented = n <= 256 ? null : System.Buffers.ArrayPool<T>.Shared.Rent(2 * n); // allocation-free in steady state
        Span<T> buffer = rented is null ? stackalloc T[2 * n] : rented.AsSpan(0, 2 * n);
        var xhat = buffer[..n];
        var g = buffer.Slice(n, n);
        for (int s = 0; s < batch.Rows; s++)
        {
            var d = dy.Slice(s * n, n);
            T inv = Normalise(x.Slice(s * n, n), xhat);
            TensorPrimitives.FusedMultiplyAdd(d, xhat, dGain, dGain); // ∂/∂γ += δ ⊙ x̂
            TensorPrimitives.Add(dBias, d, dBias);                    // ∂/∂β += δ
            if (dx.IsEmpty) continue;
            TensorPrimitives.Multiply(d, gain, g);                    // g = δ ⊙ γ
            T meanG = TensorPrimitives.Sum<T>(g) / count;
            T meanGx = TensorPrimitives.Dot<T>(g, xhat) / count;
            var out_ = dx.Slice(s * n, n);
            // (1/σ)(g − mean(g) − mean(g ⊙ x̂)·x̂)
            TensorPrimitives.Multiply(xhat, -meanGx, out_);
            TensorPrimitives.Add(out_, g, out_);
            TensorPrimitives.Subtract(out_, meanG, out_);
            TensorPrimitives.Multiply(out_, inv, out_);
        }
        if (rented is not null) System.Buffers.ArrayPool<T>.Shared.Return(rented);
    }

    /// <summary>J_{ij} = (γ_i/σ)(δ_ij − 1/n − x̂_i x̂_j/n) at every row (derived above).</summary>
    public override void InputJacobians<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> jacobians, Batch batch)
    {
        int n = Features;
        var gain = parameters[..n];
        T count = T.CreateTruncating(n);
        var xhat = new T[n];
        for (int s = 0; s < batch.Rows; s++)
        {
            T inv = Normalise(x.Slice(s * n, n), xhat);
            var j = jacobians.Slice(s * n * n, n * n);
            for (int r = 0; r < n; r++)
            {
                T scale = gain[r] * inv;
                for (int c = 0; c < n; c++)
                    j[r * n + c] = scale * ((r == c ? T.One : T.Zero) - (T.One + xhat[r] * xhat[c]) / count);
            }
        }
    }
}
