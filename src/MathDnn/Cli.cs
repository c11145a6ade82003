namespace MathDnn.Cli;

/// <summary>Entry point of the shell, callable in-process by tests with their own writers.</summary>
public static class Cli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stdout.WriteLine("mathdnn: the command line arrives with issue 4.");
        return 0;
    }
}
