using MathDnn.Distributed;
using MathDnn.Mpi;
using MathDnn.Training;

namespace MathDnn.Cli.Distributed;

/// <summary>
/// The ranks of one <c>mpirun -np N mathdnn train …</c> (one rank when not under mpirun), and how they stop together. Every
/// rank runs the whole command; rank 0 alone prints and writes files (the other ranks' shell writes nowhere). The run has
/// three phases, and a failure on any rank ends every rank with the same exit code and one message, printed by rank 0:
/// <list type="bullet">
/// <item>set-up (options, data, model): at its end every rank calls <see cref="Agree"/>; a rank that failed before calls it
/// from the error path instead, so the ranks learn who failed and why (the lowest failing rank's message and exit code);</item>
/// <item>training: <see cref="Trainer.Fit"/> stops every rank alike (a rank that failed, a divergence, ranks that differ);
/// any other failure is known to one rank only, which prints it and calls MPI_Abort, ending every rank;</item>
/// <item>finishing: rank 0 evaluates and writes the outputs, then broadcasts its exit code, which every rank returns.</item>
/// </list>
/// </summary>
internal sealed class RankSession(ICommunicator communicator) : IDisposable
{
    private enum Phase { SetUp, Training, Finishing, Done }

    private Phase phase = Phase.SetUp;

    public ICommunicator Communicator { get; } = communicator;
    public int Rank => Communicator.Rank;
    public int Size => Communicator.Size;
    public bool IsRoot => Communicator.Rank == 0;
    public bool Distributed => Communicator.Size > 1;

    /// <summary>The communicator of this process: Open MPI's MPI_COMM_WORLD under mpirun/mpiexec, else one rank.</summary>
    public static RankSession FromEnvironment()
    {
        try { return new RankSession(MpiCommunicator.FromEnvironment()); }
        catch (DllNotFoundException e) { throw new BadInputException(e.Message); }
    }

    /// <summary>The end of the set-up on a rank that succeeded: returns when every rank did, else throws the failure of the lowest failing rank.</summary>
    public void Agree()
    {
        if (!Distributed) { phase = Phase.Training; return; }
        Exchange(0, null);
        phase = Phase.Training;
    }

    /// <summary>Runs the training phase; the finishing phase follows.</summary>
    public T Train<T>(Func<T> fit)
    {
        phase = Phase.Training;
        var result = fit();
        phase = Phase.Finishing;
        return result;
    }

    /// <summary>On a rank other than 0 after training: rank 0's exit code, once it has written the outputs.</summary>
    public int AwaitRoot()
    {
        var code = new int[1];
        Communicator.Broadcast<int>(code, 0);
        phase = Phase.Done;
        return code[0];
    }

    /// <summary>A command's body returned <paramref name="code"/>: rank 0 passes it to the others when they wait for it.</summary>
    public int Completed(int code)
    {
        if (Distributed && IsRoot && phase == Phase.Finishing)
        {
            Communicator.Broadcast<int>(new[] { code }, 0);
            phase = Phase.Done;
        }
        return code;
    }

    /// <summary>
    /// A command's body failed on this rank with <paramref name="message"/> and exit code <paramref name="code"/>: prints it
    /// (on rank 0, or on this rank before MPI_Abort) as the phase requires, and returns the exit code every rank returns.
    /// </summary>
    public int Failed(Shell shell, Exception error, string message, int code)
    {
        if (!Distributed) { Cli.Fail(shell, message); return code; }
        switch (phase)
        {
            case Phase.SetUp when error is RanksFailed agreed:
                phase = Phase.Done;
                Cli.Fail(shell, agreed.Message);
                return agreed.Code;
            case Phase.SetUp:
                try { Exchange(code, message); }
                catch (RanksFailed agreed)
                {
                    phase = Phase.Done;
                    Cli.Fail(shell, agreed.Message);
                    return agreed.Code;
                }
                break; // not reached: this rank's failure is part of what was exchanged
            case Phase.Training when error is RankFailedException or TrainingDivergedException or ArgumentException or ArithmeticException:
                phase = Phase.Done;
                Cli.Fail(shell, message); // thrown alike on every rank by the trainer
                return code;
            case Phase.Finishing when IsRoot:
                Cli.Fail(shell, message);
                return Completed(code);
        }
        // Known to this rank alone: the others may be waiting in a collective, so MPI_Abort ends them all.
        shell.RankErr.WriteLine($"mathdnn: rank {Rank}: {Cli.OneLine(message)}");
        shell.RankErr.Flush();
        (Communicator as MpiCommunicator)?.Abort(code);
        return code;
    }

    /// <summary>The exit code of a failure on a rank that the trainer reported on every rank.</summary>
    public static int ExitCode(RankFailedException e) =>
        e.ExceptionType.StartsWith("Argument", StringComparison.Ordinal) ||
        e.ExceptionType is nameof(BadInputException) or "DataFormatException" or "ModelFileException" or nameof(IOException) or "FileNotFoundException"
            or "DirectoryNotFoundException" or nameof(UnauthorizedAccessException)
            ? Cli.BadInput : Cli.CheckFailed;

    /// <summary>Every rank contributes (exit code, 0 when fine); when one is not 0, the lowest such rank's message reaches all and <see cref="RanksFailed"/> is thrown.</summary>
    private void Exchange(int code, string? message)
    {
        var codes = new int[Size];
        Communicator.AllGather<int>(new[] { code }, codes);
        int failed = Array.FindIndex(codes, c => c != 0);
        if (failed < 0) return;
        throw new RanksFailed(codes[failed], $"rank {failed}: {Communicator.BroadcastText(failed, message)}");
    }

    /// <summary>MPI_Finalize.</summary>
    public void Dispose() => (Communicator as IDisposable)?.Dispose();

    /// <summary>The set-up failed on a rank: its message (naming it) and exit code, the same on every rank.</summary>
    internal sealed class RanksFailed(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }
}
