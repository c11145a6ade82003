using MathDnn.Training;

namespace MathDnn.Data;

/// <summary>The data sets embedded in this assembly: nothing to download.</summary>
public static class BuiltInData
{
    /// <summary>The manifest name of the embedded, gzipped CSV of the digits (64 pixel columns, then the label).</summary>
    internal const string DigitsResource = "MathDnn.Data.digits.csv.gz";

    /// <summary>
    /// The UCI "Optical Recognition of Handwritten Digits" test set (Alpaydin &amp; Kaynak 1998, CC BY 4.0): 1,797 8×8 images,
    /// pixel values 0..16 scaled to [0, 1], labels 0..9. Inputs are 1797 × 64 (one image per row, its pixels row by row);
    /// targets are the 1797 × 10 one-hot rows of the labels (<see cref="Dataset.Labels"/> gives them back). Each call
    /// reads the resource again and returns a new, independent data set.
    /// </summary>
    /// <exception cref="InvalidOperationException">The resource is missing from the assembly (a broken build).</exception>
    public static Dataset Digits()
    {
        using var stream = typeof(BuiltInData).Assembly.GetManifestResourceStream(DigitsResource)
            ?? throw new InvalidOperationException("The embedded digits resource is missing from the build.");
        using var gz = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var (x, labels) = CsvData.ReadClassification(reader, "digits.csv.gz", classes: 10);
        return Dataset.FromLabels(x / 16.0, labels, 10);
    }
}
