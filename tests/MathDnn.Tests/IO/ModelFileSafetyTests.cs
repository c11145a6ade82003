using MathDnn.IO;
using MathDnn.Networks;

namespace MathDnn.Tests.IO;

/// <summary>
/// <see cref="ModelFile"/>'s file safety (issue 13, items 4, 9 and 10): duplicate keys refused by JSON path, folders
/// and FIFOs refused before opening, stale temporaries of interrupted saves deleted by the next save.
/// </summary>
public sealed class ModelFileSafetyTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mathdnn-model-safety-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Json() => ModelFile.ToJson(new SavedModel(Network.MultiClass([2, 3, 2], seed: 1), "categorical-cross-entropy",
        Training: new Dictionary<string, System.Text.Json.JsonElement> { ["seed"] = System.Text.Json.JsonDocument.Parse("1").RootElement }));

    [Theory]
    [InlineData("\"format\": \"mathdnn-model\",", "\"format\": \"mathdnn-model\", \"format\": \"mathdnn-model\",", "m.json: format: the key \"format\" appears more than once in the document")]
    [InlineData("\"b\": [", "\"b\": [0, 0, 0], \"b\": [", "m.json: layers[0].b: the key \"b\" appears more than once in layers[0]")]
    [InlineData("\"size\": 2", "\"size\": 2, \"size\": 3", "m.json: input.size: the key \"size\" appears more than once in input")]
    [InlineData("\"seed\": 1", "\"seed\": 1, \"seed\": 2", "m.json: training.seed: the key \"seed\" appears more than once in training")]
    public void A_key_twice_in_one_object_is_refused_naming_the_key_and_its_path(string find, string replace, string expected)
    {
        var json = Json();
        int at = json.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, find);
        var doubled = json[..at] + replace + json[(at + find.Length)..];
        var e = Assert.Throws<ModelFileException>(() => ModelFile.FromJson(doubled, "m.json"));
        Assert.StartsWith(expected, e.Message);
        // The same through a file and a stream.
        var path = Path.Combine(dir, "m.json");
        File.WriteAllText(path, doubled);
        Assert.Contains(expected["m.json".Length..], Assert.Throws<ModelFileException>(() => ModelFile.Load(path)).Message);
        using var stream = File.OpenRead(path);
        Assert.StartsWith(expected, Assert.Throws<ModelFileException>(() => ModelFile.Read(stream, "m.json")).Message);
    }

    [Fact]
    public void The_same_key_in_different_objects_is_fine()
    {
        // Every dense entry has its "type", "W" and "b": one per object.
        var back = ModelFile.FromJson(Json(), "m.json");
        Assert.Equal(2, back.Network.InputSize);
    }

    [Fact]
    public void A_folder_or_a_fifo_as_the_model_file_is_named_without_opening_it()
    {
        Assert.Equal($"{dir}: is a folder, not a model file.", Assert.Throws<ModelFileException>(() => ModelFile.Load(dir)).Message);
        var missing = Path.Combine(dir, "missing.json");
        Assert.Equal($"{missing}: no such model file.", Assert.Throws<ModelFileException>(() => ModelFile.Load(missing)).Message);
        if (!OperatingSystem.IsLinux()) return;
        var fifo = SpecialFiles.Fifo(Path.Combine(dir, "m.json"));
        var e = SpecialFiles.WithoutBlocking(fifo, () => Assert.Throws<ModelFileException>(() => ModelFile.Load(fifo)));
        Assert.Equal($"{fifo}: is a named pipe (FIFO), not a regular file.", e.Message);
        Assert.StartsWith("/proc/self/mem: is in /proc, a virtual file system", Assert.Throws<ModelFileException>(() => ModelFile.Load("/proc/self/mem")).Message);
    }

    [Fact]
    public void A_save_deletes_the_temporaries_an_interrupted_save_left_and_flushes_before_the_rename()
    {
        var path = Path.Combine(dir, "m.json");
        int dead = SpecialFiles.DeadPid();
        var stale = Path.Combine(dir, $".m.json.{dead}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "{ \"format\": \"mathdnn-mo"); // a save killed half-way
        var model = ModelFile.FromJson(Json());
        ModelFile.Save(path, model);
        Assert.False(File.Exists(stale));
        Assert.Equal(["m.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal(model.Network.Parameters, ModelFile.Load(path).Network.Parameters);
    }

    [Fact]
    public void A_save_that_cannot_be_done_changes_nothing()
    {
        var file = Path.Combine(dir, "file");
        File.WriteAllText(file, "x");
        var model = ModelFile.FromJson(Json());
        Assert.Equal($"{file}/m.json: the folder {file} is a file, not a folder.",
            Assert.Throws<ModelFileException>(() => ModelFile.Save(Path.Combine(file, "m.json"), model)).Message);
        Assert.Equal($"{dir}: is a folder; expected a file name.", Assert.Throws<ModelFileException>(() => ModelFile.Save(dir, model)).Message);
        Assert.Equal(["file"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }
}
