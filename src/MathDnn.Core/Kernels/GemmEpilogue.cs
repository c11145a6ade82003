using System.Numerics.Tensors;

namespace MathDnn.Kernels;

/// <summary>
/// What the store of a product's last k-block does after C ← β·C + α·acc, in this order: adds a row vector b to every
/// row of C, C[i,j] ← C[i,j] + b[j] (a dense layer's bias, 003 Def 4.1); masks C by a matrix Z, C[i,j] ← C[i,j] where
/// Z[i,j] &gt; 0 and +0 elsewhere (the backward pass of a ReLU whose input was Z, dz = dy ⊙ 𝟙_{ℝ++}(z), 003 Prop 5.1);
/// and writes R[i,j] = max(C[i,j], 0) beside C (the ReLU that follows the layer, 003 Def 2.1). Each entry sees the same
/// roundings as the product followed by separate passes (one addition for b, none for the mask or the ReLU), so a fused
/// product is bit-identical to the unfused one; it only saves reading C back. <see cref="Bias"/>, <see cref="Mask"/> and
/// <see cref="Relu"/> are null when unused; R may be C itself (then only max(C, 0) is kept).
/// </summary>
internal readonly unsafe struct GemmEpilogue<T>(T* bias, T* relu, int ldr, T* mask = null, int ldm = 0) where T : unmanaged
{
    /// <summary>b, n entries (one per column of C), or null.</summary>
    public readonly T* Bias = bias;

    /// <summary>R, m×n at row stride <see cref="Ldr"/>, or null.</summary>
    public readonly T* Relu = relu;

    /// <summary>The row stride of R.</summary>
    public readonly int Ldr = ldr;

    /// <summary>Z, m×n at row stride <see cref="Ldm"/>: C keeps the entries where Z &gt; 0; or null.</summary>
    public readonly T* Mask = mask;

    /// <summary>The row stride of Z.</summary>
    public readonly int Ldm = ldm;
}

/// <summary>The scalar and separate-pass forms of <see cref="GemmEpilogue{T}"/>.</summary>
internal static class GemmEpilogue
{
    /// <summary>
    /// max(x, 0) with the semantics of the ReLU layer (TensorPrimitives.Max(x, 0), 003 Def 2.1): +0 for x ≤ 0, −0
    /// included (IEEE maximum orders −0 below +0); x itself for x &gt; 0 and for NaN (which propagates).
    /// </summary>
    public static T Relu<T>(T x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => x <= T.Zero ? T.Zero : x;

    /// <summary>x where z &gt; 0, +0 elsewhere (z ≤ 0 or NaN): the ReLU layer's backward select (003 Prop 5.1).</summary>
    public static T Masked<T>(T x, T z) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => z > T.Zero ? x : T.Zero;

    /// <summary>
    /// One entry of the epilogue, for the kernels that store entry by entry: c[j] ← x + bias[j] (when
    /// <paramref name="bias"/> is not null), masked by z[j] &gt; 0 (<see cref="Masked{T}"/>, when <paramref name="z"/> is not
    /// null), and r[j] = max(c[j], 0) (<see cref="Relu{T}"/>, when <paramref name="r"/> is not null); c, z and r point at
    /// the entry's row.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<T>(T x, T* c, nint j, T* bias, T* z, T* r) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (bias is not null) x += bias[j];
        if (z is not null) x = Masked(x, z[j]);
        c[j] = x;
        if (r is not null) r[j] = Relu(x);
    }

    /// <summary>
    /// The epilogue as separate passes over C (m rows of n at stride <paramref name="ldc"/>): C[i,:] ← C[i,:] + b, then
    /// C[i,j] ← <see cref="Masked{T}"/>(C[i,j], Z[i,j]), then R[i,:] = max(C[i,:], 0) — for the paths that cannot fold it
    /// into their store (OpenBLAS, the reference product).
    /// </summary>
    public static void Apply<T>(int m, int n, Span<T> c, int ldc, ReadOnlySpan<T> bias, Span<T> relu, int ldr, ReadOnlySpan<T> mask = default, int ldm = 0)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (!bias.IsEmpty) TensorPrimitives.Add(row, bias[..n], row);
            if (!mask.IsEmpty)
            {
                var z = mask.Slice(i * ldm, n);
                for (int j = 0; j < n; j++) row[j] = Masked(row[j], z[j]);
            }
            if (!relu.IsEmpty) TensorPrimitives.Max(row, T.Zero, relu.Slice(i * ldr, n));
        }
    }
}
