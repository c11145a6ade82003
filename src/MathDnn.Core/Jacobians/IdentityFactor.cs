using System.Numerics;

namespace MathDnn.Jacobians;

/// <summary>Iₙ, the Jacobian of the identity (003 Notation 4) and of the bias block of a dense layer (003 Prop 4.3): a copy.</summary>
internal sealed class IdentityFactor<T> : Factor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public IdentityFactor(int n) : base(n, n, 0) { }

    public override string Structure => $"identity {Rows}";
    public override double LeftCost(int n) => ElementCost * Rows * n / 2;
    public override double RightCost(int m) => ElementCost * m * Rows / 2;
    public override double MaterializeCost => ElementCost * Rows * (Rows + 1) / 2.0;

    public override void Left(ReadOnlySpan<T> d, int n, int k, Span<T> r) => d[..(k * Rows * n)].CopyTo(r);
    public override void Right(ReadOnlySpan<T> d, int m, int k, Span<T> r) => d[..(k * m * Rows)].CopyTo(r);

    public override void Materialize(int k, Span<T> r)
    {
        int n = Rows;
        r[..(k * n * n)].Clear();
        for (int s = 0; s < k; s++)
            for (int i = 0; i < n; i++) r[s * n * n + i * n + i] = T.One;
    }

    public override Factor<T> Transpose() => this;
    public override Factor<T> Sample(int s) => this;
}
