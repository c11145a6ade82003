namespace MathDnn.Bench;

/// <summary>The option reading every mode of the bench shares: <c>--name value</c> pairs.</summary>
internal static class BenchArgs
{
    public static string Option(string[] args, string name, string fallback) => OptionOrNull(args, name) ?? fallback;

    public static string? OptionOrNull(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
