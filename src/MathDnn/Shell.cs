namespace MathDnn.Cli;

/// <summary>
/// Where a command writes: human output and JSON documents to <see cref="Out"/>, errors to <see cref="Err"/>.
/// Live displays (progress bars, drawn tables) are used only when a writer is the process's console attached to a
/// terminal; a test's writer or redirected output gets plain lines.
/// </summary>
internal sealed class Shell(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    public bool OutIsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;
    public bool ErrIsTerminal => ReferenceEquals(Err, Console.Error) && !Console.IsErrorRedirected;
}
