namespace MathDnn.Layers;

// Written only on the public extension API (Layer's Forward/Backward and the Batch it is given), as a user's layer would
// be; the test Layers/PublicApiOnlyTests checks that nothing here reaches an internal member of MathDnn.Core.

/// <summary>
/// Inverted dropout with rate p ∈ [0, 1) (Srivastava et al. 2014): in a training step, y_i = x_i·m_i/(1 − p) with the mask
/// m_i = 1 when the step's uniform draw u_i ≥ p and 0 otherwise, so E[y] = x; when the network is evaluated (prediction,
/// validation, Jacobians, the objective) it is the identity. The draws come from the layer's seed for the step
/// (<see cref="Batch.Seed"/>, derived from the run's seed, the epoch and the step), one per entry of the batch, so the same
/// seed gives the same masks and a resumed run draws what the uninterrupted one drew. The Jacobian at a sampled mask is
/// diagonal, diag(m/(1 − p)) (the identity when evaluating), and the backward pass is δ ⊙ m/(1 − p). Rate 0 keeps every
/// entry with factor exactly 1, so it equals no dropout bit for bit.
/// </summary>
public sealed record Dropout : Layer
{
    /// <summary>Inverted dropout with rate p = <paramref name="rate"/>.</summary>
    /// <exception cref="ArgumentException">p is not in [0, 1) (NaN included).</exception>
    public Dropout(double rate)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentException($"Dropout: the rate must be in [0, 1), got {rate}.", nameof(rate));
        Rate = rate;
    }

    /// <summary>p, the probability that an entry is dropped in a training step.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override string Name => "dropout";

    /// <summary>{ "rate": p }.</summary>
    public override IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["rate"] = Rate };

    /// <summary>Whether entry <paramref name="index"/> (row·width + column) of the batch is kept: always when evaluating, u_i ≥ p in training.</summary>
    private bool Kept(Batch batch, int index) => !batch.Training || batch.Uniform(index) >= Rate;

    /// <summary>1/(1 − p) in training (the inverted scaling), 1 when evaluating.</summary>
    private T Scale<T>(Batch batch) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        batch.Training ? T.CreateTruncating(1.0 / (1.0 - Rate)) : T.One;

    /// <summary>y = x ⊙ m/(1 − p) in a training step (<see cref="Batch.Training"/>), y = x otherwise.</summary>
    public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
    {
        int count = batch.Rows * batch.InputWidth;
        if (!batch.Training) { x[..count].CopyTo(y); return; }
        T scale = Scale<T>(batch);
        for (int i = 0; i < count; i++) y[i] = Kept(batch, i) ? x[i] * scale : T.Zero;
    }

    /// <summary>dx = δ ⊙ m/(1 − p) in a training step (the same mask as the forward pass), dx = δ otherwise; no parameters.</summary>
    public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch)
    {
        if (dx.IsEmpty) return;
        int count = batch.Rows * batch.InputWidth;
        if (!batch.Training) { dy[..count].CopyTo(dx); return; }
        T scale = Scale<T>(batch);
        for (int i = 0; i < count; i++) dx[i] = Kept(batch, i) ? dy[i] * scale : T.Zero;
    }

    /// <summary>J = diag(m/(1 − p)) at the step's mask, the identity when evaluating.</summary>
    public override bool DiagonalJacobian<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> diagonal, Batch batch)
    {
        int count = batch.Rows * batch.InputWidth;
        T scale = Scale<T>(batch);
        for (int i = 0; i < count; i++) diagonal[i] = Kept(batch, i) ? scale : T.Zero;
        return true;
    }

    /// <summary>diag(m_s/(1 − p)) at every row s, written densely.</summary>
    public override void InputJacobians<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> jacobians, Batch batch)
    {
        int k = batch.Rows, n = batch.InputWidth;
        T scale = Scale<T>(batch);
        jacobians[..(k * n * n)].Clear();
        for (int s = 0; s < k; s++)
            for (int i = 0; i < n; i++) jacobians[(s * n + i) * n + i] = Kept(batch, s * n + i) ? scale : T.Zero;
    }
}
