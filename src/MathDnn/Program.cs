namespace MathDnn.Cli;

/// <summary>The <c>mathdnn</c> command line (the shell; see README).</summary>
public static class Program
{
    /// <summary>Runs <see cref="Cli.Run"/> on the console; returns its exit code.</summary>
    public static int Main(string[] args)
    {
        // Under mpirun each rank's stdout is a pseudo-terminal of Open MPI's daemon, forwarded to mpirun's stdout (often a file
        // or a pipe): a terminal type without control sequences keeps .NET's console from writing any into it.
        if (Mpi.MpiCommunicator.LaunchedByMpirun) Environment.SetEnvironmentVariable("TERM", "dumb");
        return Cli.Run(args, Console.Out, Console.Error);
    }
}
