using MathDnn.IO;

namespace MathDnn.Cli.Output;

/// <summary>
/// Input and output files of the command line, named by their options: inputs must be regular files (checked before
/// opening: a FIFO would block), outputs are checked before any work starts and written together at the end
/// (<see cref="Outputs"/>, over the library's <see cref="OutputSet"/>).
/// </summary>
internal static class Files
{
    /// <summary>
    /// Checks, before a long computation, that <paramref name="path"/> (the value of <paramref name="option"/>) can be
    /// written (<see cref="FileCheck.WriteProblem"/>: its folder exists and can be written, it is not a folder, not an
    /// existing file other than a regular one, not in /proc or /sys).
    /// </summary>
    public static void CheckWritable(string path, string option)
    {
        if (FileCheck.WriteProblem(path) is { } problem)
            throw new BadInputException(string.IsNullOrWhiteSpace(path) ? $"{option}: {problem}." : $"{option} {path}: {problem}.");
    }

    /// <summary>
    /// Checks that the input <paramref name="path"/> (the value of <paramref name="option"/>) is a regular file, without
    /// opening it; <paramref name="hint"/> ends the message of a missing file or a folder.
    /// </summary>
    public static void CheckReadable(string path, string option, string? hint = null)
    {
        if (FileCheck.ReadProblem(path) is { } problem)
            throw new BadInputException($"{option} {path}: {problem}{(hint is null ? "" : "; " + hint)}.");
    }

    /// <summary>
    /// Checks that the output <paramref name="path"/> (the value of <paramref name="option"/>) is none of the files a
    /// command reads or writes otherwise (the same path, a symbolic link to it or a hard link, <see cref="FileCheck.SameFile"/>),
    /// so that an output never replaces an input or another output.
    /// </summary>
    public static void CheckDistinct(string path, string option, params (string? Path, string Option)[] others)
    {
        foreach (var (other, otherOption) in others)
            if (other is not null && FileCheck.SameFile(path, other))
                throw new BadInputException($"{option} {path}: is also the {otherOption} file; an output must not replace an input, choose another name.");
    }
}

/// <summary>
/// The output files of one command, all or none: each is declared (and checked) before the work starts, then its
/// content staged, and all are committed together at the end, so that a command that fails leaves every existing
/// output as it was. Disposing without a commit deletes the temporaries. Errors name the option and the path. When
/// several processes run one command (MPI), the one that writes (rank 0) declares, stages and commits; the others
/// only declare, so that every process refuses a bad output before the work.
/// </summary>
internal sealed class Outputs : IDisposable
{
    private readonly List<(string Path, string Option)> declared = [];
    private readonly OutputSet set = new();

    /// <summary>
    /// Declares the output <paramref name="path"/> of <paramref name="option"/> (nothing when null): checks that it can be
    /// written and is none of <paramref name="inputs"/> nor an output declared before.
    /// </summary>
    public Outputs Declare(string? path, string option, params (string? Path, string Option)[] inputs)
    {
        if (path is null) return this;
        Files.CheckWritable(path, option);
        Files.CheckDistinct(path, option, [.. inputs, .. declared.Select(d => ((string?)d.Path, d.Option))]);
        declared.Add((path, option));
        return this;
    }

    /// <summary>Writes the content of the declared output <paramref name="path"/> into its temporary (see <see cref="OutputSet.Stage"/>).</summary>
    public void Stage(string path, Action<Stream> write)
    {
        var option = declared.FirstOrDefault(d => d.Path == path).Option
            ?? throw new InvalidOperationException($"{path}: staged without being declared.");
        try { set.Stage(path, write); }
        catch (IOException e) { throw new BadInputException($"{option} {e.Message}"); }
    }

    /// <summary>Stages <paramref name="text"/> as UTF-8 (without a byte-order mark).</summary>
    public void Stage(string path, string text) =>
        Stage(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
            w.Write(text);
        });

    /// <summary>Replaces every staged output by its new content (see <see cref="OutputSet.Commit"/>).</summary>
    public void Commit()
    {
        try { set.Commit(); }
        catch (IOException e) { throw new BadInputException(e.Message); }
    }

    public void Dispose() => set.Dispose();
}
