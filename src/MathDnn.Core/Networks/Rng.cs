using System.Numerics;

namespace MathDnn.Networks;

/// <summary>
/// A seeded pseudo-random generator (SplitMix64 seeding a xoshiro256** state) written out here so that the same
/// seed gives the same stream on every .NET version and platform: initialisation, shuffling and sampling are
/// bit-identical for the same seed. It is a struct: a copy continues the same stream independently of the original.
/// </summary>
public struct Rng
{
    private ulong s0, s1, s2, s3;

    /// <summary>The stream of <paramref name="seed"/>: the state is four SplitMix64 outputs from it.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    /// <summary>The stream of <paramref name="seed"/> sign-extended to 64 bits (so <c>new Rng(-1)</c> equals <c>new Rng(ulong.MaxValue)</c>).</summary>
    public Rng(int seed) : this(unchecked((ulong)(long)seed)) { }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits (xoshiro256**).</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer on [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "The bound must be positive.");
        return (int)((NextUInt64() >> 33) % (ulong)n);
    }

    /// <summary>Uniform on [a, b).</summary>
    public double Uniform(double a, double b) => a + (b - a) * NextDouble();

    /// <summary>Standard normal by the Box–Muller transform (one draw per call, the second is discarded for simplicity).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble(); // ]0, 1]
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A derived independent stream, e.g. one per epoch: the same (seed, index) always gives the same stream.</summary>
    public static Rng Derive(int seed, long index) => new(unchecked((ulong)(long)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xD1B54A32D192ED03UL));

    /// <summary>A Fisher–Yates permutation of 0..n−1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
