using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace MathDnn.Tests.Packaging;

/// <summary>
/// The real-client test: the library projects and the <c>mathdnn</c> tool are packed into a temporary folder feed, a
/// fresh console project restores MathDnn.Core, MathDnn.IO, MathDnn.Data and MathDnn.Testing from it by
/// PackageReference (every other package from the machine's own NuGet sources), trains on the embedded digits, saves and
/// loads the model and runs the property kit; then the tool is installed from the feed into a temporary tool path and run.
/// </summary>
/// <remarks>
/// Everything happens under one temporary directory, with its own NUGET_PACKAGES folder, so the test neither reads stale
/// copies of these package ids from the global cache nor leaves any there. Package source mapping sends the MathDnn ids to
/// the temporary feed only. The projects are packed with <c>--no-build</c> from the outputs the test run was built
/// from (same configuration), so nothing this test does rebuilds a project other tests are using.
/// </remarks>
public class RealClientTests(ITestOutputHelper output)
{
    static readonly string[] LibraryProjects =
    [
        "src/MathDnn.Core/MathDnn.Core.csproj",
        "src/MathDnn.FSharp/MathDnn.FSharp.fsproj",
        "src/MathDnn.IO/MathDnn.IO.csproj",
        "src/MathDnn.Data/MathDnn.Data.csproj",
        "src/MathDnn.Onnx/MathDnn.Onnx.csproj",
        "src/MathDnn.Mpi/MathDnn.Mpi.csproj",
        "src/MathDnn.Testing/MathDnn.Testing.fsproj",
    ];

    const string ToolProject = "src/MathDnn/MathDnn.csproj";

    const string ClientProgram = """
        using MathDnn.Activations;
        using MathDnn.Data;
        using MathDnn.IO;
        using MathDnn.Losses;
        using MathDnn.Networks;
        using MathDnn.Optimizers;
        using MathDnn.Testing;
        using MathDnn.Training;

        var (train, test) = BuiltInData.Digits().Split(0.2, seed: 42);
        var net = Network.MultiClass([64, 32, 10], seed: 1);
        var options = new TrainingOptions(new CategoricalCrossEntropy(), Optim.Adam(0.01)) { Epochs = 10, BatchSize = 32, Seed = 1 };
        var model = Trainer.Fit(net, train, options).Model;
        var (_, accuracy) = Trainer.Evaluate(model, test, options.Loss);
        Console.WriteLine(FormattableString.Invariant($"accuracy {accuracy:F4}"));

        string path = Path.Combine(AppContext.BaseDirectory, "model.json");
        ModelFile.Save(path, new SavedModel(model, "categorical-cross-entropy"));
        var loaded = ModelFile.Load(path).Network;
        bool same = loaded.Parameters.AsSpan().SequenceEqual(model.Parameters.AsSpan())
                    && loaded.Layers.SequenceEqual(model.Layers)
                    && loaded.Forward(test.Inputs).Equals(model.Forward(test.Inputs));
        Console.WriteLine($"reloaded equal {same}");

        var report = PrimitiveCheck.Assert(new Relu());
        Console.WriteLine($"kit passed {report.Passed}");
        """;

