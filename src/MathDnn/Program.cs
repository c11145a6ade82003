namespace MathDnn.Cli;

/// <summary>The <c>mathdnn</c> command line (the shell; see README).</summary>
public static class Program
{
    public static int Main(string[] args) => Cli.Run(args, Console.Out, Console.Error);
}
