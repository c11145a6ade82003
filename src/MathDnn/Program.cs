namespace MathDnn.Cli;

/// <summary>The <c>mathdnn</c> command line (the shell; see README).</summary>
public static class Program
{
    /// <summary>Runs <see cref="Cli.Run"/> on the console; returns its exit code.</summary>
    public static int Main(string[] args) => Cli.Run(args, Console.Out, Console.Error);
}
