using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Cli.Data;

/// <summary>
/// The fingerprint of a data set as training sees it, <c>sha256:</c> and 64 hex digits: SHA-256 over the shape
/// (samples, features, classes, target columns), the inputs X column by column, then the labels (32-bit integers) or
/// the targets Y, then the same for the official test set when there is one, every number as its little-endian bytes.
/// <para>
/// It is taken over the values, not the file's bytes: what a resumed run must match is the data it learns from, and
/// the values are that, for a CSV file and the built-in sets alike (MNIST's four files, the seeded synthetic sets). A
/// CSV rewritten with other line endings, spacing or number formatting (1.0 for 1) keeps its fingerprint; a changed
/// value, label, row order or row count changes it.
/// </para>
/// </summary>
public static class DataFingerprint
{
    /// <summary>The fingerprint of <paramref name="data"/> (see the type).</summary>
    public static string Of(LoadedData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(hash, data);
        if (data.Test is { } test) Add(hash, test);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Add(IncrementalHash hash, LoadedData d)
    {
        Ints(hash, [d.Count, d.Features, d.Classes, d.Targets?.ColumnCount ?? 0]);
        Doubles(hash, d.X);
        if (d.Labels is { } labels) Ints(hash, labels);
        if (d.Targets is { } y) Doubles(hash, y);
    }

    private static void Doubles(IncrementalHash hash, Matrix<double> m)
    {
        var values = m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
        if (BitConverter.IsLittleEndian) hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        else foreach (var v in values) hash.AppendData(BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(v)).Reverse().ToArray());
    }

    private static void Ints(IncrementalHash hash, ReadOnlySpan<int> values)
    {
        if (BitConverter.IsLittleEndian) hash.AppendData(MemoryMarshal.AsBytes(values));
        else foreach (var v in values) hash.AppendData(BitConverter.GetBytes(v).Reverse().ToArray());
    }
}
