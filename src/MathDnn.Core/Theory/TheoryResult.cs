using System.Collections.Immutable;

namespace MathDnn.Theory;

/// <summary>One curve of a plot: y against x (same length; only finite values).</summary>
/// <param name="Name">The curve's label.</param>
/// <param name="X">The abscissae.</param>
/// <param name="Y">The ordinates (same length).</param>
public sealed record Series(string Name, ImmutableArray<double> X, ImmutableArray<double> Y)
{
    /// <summary>The series <paramref name="name"/> of the points (x_i, y_i), the sequences materialised.</summary>
    /// <exception cref="ArgumentException">x and y have different lengths.</exception>
    public static Series Of(string name, IEnumerable<double> x, IEnumerable<double> y)
    {
        var (xs, ys) = (x.ToImmutableArray(), y.ToImmutableArray());
        if (xs.Length != ys.Length)
            throw new ArgumentException($"Series {name}: {xs.Length} x values but {ys.Length} y values.");
        return new Series(name, xs, ys);
    }
}

/// <summary>A plot of an experiment: its title, axis labels and scales, and its curves (what the shell draws).</summary>
/// <param name="Title">The title.</param>
/// <param name="XLabel">The x axis's label.</param>
/// <param name="YLabel">The y axis's label.</param>
/// <param name="LogX">Whether x is on a log scale.</param>
/// <param name="LogY">Whether y is on a log scale.</param>
/// <param name="Series">The curves.</param>
public sealed record Plot(string Title, string XLabel, string YLabel, bool LogX, bool LogY, ImmutableArray<Series> Series);

/// <summary>
/// What every theory experiment returns, beyond its own numbers: its <see cref="Name"/> (the command's name), the
/// statement it tests with its source (<see cref="Statement"/>), whether the conclusion the test asserts holds
/// (<see cref="Holds"/>), the verdict in words with the headline numbers (<see cref="Verdict"/>), and the plots.
/// Everything is computed by a pure, seeded function: the shell only prints and draws it.
/// </summary>
public interface ITheoryResult
{
    /// <summary>The experiment's command name (e.g. "descent").</summary>
    string Name { get; }
    /// <summary>The statement tested, with its source (e.g. "003 Props 6.1–6.2", "004").</summary>
    string Statement { get; }
    /// <summary>Whether the conclusion the experiment asserts holds on this run.</summary>
    bool Holds { get; }
    /// <summary>The verdict in words, with the headline numbers.</summary>
    string Verdict { get; }
    /// <summary>The plots to draw.</summary>
    ImmutableArray<Plot> Plots { get; }
}
