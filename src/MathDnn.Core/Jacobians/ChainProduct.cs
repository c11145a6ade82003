using System.Buffers;
using System.Numerics;
using MathDnn.Kernels;

namespace MathDnn.Jacobians;

/// <summary>
/// How a chain F_1 ⋯ F_q is multiplied out: the association (e.g. "((F1·F2)·F3)"), the order it came from and its
/// estimated cost in multiply-adds per sample (a structured factor costs what its structure costs: a diagonal one a
/// scaling, not a product).
/// </summary>
/// <param name="Association">The parenthesisation, e.g. "((F1·F2)·F3)".</param>
/// <param name="Cost">The estimated cost in multiply-adds per sample.</param>
/// <param name="Order">The order the association came from.</param>
public sealed record ChainPlan(string Association, double Cost, JacobianOrder Order)
{
    /// <summary>"association (order, ≈ cost multiply-adds)".</summary>
    public override string ToString() => $"{Association} ({Order}, ≈ {Cost:G4} multiply-adds)";
}

/// <summary>
/// The product of a chain of structured factors (003 Thm 1.3): the matrix-chain problem solved by dynamic programming
/// over the factors' real costs, its execution on k samples at once, and the application of a chain to vectors
/// (J·v and u·J) without forming it. Intermediates are the products of sub-chains, never larger than the largest
/// (rows of a factor) × (columns of a factor) per sample.
/// </summary>
internal static class ChainProduct
{
    /// <summary>The association order of a chain (leftmost factor first): split[i, j] is the last factor of the left part of [i..j].</summary>
    internal sealed class Tree(int[,] split, double cost)
    {
        public readonly int[,] Split = split;
        public readonly double Cost = cost;
    }

