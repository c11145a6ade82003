namespace MathDnn.Cli;

/// <summary>A bad option value or a bad combination of options: one line naming the option and what was expected (exit code 2).</summary>
public sealed class BadInputException(string message) : Exception(message);
