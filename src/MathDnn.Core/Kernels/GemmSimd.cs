using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MathDnn.Kernels;

/// <summary>
/// The handful of vector operations the GEMM micro-kernel needs, as static abstract members so that one generic
/// kernel is compiled once per vector width (the JIT specialises generic code over struct type arguments and folds
/// the <c>typeof(T)</c> tests). Every implementation uses a fused multiply-add (one rounding per a·b + c), so all
/// widths compute each entry of C with the same sequence of roundings and agree bit for bit.
/// </summary>
internal unsafe interface IGemmSimd<T, TV>
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    where TV : struct
{
    /// <summary>Number of T lanes in one TV.</summary>
    static abstract int Lanes { get; }
    static abstract TV Zero { get; }
    static abstract TV Load(T* p);
    static abstract void Store(T* p, TV v);
    /// <summary>The scalar *p in every lane.</summary>
    static abstract TV Broadcast(T* p);
    static abstract TV Broadcast(T x);
    /// <summary>a·b + c with a single rounding.</summary>
    static abstract TV Fma(TV a, TV b, TV c);
    static abstract TV Multiply(TV a, TV b);
    static abstract TV Add(TV a, TV b);
    /// <summary>max(x, 0) lane by lane as <see cref="GemmEpilogue.Relu{T}"/> defines it: +0 where x ≤ 0 (−0 too), x elsewhere (NaN kept).</summary>
    static abstract TV Relu(TV x);
    /// <summary>x where z &gt; 0, +0 elsewhere, lane by lane (<see cref="GemmEpilogue.Masked{T}"/>).</summary>
    static abstract TV Mask(TV x, TV z);
}

/// <summary>512-bit lanes (AVX-512): 8 doubles or 16 floats.</summary>
internal unsafe struct Simd512<T> : IGemmSimd<T, Vector512<T>> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static int Lanes => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(T* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, Vector512<T> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T* p) => Vector512.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Relu(Vector512<T> x) => Vector512.AndNot(x, Vector512.LessThanOrEqual(x, Vector512<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Mask(Vector512<T> x, Vector512<T> z) => Vector512.BitwiseAnd(x, Vector512.GreaterThan(z, Vector512<T>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        throw new NotSupportedException($"GEMM kernel: no vector kernel for {typeof(T).Name}.");
    }
}

/// <summary>256-bit lanes (AVX2 + FMA): 4 doubles or 8 floats.</summary>
internal unsafe struct Simd256<T> : IGemmSimd<T, Vector256<T>> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static int Lanes => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(T* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, Vector256<T> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T* p) => Vector256.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Relu(Vector256<T> x) => Vector256.AndNot(x, Vector256.LessThanOrEqual(x, Vector256<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Mask(Vector256<T> x, Vector256<T> z) => Vector256.BitwiseAnd(x, Vector256.GreaterThan(z, Vector256<T>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        throw new NotSupportedException($"GEMM kernel: no vector kernel for {typeof(T).Name}.");
    }
}

/// <summary>128-bit lanes (SSE/FMA, Arm AdvSIMD): 2 doubles or 4 floats.</summary>
internal unsafe struct Simd128<T> : IGemmSimd<T, Vector128<T>> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static int Lanes => Vector128<T>.Count;
    public static Vector128<T> Zero => Vector128<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(T* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, Vector128<T> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Broadcast(T* p) => Vector128.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Broadcast(T x) => Vector128.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Relu(Vector128<T> x) => Vector128.AndNot(x, Vector128.LessThanOrEqual(x, Vector128<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Mask(Vector128<T> x, Vector128<T> z) => Vector128.BitwiseAnd(x, Vector128.GreaterThan(z, Vector128<T>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fma(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(double))
            return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        throw new NotSupportedException($"GEMM kernel: no vector kernel for {typeof(T).Name}.");
    }
}

/// <summary>One lane: the portable fallback when no vector width is hardware-accelerated.</summary>
internal unsafe struct SimdScalar<T> : IGemmSimd<T, T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static int Lanes => 1;
    public static T Zero => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(T* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, T v) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Broadcast(T* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Broadcast(T x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Multiply(T a, T b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Add(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Relu(T x) => GemmEpilogue.Relu(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Mask(T x, T z) => GemmEpilogue.Masked(x, z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Fma(T a, T b, T c) => T.FusedMultiplyAdd(a, b, c);
}
