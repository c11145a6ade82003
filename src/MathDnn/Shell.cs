using MathDnn.Cli.Distributed;

namespace MathDnn.Cli;

/// <summary>
/// Where a command writes: human output and JSON documents to <see cref="Out"/>, errors to <see cref="Err"/>.
/// Live displays (progress bars, drawn tables) are used only when a writer is the process's console attached to a
/// terminal; a test's writer or redirected output gets plain lines. Under mpirun, once a command has taken the ranks
/// (<see cref="Ranks"/>), only rank 0's shell writes: the other ranks' <see cref="Out"/> and <see cref="Err"/> discard.
/// </summary>
internal sealed class Shell(TextWriter stdout, TextWriter stderr, Func<RankSession>? ranks = null)
{
    private RankSession? session;

    public TextWriter Out => session is { IsRoot: false } ? TextWriter.Null : stdout;
    public TextWriter Err => session is { IsRoot: false } ? TextWriter.Null : stderr;

    /// <summary>This rank's own stderr, for a failure only this rank knows of.</summary>
    public TextWriter RankErr => stderr;

    // Under mpirun a rank's console is the launcher's pseudo-terminal, not the user's: plain lines, no live display.
    public bool OutIsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected && session is not { Distributed: true };
    public bool ErrIsTerminal => ReferenceEquals(Err, Console.Error) && !Console.IsErrorRedirected && session is not { Distributed: true };

    /// <summary>The ranks of this run (MPI under mpirun, else one), created by the first command that asks.</summary>
    public RankSession Ranks => session ??= (ranks ?? RankSession.FromEnvironment)();

    /// <summary>The ranks, when a command has taken them.</summary>
    public RankSession? ActiveRanks => session;
}
