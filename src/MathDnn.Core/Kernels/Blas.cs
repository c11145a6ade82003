using System.Numerics;
using System.Numerics.Tensors;

namespace MathDnn.Kernels;

/// <summary>
/// The small kernel layer that every hot path of the core goes through: a row-major matrix product with
/// transposes and a few element-wise maps over contiguous spans, generic over the element type
/// (float64 by default, float32 through the same code). The product dispatches to the packed managed GEMM
/// (Gemm.cs, GemmPacking.cs, GemmMicroKernel.cs) or to OpenBLAS (NativeBlas.cs) as <see cref="KernelSettings"/> says,
/// without touching the mathematics above it.
/// </summary>
internal static class Blas
{
    /// <summary>
    /// C ← α·op(A)·op(B) + β·C, all row-major; op(A) is m×k, op(B) is k×n and C is m×n.
    /// <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/> are the row strides of the stored matrices.
    /// With β = 0, C is overwritten (NaN in C does not propagate), as in BLAS.
    /// Runs on the backend of <see cref="KernelSettings"/>: OpenBLAS when chosen and loaded, else the packed managed
    /// kernel (<see cref="Kernels.Gemm"/>, float and double, on up to <see cref="KernelSettings.MaxThreads"/> threads),
    /// with <see cref="GemmReference{T}"/> for the small or thin products where packing does not pay (<see cref="PrefersReference"/>) and for other T.
    /// </summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckOperands(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default, default, 0, default, 0);
    }

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C + 𝟙·b, i.e. C[i,j] ← (α·op(A)·op(B) + β·C)[i,j] + b[j] (a dense layer's X·Wᵀ + b, 003 Def 4.1),
    /// and, when <paramref name="relu"/> is not empty, R[i,j] = max(C[i,j], 0) (003 Def 2.1) into R (m×n at row stride
    /// <paramref name="ldr"/>; R may be C itself, then only max(C, 0) is kept). Bit-identical to
    /// <see cref="Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/>
    /// followed by <see cref="AddRowVector{T}(Span{T}, int, ReadOnlySpan{T})"/> and TensorPrimitives.Max(C, 0): the managed
    /// kernels (packed, thin, dots) fold both into the store of their last k-block (<see cref="GemmEpilogue{T}"/>), one pass
    /// over C instead of three; OpenBLAS and the reference product run them as separate passes.
    /// </summary>
    public static void GemmBias<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, ReadOnlySpan<T> bias, Span<T> relu = default, int ldr = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckOperands(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (bias.Length < n)
            throw new ArgumentException($"Matrix product with bias: C is {m}×{n}, so the bias needs {n} entries, got {bias.Length}.");
        if (!relu.IsEmpty && m > 0 && n > 0 && (ldr < n || relu.Length < (long)(m - 1) * ldr + n))
            throw new ArgumentException($"Matrix product with ReLU: C is {m}×{n}, so R (row stride {ldr}) needs {(long)(m - 1) * ldr + n} entries and a stride of at least {n}, got {relu.Length}.");
        Product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, relu, ldr, default, 0);
    }

    /// <summary>
    /// C ← (α·op(A)·op(B)) ⊙ 𝟙_{ℝ++}(Z): C[i,j] = (α·op(A)·op(B))[i,j] where Z[i,j] &gt; 0 and +0 elsewhere (Z m×n at row stride
    /// <paramref name="ldz"/>, NaN counting as not positive) — the backward pass of a ReLU with input Z applied to the product
    /// (003 Prop 5.1: dz = dy ⊙ 𝟙_{ℝ++}(z)), e.g. to dX = δ·W of the dense layer after it (003 Prop 4.1). β = 0. Bit-identical
    /// to the product followed by the ReLU layer's backward select; the managed kernels apply the mask in the store of
    /// their last k-block (<see cref="GemmEpilogue{T}"/>), OpenBLAS and the reference product as a separate pass.
    /// </summary>
    public static void GemmMask<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, ReadOnlySpan<T> z, int ldz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckOperands(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m > 0 && n > 0 && (ldz < n || z.Length < (long)(m - 1) * ldz + n))
            throw new ArgumentException($"Matrix product with a mask: C is {m}×{n}, so Z (row stride {ldz}) needs {(long)(m - 1) * ldz + n} entries and a stride of at least {n}, got {z.Length}.");
        Product(transA, transB, m, n, k, alpha, a, lda, b, ldb, T.Zero, c, ldc, default, default, 0, z, ldz);
    }

    /// <summary>The product with its optional epilogue (bias, mask, ReLU), operands checked.</summary>
    private static unsafe void Product<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, ReadOnlySpan<T> bias, Span<T> relu, int ldr,
        ReadOnlySpan<T> mask, int ldm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        bool epilogue = !bias.IsEmpty || !relu.IsEmpty || !mask.IsEmpty;
        if (k == 0 || alpha == T.Zero)
        {
            ScaleRows(m, n, beta, c, ldc);
            if (epilogue) GemmEpilogue.Apply(m, n, c, ldc, bias, relu, ldr, mask, ldm);
            return;
        }
        bool vectorType = typeof(T) == typeof(double) || typeof(T) == typeof(float);
        var thin = vectorType ? Thin<T>(transA, transB, m, n, k) : ThinKernel.None;
        if (vectorType && KernelSettings.ActiveBackendKindOf<T>() == GemmBackend.OpenBlas && (thin == ThinKernel.None || !ThinStaysManaged))
        {
            fixed (T* pa = a, pb = b, pc = c)
                NativeBlas.Gemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, KernelSettings.MaxThreads);
            if (epilogue) GemmEpilogue.Apply(m, n, c, ldc, bias, relu, ldr, mask, ldm); // OpenBLAS cannot fuse: separate passes
            return;
        }
        if (!vectorType || (thin == ThinKernel.None && PrefersReference(transA, transB, m, n, k)))
        {
            GemmReference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            if (epilogue) GemmEpilogue.Apply(m, n, c, ldc, bias, relu, ldr, mask, ldm);
            return;
        }
        fixed (T* pa = a, pb = b, pc = c, pbias = bias, pr = relu, pm = mask)
        {
            var e = new GemmEpilogue<T>(bias.IsEmpty ? null : pbias, relu.IsEmpty ? null : pr, ldr, mask.IsEmpty ? null : pm, ldm);
            if (thin == ThinKernel.Rows) GemmThin.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Kernels.Gemm.BestIsa, KernelSettings.MaxThreads, e);
            else if (thin == ThinKernel.Dots) GemmDots.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Kernels.Gemm.BestIsa, KernelSettings.MaxThreads, e);
            else Kernels.Gemm.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Kernels.Gemm.BestIsa, KernelSettings.MaxThreads, e);
        }
    }

    private enum ThinKernel { None, Rows, Dots }

    /// <summary>The thin kernel for this product: <see cref="GemmThin"/> (≤ 12 rows, untransposed), <see cref="GemmDots"/> (≤ 3 rows against Bᵀ), or none.</summary>
    private static ThinKernel Thin<T>(bool transA, bool transB, int m, int n, int k) where T : unmanaged =>
        GemmThin.Applies<T>(transA, transB, m, n, Kernels.Gemm.BestIsa) && (long)m * n * k >= 8 * 8 * 8 ? ThinKernel.Rows
        : GemmDots.Applies<T>(transA, transB, m, k, Kernels.Gemm.BestIsa) ? ThinKernel.Dots
        : ThinKernel.None;

    /// <summary>
    /// Under auto, thin products stay on the managed thin kernels, which read B in place where OpenBLAS packs it (see
    /// <see cref="GemmBackend.Auto"/> for the figures); a forced openblas takes every product.
    /// </summary>
    private static bool ThinStaysManaged => KernelSettings.Backend != GemmBackend.OpenBlas;

    /// <summary>
    /// C ← A·B (β = 0) for A (m×k) and B (k×n) untransposed, skipping the rows p of B whose column p of A is zero: for a
    /// thin A (m ≤ 12) whose zero columns are at least a quarter of k — a Jacobian accumulated from the output side up to a
    /// ReLU, whose diagonal factor (003 Prop 2.1) zeroes the columns of the units that are off — the thin kernel runs over
    /// the other rows only (<see cref="GemmThin.Run{T}(int, int, int, ReadOnlySpan{int}, T, T*, int, T*, int, T, T*, int, GemmIsa, int, GemmEpilogue{T})"/>).
    /// Otherwise, or when OpenBLAS is forced, the ordinary product. Same result but for the sign of zeros.
    /// </summary>
    public static unsafe void GemmSkippingZeroColumns<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckOperands(false, false, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        bool vectorType = typeof(T) == typeof(double) || typeof(T) == typeof(float);
        if (vectorType && m > 0 && n > 0 && k >= 16 && GemmThin.Applies<T>(false, false, m, n, Kernels.Gemm.BestIsa) && ThinStaysManaged)
        {
            var kept = System.Buffers.ArrayPool<int>.Shared.Rent(k); // the p whose column of A has a nonzero entry
            int count = 0;
            for (int p = 0; p < k; p++)
                for (int i = 0; i < m; i++)
                    if (a[i * lda + p] != T.Zero) { kept[count++] = p; break; }
            try
            {
                if (count <= k - k / 4)
                {
                    if (count == 0) ScaleRows(m, n, T.Zero, c, ldc);
                    else
                        fixed (T* pa = a, pb = b, pc = c)
                            GemmThin.Run(m, n, k, kept.AsSpan(0, count), T.One, pa, lda, pb, ldb, T.Zero, pc, ldc, Kernels.Gemm.BestIsa, KernelSettings.MaxThreads);
                    return;
                }
            }
            finally { System.Buffers.ArrayPool<int>.Shared.Return(kept); }
        }
        Gemm(false, false, m, n, k, T.One, a, lda, b, ldb, T.Zero, c, ldc);
    }

    /// <summary>
    /// Whether the unpacked <see cref="GemmReference{T}"/> beats packing (measured with the bench's --quick mode,
    /// double, one thread): tiny products (m·n·k &lt; 8³: at 8³ the packed kernel is already 2× faster); m ≤ 3 except
    /// Aᵀ·Bᵀ (packing B costs as much as the m·n·k multiply-adds; the reference streams B rows at 9–15 GFLOP/s against
    /// 3–8); and A·Bᵀ with n ≤ 2 (the reference is one dot product per entry, 9 GFLOP/s against 3–6).
    /// </summary>
    internal static bool PrefersReference(bool transA, bool transB, int m, int n, int k) =>
        (long)m * n * k < 8 * 8 * 8
        || (m <= 3 && !(transA && transB))
        || (n <= 2 && !transA && transB);

    /// <summary>
    /// Checks that op(A) (m×k), op(B) (k×n) and C (m×n) fit their spans with their row strides; the message names the
    /// product and the offending operand.
    /// </summary>
    internal static void CheckOperands(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Matrix product: sizes must be non-negative, got m = {m}, n = {n}, k = {k}.");
        Fits("A", transA ? k : m, transA ? m : k, aLength, lda, transA, m, k);
        Fits("B", transB ? n : k, transB ? k : n, bLength, ldb, transB, k, n);
        Fits("C", m, n, cLength, ldc, false, m, n);

        // The shape text is built only on failure: the check runs on every product and must not allocate.
        static void Fits(string name, int rows, int cols, int length, int ld, bool transposed, int opRows, int opCols)
        {
            if (rows == 0 || cols == 0) return;
            if (ld < cols)
                throw new ArgumentException($"Matrix product: {Shape(name, transposed, opRows, opCols)}, so {name} has {cols} columns, but its row stride is {ld}.");
            long needed = (long)(rows - 1) * ld + cols;
            if (length < needed)
                throw new ArgumentException(
                    $"Matrix product: {Shape(name, transposed, opRows, opCols)}, so {name} ({rows}×{cols}, row stride {ld}) needs {needed} entries, got {length}.");
        }

        static string Shape(string name, bool transposed, int rows, int cols) =>
            name == "C" ? $"C is {rows}×{cols}" : transposed ? $"op({name}) = {name}ᵀ is {rows}×{cols}" : $"op({name}) = {name} is {rows}×{cols}";
    }

    private static void ScaleRows<T>(int m, int n, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>
    /// The simple product (one TensorPrimitives pass per row of C): the path for small products and element types
    /// without a vector kernel. Same contract as <see cref="Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/>.
    /// </summary>
    internal static void GemmReference<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) TensorPrimitives.Multiply(row, beta, row);
        }
        if (k == 0 || alpha == T.Zero) return;

        if (!transA && !transB)
        {
            // C[i,:] += α·A[i,p]·B[p,:]
            for (int i = 0; i < m; i++)
            {
                var crow = c.Slice(i * ldc, n);
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), alpha * a[i * lda + p], crow, crow);
            }
        }
        else if (!transA && transB)
        {
            // C[i,j] += α·⟨A[i,:], B[j,:]⟩
            for (int i = 0; i < m; i++)
            {
                var arow = a.Slice(i * lda, k);
                var crow = c.Slice(i * ldc, n);
                for (int j = 0; j < n; j++)
                    crow[j] += alpha * TensorPrimitives.Dot(arow, b.Slice(j * ldb, k));
            }
        }
        else if (transA && !transB)
        {
            // C[i,:] += α·A[p,i]·B[p,:]
            for (int p = 0; p < k; p++)
            {
                var brow = b.Slice(p * ldb, n);
                for (int i = 0; i < m; i++)
                {
                    var crow = c.Slice(i * ldc, n);
                    TensorPrimitives.MultiplyAdd(brow, alpha * a[p * lda + i], crow, crow);
                }
            }
        }
        else
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    T s = T.Zero;
                    for (int p = 0; p < k; p++) s += a[p * lda + i] * b[j * ldb + p];
                    c[i * ldc + j] += alpha * s;
                }
        }
    }

    /// <summary>C ← op(A)·op(B) for whole <see cref="Mat{T}"/> buffers, shapes checked.</summary>
    public static void Gemm<T>(bool transA, bool transB, Mat<T> a, Mat<T> b, Mat<T> c, T beta = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = transA ? a.Cols : a.Rows, k = transA ? a.Rows : a.Cols;
        int kb = transB ? b.Cols : b.Rows, n = transB ? b.Rows : b.Cols;
        if (k != kb || c.Rows != m || c.Cols != n)
            throw new ArgumentException(
                $"Matrix product: op(A) is {m}×{k}, op(B) is {kb}×{n}, C is {c.Shape}.");
        Gemm(transA, transB, m, n, k, T.One, a.Data, a.Cols, b.Data, b.Cols, beta, c.Data, c.Cols);
    }

    /// <summary>Adds the row vector <paramref name="bias"/> to every row of <paramref name="x"/>.</summary>
    public static void AddRowVector<T>(Mat<T> x, ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T> =>
        AddRowVector(x.Span, x.Cols, bias);

    /// <summary>Adds <paramref name="bias"/> to every row of width <paramref name="cols"/> of the row-major <paramref name="x"/>.</summary>
    public static void AddRowVector<T>(Span<T> x, int cols, ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i + cols <= x.Length && cols > 0; i += cols)
        {
            var row = x.Slice(i, cols);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>
    /// dest[j·R + r] = x[j]·b[r] for j &lt; n, r &lt; R: the outer product xᵀ·b written row after row (R = b.Length), each row
    /// one broadcast times b in the widest vectors that fit R. The column-major block of a dense layer's parameter Jacobian
    /// (003 Prop 4.2) is such rows for a short R (the outputs).
    /// </summary>
    public static void OuterProduct<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> b, Span<T> dest) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, r = b.Length;
        if (dest.Length < n * r) throw new ArgumentException($"Outer product: {n}×{r} entries need a span of {n * r}, got {dest.Length}.");
        ref T bRef = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
        ref T dRef = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(dest);
        int w512 = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? System.Runtime.Intrinsics.Vector512<T>.Count : int.MaxValue;
        int w256 = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? System.Runtime.Intrinsics.Vector256<T>.Count : int.MaxValue;
        for (int j = 0; j < n; j++)
        {
            T xj = x[j];
            nint o = (nint)j * r;
            int c = 0;
            if (r >= w512)
            {
                var v = System.Runtime.Intrinsics.Vector512.Create(xj);
                for (; c + w512 <= r; c += w512)
                    System.Runtime.Intrinsics.Vector512.StoreUnsafe(v * System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRef, (nuint)c), ref dRef, (nuint)(o + c));
            }
            if (r - c >= w256)
            {
                var v = System.Runtime.Intrinsics.Vector256.Create(xj);
                for (; c + w256 <= r; c += w256)
                    System.Runtime.Intrinsics.Vector256.StoreUnsafe(v * System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRef, (nuint)c), ref dRef, (nuint)(o + c));
            }
            for (; c < r; c++) System.Runtime.CompilerServices.Unsafe.Add(ref dRef, o + c) = xj * System.Runtime.CompilerServices.Unsafe.Add(ref bRef, c);
        }
    }

    /// <summary>sums[j] = Σ_i x[i,j] (column sums), overwriting <paramref name="sums"/>.</summary>
    public static void ColumnSums<T>(Mat<T> x, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnSums(x.Span, x.Cols, sums);

    /// <summary>sums[j] = Σ_i x[i,j] over the rows of width <paramref name="cols"/> of the row-major <paramref name="x"/>, overwriting <paramref name="sums"/>.</summary>
    public static void ColumnSums<T>(ReadOnlySpan<T> x, int cols, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        sums.Clear();
        for (int i = 0; i + cols <= x.Length && cols > 0; i += cols) TensorPrimitives.Add(sums, x.Slice(i, cols), sums);
    }
}
