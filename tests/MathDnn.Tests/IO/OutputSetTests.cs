using MathDnn.IO;

namespace MathDnn.Tests.IO;

/// <summary>
/// <see cref="OutputSet"/> and <see cref="FileCheck"/>: outputs all or none, stale temporaries cleaned, only regular
/// files read (issue 13, items 1–4 and 9). The failures are made so that they fail for root too (the tests run as
/// root, for whom a chmod-ed folder stays writable): a "folder" that is a regular file, /proc, a folder removed.
/// </summary>
public sealed class OutputSetTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mathdnn-outputs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string P(string name) => Path.Combine(dir, name);

    private static Action<Stream> Text(string s) => stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(s));

    private string[] Names() => [.. Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Nothing_is_replaced_before_the_commit_and_everything_at_it()
    {
        File.WriteAllText(P("a"), "old a");
        File.WriteAllText(P("b"), "old b");
        using (var set = new OutputSet())
        {
            set.Stage(P("a"), Text("new a"));
            set.Stage(P("b"), Text("new b"));
            Assert.Equal(("old a", "old b"), (File.ReadAllText(P("a")), File.ReadAllText(P("b"))));
            Assert.Equal(4, Names().Length); // two targets, two temporaries
            Assert.All(Names().Where(n => n.StartsWith('.')), n => Assert.Matches(@"^\.[ab]\.\d+\.[0-9a-f]{32}\.tmp$", n));
            set.Commit();
        }
        Assert.Equal(("new a", "new b"), (File.ReadAllText(P("a")), File.ReadAllText(P("b"))));
        Assert.Equal(["a", "b"], Names());
    }

    [Fact]
    public void A_failing_write_leaves_every_old_file_byte_for_byte_and_no_temporary()
    {
        byte[] a = [1, 2, 3, 0, 255], b = [9, 8, 7];
        File.WriteAllBytes(P("a"), a);
        File.WriteAllBytes(P("b"), b);
        var set = new OutputSet();
        set.Stage(P("a"), Text("new a"));
        Assert.Throws<InvalidOperationException>(() => set.Stage(P("b"), s =>
        {
            s.Write([1, 1, 1]);
            throw new InvalidOperationException("the plot could not be drawn");
        }));
        set.Dispose(); // what `using` does when the command fails
        Assert.Equal(a, File.ReadAllBytes(P("a")));
        Assert.Equal(b, File.ReadAllBytes(P("b")));
        Assert.Equal(["a", "b"], Names());
    }

    [Fact]
    public void A_folder_gone_after_the_check_is_an_error_naming_the_target_not_the_temporary()
    {
        File.WriteAllText(P("m.json"), "old");
        var sub = Directory.CreateDirectory(P("plots")).FullName;
        var plot = Path.Combine(sub, "p.svg");
        Assert.Null(FileCheck.WriteProblem(plot));
        using var set = new OutputSet();
        set.Stage(P("m.json"), Text("new"));
        Directory.Delete(sub); // between the check before the work and the write after it
        var e = Assert.Throws<IOException>(() => set.Stage(plot, Text("<svg/>")));
        Assert.StartsWith($"{plot}: ", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        set.Dispose();
        Assert.Equal("old", File.ReadAllText(P("m.json")));
        Assert.Equal(["m.json"], Names());
    }

    [Fact]
    public void Staging_a_target_deletes_its_stale_temporaries_only()
    {
        int dead = SpecialFiles.DeadPid(), alive = Environment.ProcessId;
        string guid = Guid.NewGuid().ToString("N");
        var stale = new[] { $".m.json.{dead}.{guid}.tmp", $".m.json.{dead}.tmp", $".m.json.{dead}.{guid}.probe" };
        var kept = new[]
        {
            $".m.json.{alive}.{guid}.tmp",   // a save of this process in flight (another thread)
            $".other.json.{dead}.{guid}.tmp", // another target's
            $".m.json.{dead}.{guid}.tmp.bak", // not a name the saves use
            $"m.json.{dead}.{guid}.tmp",
        };
        foreach (var n in stale.Concat(kept)) File.WriteAllText(P(n), "left behind by kill -9");
        OutputSet.WriteAtomically(P("m.json"), Text("new"));
        Assert.Equal(kept.Append("m.json").Order(StringComparer.Ordinal), Names());
    }

    [Fact]
    public void Each_temporary_is_flushed_and_complete_before_the_rename()
    {
        // Stage hands the writer a FileStream and flushes it to disk (Flush(true)) before it returns; the temporary then
        // holds the whole content, which the rename makes the file.
        using var set = new OutputSet();
        var content = new byte[1 << 20];
        new Random(3).NextBytes(content);
        Stream? given = null;
        set.Stage(P("big"), s => { given = s; s.Write(content); });
        Assert.IsType<FileStream>(given);
        var temporary = Path.Combine(dir, Names().Single(n => n.StartsWith(".big.")));
        Assert.Equal(content, File.ReadAllBytes(temporary));
        set.Commit();
        Assert.Equal(content, File.ReadAllBytes(P("big")));
    }

    [Fact]
    public void Outputs_that_cannot_be_written_are_named_before_any_work()
    {
        File.WriteAllText(P("file"), "a regular file");
        Assert.Equal($"the folder {P("file")} is a file, not a folder", FileCheck.WriteProblem(Path.Combine(P("file"), "p.svg")));
        Assert.Equal($"the folder {P("nowhere")} does not exist", FileCheck.WriteProblem(Path.Combine(P("nowhere"), "p.svg")));
        Assert.Equal("is a folder; expected a file name", FileCheck.WriteProblem(dir));
        Assert.Null(FileCheck.WriteProblem(P("file")));
        Assert.Null(FileCheck.WriteProblem(P("new")));
        Assert.Equal(["file"], Names()); // the probe is gone
        if (!OperatingSystem.IsLinux()) return;
        Assert.StartsWith("the folder /proc/self cannot be written (it is in /proc", FileCheck.WriteProblem("/proc/self/p.svg"));
        Assert.StartsWith("the folder /sys cannot be written (it is in /sys", FileCheck.WriteProblem("/sys/p.svg"));
        Assert.Equal("is a character device, not a regular file; outputs are written to regular files only", FileCheck.WriteProblem("/dev/null"));
        var fifo = SpecialFiles.Fifo(P("fifo"));
        Assert.StartsWith("is a named pipe (FIFO), not a regular file", FileCheck.WriteProblem(fifo));
        var e = Assert.Throws<IOException>(() => OutputSet.WriteAtomically(fifo, Text("x")));
        Assert.Equal(FileKind.Fifo, FileCheck.KindOf(fifo)); // not replaced by a regular file
        Assert.Contains(fifo, e.Message);
    }

    [Fact]
    public void Only_regular_files_are_read_and_the_kind_is_told_without_opening()
    {
        File.WriteAllText(P("file"), "x");
        Assert.Null(FileCheck.ReadProblem(P("file")));
        Assert.Equal("no such file", FileCheck.ReadProblem(P("missing")));
        Assert.Equal("is a folder, not a file", FileCheck.ReadProblem(dir));
        Assert.Equal((FileKind.Regular, FileKind.Folder, FileKind.Missing), (FileCheck.KindOf(P("file")), FileCheck.KindOf(dir), FileCheck.KindOf(P("missing"))));
        if (!OperatingSystem.IsLinux()) return;
        var fifo = SpecialFiles.Fifo(P("fifo"));
        // Opening a FIFO without a writer blocks; KindOf must not open it.
        Assert.Equal(FileKind.Fifo, SpecialFiles.WithoutBlocking(fifo, () => FileCheck.KindOf(fifo)));
        Assert.Equal("is a named pipe (FIFO), not a regular file", FileCheck.ReadProblem(fifo));
        Assert.Equal(FileKind.CharacterDevice, FileCheck.KindOf("/dev/zero"));
        // /proc/self/mem reports as a regular file; it is refused by where it lies, also through a symbolic link.
        Assert.Equal(FileKind.Regular, FileCheck.KindOf("/proc/self/mem"));
        Assert.StartsWith("is in /proc, a virtual file system", FileCheck.ReadProblem("/proc/self/mem"));
        File.CreateSymbolicLink(P("mem"), "/proc/self/mem");
        Assert.StartsWith("is in /proc", FileCheck.ReadProblem(P("mem")));
    }

    [Fact]
    public void The_same_file_is_recognised_through_symbolic_and_hard_links()
    {
        File.WriteAllText(P("m.json"), "x");
        File.WriteAllText(P("other.json"), "x");
        File.CreateSymbolicLink(P("link.json"), P("m.json"));
        Assert.True(FileCheck.SameFile(P("m.json"), Path.Combine(dir, ".", "m.json")));
        Assert.True(FileCheck.SameFile(P("m.json"), P("link.json")));
        Assert.False(FileCheck.SameFile(P("m.json"), P("other.json")));
        Assert.False(FileCheck.SameFile(P("m.json"), P("new.json")));
        if (!OperatingSystem.IsLinux()) return;
        SpecialFiles.HardLink(P("m.json"), P("hard.json"));
        Assert.True(FileCheck.SameFile(P("hard.json"), P("m.json")));
    }
}
