using System.Text.Json.Nodes;
using MathDnn.Cli;
using MathDnn.Cli.Output;
using MathDnn.Tests.IO;

namespace MathDnn.Tests.Cli;

/// <summary>
/// Issue 13, items 1–4, 9 and 10: a command that fails leaves every existing output byte for byte; outputs are checked
/// before the work and named by option and path; an output is never an input; stale temporaries are deleted; only
/// regular files are read, without blocking on a FIFO. The tests run as root, for whom a chmod-ed folder stays
/// writable: an unwritable output is made with a "folder" that is a regular file, or a folder in /proc or /sys,
/// which fail for root too.
/// </summary>
public sealed class FileSafetyTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private static CliResult Run(params string[] args) => CliHarness.Run(args);

    /// <summary>Every file of the harness's folder with its bytes, to compare before and after a failing command.</summary>
    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(h.Dir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    private void AssertUnchanged(Dictionary<string, byte[]> before)
    {
        var after = Snapshot();
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal)); // no file added (no temporary), none removed
        foreach (var (file, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[file]), $"{file} changed");
    }

    [Fact]
    public void Issue_13_item_1_a_plot_that_cannot_be_written_leaves_the_existing_model_byte_for_byte()
    {
        var existing = h.P("existing.json");
        Run("train", "--data", "xor", "--epochs", "1", "--seed", "3", "--out", existing).AssertOk();
        var notAFolder = h.Write("rodir", "a regular file, so no file can be created \"in\" it, not even by root");
        var before = Snapshot();
        var plot = Path.Combine(notAFolder, "p.svg");
        var r = Run("train", "--data", "xor", "--epochs", "2", "--seed", "7", "--out", existing, "--plot", plot);
        r.AssertBadInput($"--plot {plot}: the folder {notAFolder} is a file, not a folder");
        Assert.Equal("", r.Out); // refused before training: nothing was printed
        AssertUnchanged(before);
        if (!OperatingSystem.IsLinux()) return;
        // /proc and /sys: no one can create a file there; named before training, by option and path.
        foreach (var virtualPlot in new[] { "/proc/self/p.svg", "/sys/p.svg" })
        {
            r = Run("train", "--data", "xor", "--epochs", "2", "--seed", "7", "--out", existing, "--plot", virtualPlot);
            r.AssertBadInput($"--plot {virtualPlot}: the folder {Path.GetDirectoryName(virtualPlot)} cannot be written");
            Assert.DoesNotContain(".tmp", r.Err);
            Assert.Equal("", r.Out);
        }
        r = Run("train", "--data", "xor", "--epochs", "2", "--out", "/proc/self/m.json");
        r.AssertBadInput("--out /proc/self/m.json: the folder /proc/self cannot be written");
        AssertUnchanged(before);
    }

    [Fact]
    public void Issue_13_item_1_as_reported_a_plot_into_a_folder_without_write_permission()
    {
        // The exact scenario, with a chmod 555 folder: that fails for a user other than root only, so as root the command
        // runs as the user nobody (setpriv), as a process: `dotnet mathdnn.dll`, the shell's own binary.
        if (!OperatingSystem.IsLinux()) return;
        bool root = Environment.IsPrivilegedProcess;
        if (root && !File.Exists("/usr/bin/setpriv")) return; // nothing to run as another user with
        File.SetUnixFileMode(h.Dir, (UnixFileMode)0b111_111_111);
        var existing = h.P("existing.json");
        Run("train", "--data", "xor", "--epochs", "1", "--seed", "3", "--out", existing).AssertOk();
        File.SetUnixFileMode(existing, (UnixFileMode)0b110_110_110);
        var rodir = Directory.CreateDirectory(h.P("rodir")).FullName;
        File.SetUnixFileMode(rodir, (UnixFileMode)0b101_101_101);
        var before = Snapshot();
        (int Code, string Out, string Err) Mathdnn(params string[] args)
        {
            var info = new System.Diagnostics.ProcessStartInfo(root ? "/usr/bin/setpriv" : CliProcess.Dotnet) { WorkingDirectory = h.Dir };
            if (root) foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", CliProcess.Dotnet }) info.ArgumentList.Add(a);
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mathdnn.dll"));
            foreach (var a in args) info.ArgumentList.Add(a);
            info.Environment["HOME"] = h.Dir;
            info.Environment["DOTNET_CLI_HOME"] = h.Dir;
            var r = ChildProcess.Run(info, TimeSpan.FromMinutes(2));
            return (r.ExitCode, r.Out, r.Err);
        }
        var probe = Mathdnn("datasets");
        Assert.True(probe.Code == 0, $"the user nobody cannot run the test binaries (run the tests from a checkout others may read): {probe.Err}");
        var (code, output, error) = Mathdnn("train", "--data", "xor", "--epochs", "2", "--seed", "7", "--out", "existing.json", "--plot", "rodir/p.svg");
        Assert.Equal(2, code);
        Assert.Equal("", output); // refused before training
        Assert.Equal($"mathdnn: --plot rodir/p.svg: the folder {rodir} cannot be written (permission denied); no file can be created there.", error.TrimEnd());
        AssertUnchanged(before);
    }

    [Fact]
    public void A_failing_command_leaves_every_existing_output_byte_for_byte()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        var outModel = h.Write("out.json", "precious model");
        var plot = h.Write("p.svg", "precious plot");
        var csvOut = h.Write("p.csv", "precious predictions");
        var onnx = h.Write("m.onnx", "precious onnx");
        var bad = h.Write("bad.csv", "1,2,0\n3,x,1\n");
        var good = h.Write("good.csv", "0.5,0.5\n-0.5,0.5\n");
        var broken = h.Write("broken.json", "{\"format\": \"mathdnn-model\", \"version\": 1, \"layers\": [");
        var notAFolder = h.Write("file", "x");
        var before = Snapshot();
        (string[] Args, string Expected)[] failures =
        [
            (["train", "--data", bad, "--out", outModel, "--plot", plot], $"{bad}:2"),
            (["train", "--data", "xor", "--epochs", "1", "--out", outModel, "--plot", Path.Combine(notAFolder, "p.svg")], "--plot"),
            (["train", "--data", "xor", "--epochs", "1", "--out", Path.Combine(notAFolder, "m.json"), "--plot", plot], "--out"),
            (["train", "--resume", model, "--epochs", "1", "--out", outModel, "--plot", plot, "--lr", "1"], "--lr cannot be changed"),
            (["predict", "--model", model, "--data", bad, "--out", csvOut], $"{bad}:2"),
            (["predict", "--model", broken, "--data", good, "--out", csvOut], "not valid JSON"),
            (["jacobian", "--model", model, "--data", bad, "--out", csvOut], $"{bad}:2"),
            (["export", "--model", broken, "--onnx", onnx], "not valid JSON"),
            (["import", "--onnx", good, "--out", outModel], good),
            (["evaluate", "--model", model, "--data", bad], $"{bad}:2"),
        ];
        foreach (var (args, expected) in failures)
        {
            Run(args).AssertBadInput(expected);
            AssertUnchanged(before);
        }
    }

    [Fact]
    public void A_late_failure_names_the_option_and_the_path_and_commits_nothing()
    {
        // The check before the work passed; the folder of the second output disappears before it is written.
        var model = h.Write("m.json", "old model");
        var sub = Directory.CreateDirectory(h.P("plots")).FullName;
        var plot = Path.Combine(sub, "p.svg");
        using (var outputs = new Outputs().Declare(model, "--out").Declare(plot, "--plot"))
        {
            outputs.Stage(model, "new model");
            Directory.Delete(sub);
            var e = Assert.Throws<BadInputException>(() => outputs.Stage(plot, "<svg/>"));
            Assert.Equal($"--plot {plot}: the folder {sub} does not exist.", e.Message);
            Assert.DoesNotContain(".tmp", e.Message);
        }
        Assert.Equal("old model", File.ReadAllText(model));
        Assert.Equal(["m.json"], Directory.GetFiles(h.Dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Issue_13_item_3_an_output_that_is_also_an_input_is_refused()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        var data = h.Write("x.csv", "0.5,0.5\n-0.5,0.5\n");
        var link = h.P("link.json");
        File.CreateSymbolicLink(link, model);
        var before = Snapshot();
        Run("predict", "--model", model, "--data", data, "--out", model).AssertBadInput($"--out {model}: is also the --model file");
        Run("predict", "--model", model, "--data", data, "--out", link).AssertBadInput($"--out {link}: is also the --model file");
        Run("predict", "--model", model, "--data", data, "--out", data).AssertBadInput($"--out {data}: is also the --data file");
        if (OperatingSystem.IsLinux())
        {
            var hard = SpecialFiles.HardLink(model, h.P("hard.json"));
            before = Snapshot();
            Run("predict", "--model", model, "--data", data, "--out", hard).AssertBadInput($"--out {hard}: is also the --model file");
        }
        var csv = h.Write("t.csv", "0,0,0\n0,1,1\n1,0,1\n1,1,0\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0,0,0\n0,1,1\n");
        before = Snapshot();
        Run("train", "--data", csv, "--out", csv).AssertBadInput($"--out {csv}: is also the --data file");
        Run("train", "--data", csv, "--plot", csv).AssertBadInput($"--plot {csv}: is also the --data file");
        Run("train", "--data", "xor", "--out", model, "--plot", model).AssertBadInput($"--plot {model}: is also the --out file");
        Run("train", "--resume", model, "--epochs", "1", "--plot", model).AssertBadInput($"--plot {model}: is also the --resume file");
        Run("export", "--model", model, "--onnx", link).AssertBadInput($"--onnx {link}: is also the --model file");
        AssertUnchanged(before);
        // A resumed run updates its own model file: --out may be the --resume file.
        Run("train", "--resume", model, "--epochs", "1", "--out", link).AssertOk();
    }

    [Fact]
    public void Issue_13_item_4_a_save_deletes_the_stale_temporaries_of_its_target()
    {
        var model = h.P("m.json");
        int dead = SpecialFiles.DeadPid();
        var stale = h.Write($".m.json.{dead}.{Guid.NewGuid():N}.tmp", "a save killed by kill -9");
        var inFlight = h.Write($".m.json.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp", "a save of a running process");
        var otherTarget = h.Write($".p.svg.{dead}.{Guid.NewGuid():N}.tmp", "another target's");
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(inFlight));
        Assert.True(File.Exists(otherTarget));
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--plot", h.P("p.svg")).AssertOk();
        Assert.False(File.Exists(otherTarget));
    }

    [Fact]
    public void Issue_13_item_9_a_fifo_is_refused_without_blocking()
    {
        if (!OperatingSystem.IsLinux()) return;
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        var fifo = SpecialFiles.Fifo(h.P("fifo"));
        var onnxOut = h.P("o.json");
        (string[] Args, string Expected)[] cases =
        [
            (["train", "--data", fifo], $"{fifo}: is a named pipe (FIFO), not a regular file; --data reads regular files only."),
            (["predict", "--model", model, "--data", fifo], $"{fifo}: is a named pipe (FIFO), not a regular file."),
            (["evaluate", "--model", model, "--data", fifo], $"{fifo}: is a named pipe (FIFO), not a regular file; --data reads regular files only."),
            (["predict", "--model", fifo, "--data", "xor"], $"{fifo}: is a named pipe (FIFO), not a regular file."),
            (["evaluate", "--model", fifo], $"{fifo}: is a named pipe (FIFO), not a regular file."),
            (["train", "--resume", fifo, "--epochs", "1"], $"{fifo}: is a named pipe (FIFO), not a regular file."),
            (["import", "--onnx", fifo, "--out", onnxOut], $"{fifo}: is a named pipe (FIFO), not a regular file."),
            (["predict", "--model", model, "--data", "xor", "--out", fifo], $"--out {fifo}: is a named pipe (FIFO), not a regular file; outputs are written to regular files only."),
        ];
        foreach (var (args, expected) in cases)
        {
            var r = SpecialFiles.WithoutBlocking(fifo, () => Run(args));
            r.AssertBadInput(expected);
        }
        // MNIST files too: a FIFO in place of the training images.
        var dir = h.FakeMnist(train: 20, test: 10);
        var images = Path.Combine(dir, "train-images-idx3-ubyte");
        File.Delete(images);
        SpecialFiles.Fifo(images);
        SpecialFiles.WithoutBlocking(images, () => Run("train", "--data", "mnist", "--mnist-dir", dir))
            .AssertBadInput($"{images}: is a named pipe (FIFO), not a regular file; MNIST is read from regular files only.");
    }

    [Fact]
    public void Issue_13_item_10_folders_devices_and_proc_files_are_named_as_such()
    {
        Run("evaluate", "--model", h.Dir).AssertBadInput($"{h.Dir}: is a folder, not a model file.");
        Run("predict", "--model", h.Dir, "--data", "xor").AssertBadInput($"{h.Dir}: is a folder, not a model file.");
        if (!OperatingSystem.IsLinux()) return;
        foreach (var args in new[] { new[] { "train", "--data", "/proc/self/mem" }, ["evaluate", "--model", "/proc/self/mem"] })
        {
            var r = Run(args);
            r.AssertBadInput("/proc/self/mem: is in /proc, a virtual file system of the kernel, not a regular file");
            Assert.DoesNotContain("Input/output error", r.Err); // the raw .NET text of reading it
        }
        Run("train", "--data", "/dev/zero").AssertBadInput("/dev/zero: is a character device, not a regular file; --data reads regular files only.");
        Run("train", "--data", "xor", "--out", "/dev/null").AssertBadInput("--out /dev/null: is a character device, not a regular file");
    }

    [Fact]
    public void Issue_13_item_10_a_model_without_its_softmax_names_the_file()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        var doc = JsonNode.Parse(File.ReadAllText(model))!;
        var layers = doc["layers"]!.AsArray();
        Assert.Equal("softmax", (string?)layers[^1]!["name"]);
        layers.RemoveAt(layers.Count - 1);
        var cut = h.Write("cut.json", doc.ToJsonString());
        string expected = $"{cut}: layers: the categorical-cross-entropy loss needs probabilities, so the network must end in softmax, but its last layer is dense (layers[2]).";
        Run("evaluate", "--model", cut).AssertBadInput(expected);
        Run("predict", "--model", cut, "--data", "xor").AssertBadInput(expected);
        // import does not write such a file: its network ends in dense, so categorical cross-entropy is refused.
        var onnx = h.P("cut.onnx");
        Run("export", "--model", cut, "--onnx", onnx).AssertOk();
        Run("import", "--onnx", onnx, "--out", h.P("back.json"), "--loss", "categorical-cross-entropy")
            .AssertBadInput($"--loss categorical-cross-entropy: needs probabilities, so the network must end in softmax, but the last layer of {onnx} is dense.");
        Assert.False(File.Exists(h.P("back.json")));
        Run("import", "--onnx", onnx, "--out", h.P("back.json")).AssertOk(); // squared error on the raw outputs
    }
}

/// <summary>Issue 13, item 10: the raw .NET text of a file error is worded as the shell's messages are, the file first.</summary>
public sealed class FileErrorWordingTests
{
    [Theory]
    [InlineData("Input/output error : '/proc/self/mem'", "/proc/self/mem: input/output error.")]
    [InlineData("No space left on device : '/data/.m.json.12.tmp'", "/data/.m.json.12.tmp: no space left on device.")]
    [InlineData("Access to the path '/root/x.csv' is denied.", "/root/x.csv: permission denied.")]
    [InlineData("Could not find file '/tmp/x.csv'.", "/tmp/x.csv: no such file.")]
    [InlineData("Could not find a part of the path '/nowhere/x.csv'.", "/nowhere/x.csv: no such file.")]
    [InlineData("--plot /x/p.svg: cannot be written (No space left on device).", "--plot /x/p.svg: cannot be written (No space left on device).")]
    public void A_file_error_names_the_file_first(string dotnet, string shell) =>
        Assert.Equal(shell, MathDnn.Cli.Cli.FileError(new IOException(dotnet)));
}
