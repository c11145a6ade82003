using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Layers;

/// <summary>
/// A <see cref="PerSampleLayer"/> from functions (double, one sample at a time): the simplest way to bring a layer
/// into a network from C# lambdas or F# closures. <c>apply</c> gives ℓ(x; θ) and <c>pullback</c>
/// (u·J_x, u·J_θ) at (θ, x, y, u); <c>outputSize</c> maps the input width to the output width
/// (the input width when null), <c>parameterShapes</c> lays out θ (none when null).
/// </summary>
public sealed record FunctionLayer : PerSampleLayer
{
    private readonly Func<Vector<double>, Vector<double>, Vector<double>> apply;
    private readonly Func<Vector<double>, Vector<double>, Vector<double>, Vector<double>, (Vector<double> Input, Vector<double> Parameters)> pullback;
    private readonly Func<int, int>? outputSize;
    private readonly int? inputSize;

    /// <summary>The layer named <paramref name="name"/> with value <paramref name="apply"/>(θ, x) and backward pass <paramref name="pullback"/>(θ, x, y, u) = (u·J_x, u·J_θ); <paramref name="outputSize"/> maps n to m (identity when null), <paramref name="parameterShapes"/> lays out θ (none when null), <paramref name="inputSize"/> fixes n (null: any width).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or blank, or the layer has parameters but no <paramref name="inputSize"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="pullback"/> is null.</exception>
    public FunctionLayer(
        string name,
        Func<Vector<double>, Vector<double>, Vector<double>> apply,
        Func<Vector<double>, Vector<double>, Vector<double>, Vector<double>, (Vector<double> Input, Vector<double> Parameters)> pullback,
        Func<int, int>? outputSize = null,
        IReadOnlyList<ParameterShape>? parameterShapes = null,
        int? inputSize = null)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A layer needs a name.", nameof(name)) : name;
        this.apply = apply ?? throw new ArgumentNullException(nameof(apply));
        this.pullback = pullback ?? throw new ArgumentNullException(nameof(pullback));
        this.outputSize = outputSize;
        this.inputSize = inputSize;
        ParameterShapes = parameterShapes ?? [];
        if (ParameterShapes.Count > 0 && inputSize is null)
            throw new ArgumentException($"{name}: a layer with parameters must fix its input width (inputSize).", nameof(inputSize));
    }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override int? InputSize => inputSize;
    /// <summary>outputSize(n), or n when none was given.</summary>
    public override int OutputSize(int n) => outputSize?.Invoke(n) ?? n;
    /// <inheritdoc/>
    public override IReadOnlyList<ParameterShape> ParameterShapes { get; }

    /// <summary>apply(θ, x).</summary>
    public override Vector<double> Apply(Vector<double> parameters, Vector<double> x, Batch batch) => apply(parameters, x);

    /// <summary>pullback(θ, x, y, u).</summary>
    public override (Vector<double> Input, Vector<double> Parameters) Pullback(Vector<double> parameters, Vector<double> x, Vector<double> y, Vector<double> upstream, Batch batch) =>
        pullback(parameters, x, y, upstream);
}