    [Fact]
    public void Packed_packages_restore_build_and_run_in_a_fresh_console_project_and_the_tool_installs_and_runs()
    {
        var clock = Stopwatch.StartNew();
        string root = ReadmeBlocks.RepositoryRoot();
        string configuration = typeof(RealClientTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string version = PackageVersion(root);
        string temp = Path.Combine(Path.GetTempPath(), $"mathdnn-real-client-{Guid.NewGuid():N}");
        string feed = Path.Combine(temp, "feed"), app = Path.Combine(temp, "app"), tools = Path.Combine(temp, "tools");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(app);
        var environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(temp, "packages"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
        try
        {
            // The machine's NuGet sources (read before anything is written, from the repository's point of view).
            var sources = Run("dotnet", ["nuget", "list", "source", "--format", "short"], root, environment).Output
                .Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("E ", StringComparison.Ordinal))
                .Select(l => l[2..].Trim()).ToList();
            string globalPackages = GlobalPackagesFolder(root);
            if (Directory.Exists(globalPackages)) sources.Add(globalPackages);   // restores offline when the cache holds the dependencies

            foreach (string project in LibraryProjects.Append(ToolProject))
                Run("dotnet", ["pack", Path.Combine(root, project), "-c", configuration, "--no-build", "-o", feed], root, environment, expectNoWarnings: true);
            foreach (string id in new[] { "MathDnn.Core", "MathDnn.FSharp", "MathDnn.IO", "MathDnn.Data", "MathDnn.Onnx", "MathDnn.Mpi", "MathDnn.Testing", "mathdnn" })
            {
                Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.nupkg")), $"{id}.{version}.nupkg not in the feed");
                Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.snupkg")), $"{id}.{version}.snupkg not in the feed");
                CheckMetadata(Path.Combine(feed, $"{id}.{version}.nupkg"), id, version);
            }
            output.WriteLine($"packed in {clock.Elapsed.TotalSeconds:F1} s");

            string config = Path.Combine(app, "nuget.config");
            File.WriteAllText(config, NuGetConfig(feed, sources));
            File.WriteAllText(Path.Combine(app, "Client.csproj"), ClientProject(version));
            File.WriteAllText(Path.Combine(app, "Program.cs"), ClientProgram);

            var run = Run("dotnet", ["run", "-c", "Release"], app, environment);
            output.WriteLine($"client ran in {clock.Elapsed.TotalSeconds:F1} s");
            var accuracy = Regex.Match(run.Output, @"^accuracy (\d\.\d{4})", RegexOptions.Multiline);
            Assert.True(accuracy.Success, run.Output);
            Assert.True(double.Parse(accuracy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 0.9, run.Output);
            Assert.Contains("reloaded equal True", run.Output);
            Assert.Contains("kit passed True", run.Output);
            string restored = Path.Combine(temp, "packages", "mathdnn.core", version);
            Assert.True(Directory.Exists(restored), $"MathDnn.Core {version} was not restored into the test's own package folder");

            Run("dotnet", ["tool", "install", "mathdnn", "--tool-path", tools, "--version", version, "--configfile", config], app, environment);
            string mathdnn = Path.Combine(tools, OperatingSystem.IsWindows() ? "mathdnn.exe" : "mathdnn");
            var help = Run(mathdnn, ["--help"], app, environment);
            Assert.Contains("Usage:", help.Output);
            var train = Run(mathdnn, ["train", "--data", "xor", "--epochs", "2", "--out", Path.Combine(temp, "xor.json")], app, environment);
            Assert.Contains("epoch 2/2", train.Output);
            Assert.True(File.Exists(Path.Combine(temp, "xor.json")));
            output.WriteLine($"tool installed and ran in {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The package's nuspec carries the shared metadata, and it holds its README and (libraries) the XML docs.</summary>
    static void CheckMetadata(string nupkg, string id, string version)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        using var stream = zip.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value.Trim() ?? "";
        Assert.Equal(id, Field("id"));
        Assert.Equal(version, Field("version"));
        Assert.Equal("MathDnn contributors", Field("authors"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Contains("README.md", names);
        Assert.True(Field("description").Length > 60, $"{id}: description \"{Field("description")}\"");
        Assert.NotEqual("", Field("tags"));
        Assert.NotEqual("", Field("projectUrl"));
        Assert.NotNull(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url"));
        if (id == "mathdnn")
            Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", names);
        else
            Assert.Contains($"lib/net10.0/{id}.xml", names);
    }

    static string ClientProject(string version) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="MathDnn.Core" Version="{version}" />
            <PackageReference Include="MathDnn.IO" Version="{version}" />
            <PackageReference Include="MathDnn.Data" Version="{version}" />
            <PackageReference Include="MathDnn.Testing" Version="{version}" />
          </ItemGroup>
        </Project>
        """;

    static string NuGetConfig(string feed, IReadOnlyList<string> sources)
    {
        var add = new XElement("packageSources", new XElement("clear"), new XElement("add", new XAttribute("key", "mathdnn-feed"), new XAttribute("value", feed)));
        var map = new XElement("packageSourceMapping",
            new XElement("packageSource", new XAttribute("key", "mathdnn-feed"),
                new XElement("package", new XAttribute("pattern", "MathDnn.*")), new XElement("package", new XAttribute("pattern", "mathdnn"))));
        for (int i = 0; i < sources.Count; i++)
        {
            add.Add(new XElement("add", new XAttribute("key", $"machine-{i}"), new XAttribute("value", sources[i])));
            map.Add(new XElement("packageSource", new XAttribute("key", $"machine-{i}"), new XElement("package", new XAttribute("pattern", "*"))));
        }
        return new XDocument(new XElement("configuration", add, map)).ToString();
    }

    string GlobalPackagesFolder(string root)
    {
        string line = Run("dotnet", ["nuget", "locals", "global-packages", "--list"], root, new Dictionary<string, string>()).Output.Trim();
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? "" : line[(colon + 2)..].Trim();
    }

    /// <summary>The dotnet host the tests run under (<see cref="Cli.CliProcess.Dotnet"/>).</summary>
    static string Dotnet => Cli.CliProcess.Dotnet;


    static string PackageVersion(string root)
    {
        var props = XDocument.Load(Path.Combine(root, "src", "Directory.Build.props"));
        return props.Descendants("Version").Single().Value.Trim();
    }

    (string Output, int ExitCode) Run(string file, IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string> environment, bool expectNoWarnings = false)
    {
        if (file == "dotnet") file = Dotnet;
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        // The test host's MSBuild and MATHDNN_* settings (a test may be changing one) are not the fresh client's.
        foreach (string key in info.Environment.Keys.ToList())
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("MATHDNN_", StringComparison.OrdinalIgnoreCase))
                info.Environment.Remove(key);
        foreach (var (k, v) in environment) info.Environment[k] = v;

        var r = ChildProcess.Run(info, TimeSpan.FromMinutes(5));
        if (r.TimedOut) throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in 5 minutes:\n{r.Both}");
        string all = r.Both;
        output.WriteLine($"$ {Path.GetFileName(file)} {string.Join(' ', arguments)}  (exit {r.ExitCode})");
        output.WriteLine(all);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited with {r.ExitCode}:\n{all}");
        if (expectNoWarnings)
            Assert.DoesNotMatch(@"(?i):\s*warning\s", all);
        return (all, r.ExitCode);
    }
}
