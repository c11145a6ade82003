using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Data;

/// <summary>
/// A seeded stand-in for MNIST of the same shape (<c>mathdnn bench</c> uses it when the IDX files are absent): by default
/// 60,000 training and 10,000 test samples of 784 features in [0, 1] and 10 classes. Class c has a prototype image
/// P_c ∈ {0, 1}⁷⁸⁴ (each pixel on with probability 0.2, about MNIST's share of ink); a sample of class c keeps each
/// "on" pixel of P_c with probability 0.8 at an intensity drawn from U(0.5, 1), and 5 % of its pixels are replaced by
/// U(0, 1) noise. The classes are far apart, so the set is easily learnable (a network reaches ≈ 100 % test accuracy):
/// it measures speed, not the difficulty of MNIST. Labels are drawn uniformly; the same seed gives the same set.
/// </summary>
public static class SyntheticMnist
{
    /// <summary>The number of features of a sample: 28 × 28 = 784, as MNIST's.</summary>
    public const int Features = 28 * 28;

    /// <summary>The number of classes: 10, as MNIST's.</summary>
    public const int Classes = 10;

    /// <summary>The training set (<paramref name="train"/> samples) and the test set (<paramref name="test"/> samples).</summary>
    /// <param name="seed">Seeds the prototypes and both sets: the same seed, the same sets.</param>
    /// <param name="train">The number of training samples, at least 1.</param>
    /// <param name="test">The number of test samples, at least 1.</param>
    /// <returns>Each set as X, n × 784 in [0, 1] (one sample per row), and its n labels 0..9; both share the prototypes.</returns>
    /// <exception cref="ArgumentException"><paramref name="train"/> or <paramref name="test"/> is below 1.</exception>
    public static ((Matrix<double> X, int[] Labels) Train, (Matrix<double> X, int[] Labels) Test) Generate(int seed, int train = 60_000, int test = 10_000)
    {
        if (train < 1 || test < 1) throw new ArgumentException($"Synthetic MNIST: needs at least one training and one test sample, got {train} and {test}.");
        var rng = Rng.Derive(seed, 0);
        var prototypes = new bool[Classes * Features];
        for (int i = 0; i < prototypes.Length; i++) prototypes[i] = rng.NextDouble() < 0.2;
        return (Draw(prototypes, Rng.Derive(seed, 1), train), Draw(prototypes, Rng.Derive(seed, 2), test));
    }

    private static (Matrix<double> X, int[] Labels) Draw(bool[] prototypes, Rng rng, int n)
    {
        var labels = new int[n];
        var rowMajor = new double[(long)n * Features];
        for (int i = 0; i < n; i++)
        {
            int c = labels[i] = rng.NextInt(Classes);
            var row = rowMajor.AsSpan(i * Features, Features);
            for (int j = 0; j < Features; j++)
            {
                double v = prototypes[c * Features + j] && rng.NextDouble() < 0.8 ? rng.Uniform(0.5, 1) : 0;
                row[j] = rng.NextDouble() < 0.05 ? rng.NextDouble() : v;
            }
        }
        return (Matrix<double>.Build.DenseOfRowMajor(n, Features, rowMajor), labels);
    }
}
