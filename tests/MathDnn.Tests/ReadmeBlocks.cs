using System.Text.RegularExpressions;

namespace MathDnn.Tests;

/// <summary>
/// The README's code blocks are the code that runs: the block after <c>&lt;!-- marker --&gt;</c> must equal, line by line
/// (trimmed, blank lines dropped), the region between <c>// README region begin</c> and <c>// README region end</c> of a
/// source file. Shared by every README test (the extension tests compile this file too).
/// </summary>
internal static class ReadmeBlocks
{
    /// <summary>The folder holding MathDnn.sln, above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MathDnn.sln"))) return dir.FullName;
        throw new InvalidOperationException("MathDnn.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Asserts that README.md's ```<paramref name="language"/> block marked <paramref name="marker"/> is the region <paramref name="region"/> of <paramref name="file"/> (a path below the repository root).</summary>
    public static void AssertShows(string marker, string file, string region, string language = "csharp")
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var source = File.ReadAllText(Path.Combine(root, file));
        var inReadme = Regex.Match(readme, $"<!-- {Regex.Escape(marker)} -->\\s*```{language}\\n(.*?)```", RegexOptions.Singleline);
        var inSource = Regex.Match(source, $"// README {Regex.Escape(region)} begin\\n(.*?)\\s*// README {Regex.Escape(region)} end", RegexOptions.Singleline);
        Assert.True(inReadme.Success, $"README.md has no ```{language} block after <!-- {marker} -->");
        Assert.True(inSource.Success, $"{file} has no region \"README {region}\"");
        Assert.Equal(Normalize(inSource.Groups[1].Value), Normalize(inReadme.Groups[1].Value));
    }

    private static string Normalize(string code) =>
        string.Join("\n", code.Replace("\r", "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
