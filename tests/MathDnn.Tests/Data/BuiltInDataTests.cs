using MathDnn.Data;

namespace MathDnn.Tests.Data;

/// <summary>The embedded digits, loaded from the MathDnn.Data library, and what that library depends on.</summary>
public sealed class BuiltInDataTests
{
    [Fact]
    public void The_digits_load_from_the_library_1797_samples_of_64_features_in_0_1_and_10_classes()
    {
        var digits = BuiltInData.Digits();
        Assert.Equal((1797, 64, 10), (digits.Count, digits.InputSize, digits.TargetSize));
        var pixels = digits.Inputs.Enumerate().ToArray();
        Assert.All(pixels, v => Assert.InRange(v, 0.0, 1.0));
        Assert.Equal((0.0, 1.0), (pixels.Min(), pixels.Max()));
        Assert.All(pixels, v => Assert.Equal(Math.Round(16 * v), 16 * v)); // 0..16 scaled by 1/16, exactly
        // The class sizes of the UCI test set (optdigits.tes).
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180],
            digits.Labels().GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.All(digits.Targets.EnumerateRows(), row => Assert.Equal(1.0, row.Sum())); // one-hot
        // The first image is a 0: its first row of pixels is 0, 0, 5, 13, 9, 1, 0, 0.
        Assert.Equal(new[] { 0, 0, 5, 13, 9, 1, 0, 0 }.Select(p => p / 16.0), digits.Inputs.Row(0).Take(8));
        Assert.Equal(0, digits.Labels()[0]);
    }

    [Fact]
    public void The_resource_is_embedded_in_the_library_under_its_name()
    {
        var assembly = typeof(BuiltInData).Assembly;
        Assert.Equal("MathDnn.Data", assembly.GetName().Name);
        Assert.Contains("MathDnn.Data.digits.csv.gz", assembly.GetManifestResourceNames());
        Assert.Equal(BuiltInData.Digits().Inputs, BuiltInData.Digits().Inputs); // each call reads it again, identically
    }

    [Fact]
    public void The_library_references_only_the_core_MathDnn_IO_for_its_file_checks_and_MathNet()
    {
        var references = typeof(CsvData).Assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n != "netstandard" && !n.StartsWith("System", StringComparison.Ordinal)).Order();
        Assert.Equal(["MathDnn.Core", "MathDnn.IO", "MathNet.Numerics"], references);
        Assert.True(typeof(DataFormatException).IsPublic);
        Assert.True(typeof(DataFormatException).IsSealed);
    }
}
