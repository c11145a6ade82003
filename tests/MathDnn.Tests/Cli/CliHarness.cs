using System.Text.Json;
using MathDnn.Data;
using MathDnn.Tests.Data;

namespace MathDnn.Tests.Cli;

/// <summary>The outcome of one in-process run of the command line.</summary>
internal sealed record CliResult(int Code, string Out, string Err)
{
    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Out);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts a bad-input failure: exit code 2, nothing on stdout, one line on stderr containing <paramref name="expected"/>.</summary>
    public void AssertBadInput(string expected) => AssertFailure(2, expected);

    public void AssertFailure(int code, string expected)
    {
        Assert.True(Code == code, $"exit code {Code}, expected {code}; stderr: {Err}; stdout: {Out}");
        var lines = Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}: {Err}");
        Assert.StartsWith("mathdnn: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", Err); // never a stack trace
    }

    public CliResult AssertOk()
    {
        Assert.True(Code == 0, $"exit code {Code}; stderr: {Err}; stdout: {Out}");
        Assert.Equal("", Err);
        return this;
    }
}

/// <summary>Runs <c>mathdnn</c> in-process with its own writers, and a temporary folder for files.</summary>
internal sealed class CliHarness : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("mathdnn-cli-").FullName;

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    /// <summary>A path in the temporary folder.</summary>
    public string P(string name) => Path.Combine(Dir, name);

    public string Write(string name, string text)
    {
        var path = P(name);
        File.WriteAllText(path, text);
        return path;
    }

    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = MathDnn.Cli.Cli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// A fake MNIST folder: <paramref name="train"/> and <paramref name="test"/> 28×28 images in IDX format whose label is
    /// the brightest quadrant-row of a simple pattern (learnable), written plain or gzipped.
    /// </summary>
    public string FakeMnist(int train = 60, int test = 20, bool gzip = false, string folder = "mnist")
    {
        var dir = P(folder);
        Directory.CreateDirectory(dir);
        void WritePair((string Images, string Labels) names, int n, int seed)
        {
            var rng = new MathDnn.Networks.Rng(seed);
            var pixels = new byte[n * 28 * 28];
            var labels = new byte[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = (byte)(i % 10);
                for (int p = 0; p < 28 * 28; p++)
                    pixels[i * 784 + p] = (byte)(p / 78 == labels[i] ? 200 + rng.NextInt(56) : rng.NextInt(30));
            }
            WriteIdx(Path.Combine(dir, names.Images), [n, 28, 28], pixels, gzip);
            WriteIdx(Path.Combine(dir, names.Labels), [n], labels, gzip);
        }
        WritePair(Mnist.TrainFiles, train, 1);
        WritePair(Mnist.TestFiles, test, 2);
        return dir;
    }

    public static void WriteIdx(string path, int[] dims, byte[] values, bool gzip) => DataFiles.WriteIdx(path, dims, values, gzip);
}