    public static Tree Plan<T>(IReadOnlyList<Factor<T>> f, JacobianOrder order) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int q = f.Count;
        var cost = new double[q, q];
        var split = new int[q, q];
        for (int len = 2; len <= q; len++)
            for (int i = 0; i + len - 1 < q; i++)
            {
                int j = i + len - 1;
                cost[i, j] = double.PositiveInfinity;
                int from = order == JacobianOrder.FromInput ? i : order == JacobianOrder.FromOutput ? j - 1 : i;
                int to = order == JacobianOrder.FromInput ? i : j - 1;
                for (int s = from; s <= to; s++)
                {
                    double c = cost[i, s] + cost[s + 1, j] + Combine(f, i, s, j);
                    if (c < cost[i, j]) { cost[i, j] = c; split[i, j] = s; }
                }
            }
        double total = q == 1 ? f[0].MaterializeCost : cost[0, q - 1];
        return new Tree(split, total);
    }

    /// <summary>The cost of multiplying the products of [i..s] and [s+1..j] (each dense unless it is a single factor).</summary>
    private static double Combine<T>(IReadOnlyList<Factor<T>> f, int i, int s, int j) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = f[i].Rows, inner = f[s].Cols, cols = f[j].Cols;
        bool leftLeaf = i == s, rightLeaf = s + 1 == j;
        if (leftLeaf && rightLeaf)
            return Math.Min(f[i].LeftCost(cols) + f[j].MaterializeCost, f[j].RightCost(rows) + f[i].MaterializeCost);
        if (leftLeaf) return f[i].LeftCost(cols);
        if (rightLeaf) return f[j].RightCost(rows);
        return (double)rows * inner * cols;
    }

    public static string Describe(Tree t, int i, int j) =>
        i == j ? $"F{i + 1}" : $"({Describe(t, i, t.Split[i, j])}·{Describe(t, t.Split[i, j] + 1, j)})";

    /// <summary>Writes the k products F_1,s ⋯ F_q,s as k dense blocks (rows of F_1 × columns of F_q) into <paramref name="result"/>.</summary>
    public static void Materialize<T>(IReadOnlyList<Factor<T>> f, int k, JacobianOrder order, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tree = Plan(f, order);
        Evaluate(f, tree, 0, f.Count - 1, k, result);
    }

    private static void Evaluate<T>(IReadOnlyList<Factor<T>> f, Tree t, int i, int j, int k, Span<T> dest) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (i == j) { f[i].Materialize(k, dest); return; }
        int s = t.Split[i, j];
        int rows = f[i].Rows, inner = f[s].Cols, cols = f[j].Cols;
        bool leftLeaf = i == s, rightLeaf = s + 1 == j;
        if (!leftLeaf && !rightLeaf)
        {
            var left = ArrayPool<T>.Shared.Rent(k * rows * inner);
            var right = ArrayPool<T>.Shared.Rent(k * inner * cols);
            try
            {
                Evaluate(f, t, i, s, k, left.AsSpan(0, k * rows * inner));
                Evaluate(f, t, s + 1, j, k, right.AsSpan(0, k * inner * cols));
                for (int x = 0; x < k; x++)
                    Blas.Gemm(false, false, rows, cols, inner, T.One, left.AsSpan(x * rows * inner, rows * inner), inner,
                        right.AsSpan(x * inner * cols, inner * cols), cols, T.Zero, dest.Slice(x * rows * cols, rows * cols), cols);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(left);
                ArrayPool<T>.Shared.Return(right);
            }
            return;
        }
        // One side is a single structured factor: it is applied to the dense product of the other side. When both are
        // single factors, the one whose product with the other is cheaper is written as a matrix.
        bool applyLeft = leftLeaf && (!rightLeaf
            || f[i].LeftCost(cols) + f[j].MaterializeCost <= f[j].RightCost(rows) + f[i].MaterializeCost);
        int length = applyLeft ? k * inner * cols : k * rows * inner;
        var buffer = ArrayPool<T>.Shared.Rent(length);
        try
        {
            var tmp = buffer.AsSpan(0, length);
            if (applyLeft)
            {
                Evaluate(f, t, s + 1, j, k, tmp);
                f[i].Left(tmp, cols, k, dest);
            }
            else
            {
                Evaluate(f, t, i, s, k, tmp);
                f[j].Right(tmp, rows, k, dest);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// J_s·v_s for each sample (forward mode): <paramref name="v"/> holds k rows of F_q's columns, <paramref name="result"/>
    /// receives k rows of F_1's rows; applied from the right end with two ping-pong buffers.
    /// </summary>
    public static void ApplyLeft<T>(IReadOnlyList<Factor<T>> f, ReadOnlySpan<T> v, int k, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = f.Max(x => Math.Max(x.Rows, x.Cols));
        var a = ArrayPool<T>.Shared.Rent(k * width);
        var b = ArrayPool<T>.Shared.Rent(k * width);
        try
        {
            v[..(k * f[^1].Cols)].CopyTo(a);
            for (int i = f.Count - 1; i >= 0; i--)
            {
                var dest = i == 0 ? result : b.AsSpan(0, k * f[i].Rows);
                f[i].Left(a.AsSpan(0, k * f[i].Cols), 1, k, dest);
                (a, b) = (b, a);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(a);
            ArrayPool<T>.Shared.Return(b);
        }
    }

    /// <summary>
    /// U_s·J_s for each sample s (reverse mode): <paramref name="u"/> holds k blocks of m rows of F_1's rows,
    /// <paramref name="result"/> receives k blocks of m rows of F_q's columns; applied from the left end.
    /// </summary>
    public static void ApplyRight<T>(IReadOnlyList<Factor<T>> f, ReadOnlySpan<T> u, int m, int k, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = f.Max(x => Math.Max(x.Rows, x.Cols));
        var a = ArrayPool<T>.Shared.Rent(k * m * width);
        var b = ArrayPool<T>.Shared.Rent(k * m * width);
        try
        {
            u[..(k * m * f[0].Rows)].CopyTo(a);
            for (int i = 0; i < f.Count; i++)
            {
                var dest = i == f.Count - 1 ? result : b.AsSpan(0, k * m * f[i].Cols);
                f[i].Right(a.AsSpan(0, k * m * f[i].Rows), m, k, dest);
                (a, b) = (b, a);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(a);
            ArrayPool<T>.Shared.Return(b);
        }
    }
}
