namespace MathDnn.Activations;

/// <summary>
/// An element-wise activation's f and f′ given as an object (for F#: an object expression or a class implementing this
/// interface), wrapped as an activation by <see cref="CustomActivation"/>. Generic over the element type, so it runs in
/// float32 and float64 at full speed.
/// </summary>
public interface IElementwiseDefinition
{
    /// <summary>The activation's name (for messages and model files).</summary>
    string Name { get; }

    /// <summary>f(z).</summary>
    T Value<T>(T z) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>f′(z), given y = f(z).</summary>
    T Derivative<T>(T z, T y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;
}

/// <summary>The element-wise activation an <see cref="IElementwiseDefinition"/> defines (diagonal Jacobian diag(f′(z)), Hadamard backward pass, 003 Prop 5.1).</summary>
public sealed record CustomActivation : ElementwiseActivation
{
    public CustomActivation(IElementwiseDefinition definition) => Definition = definition ?? throw new ArgumentNullException(nameof(definition));

    /// <summary>The definition this activation forwards to.</summary>
    public IElementwiseDefinition Definition { get; }

    public override string Name => Definition.Name;
    public override T Value<T>(T z) => Definition.Value(z);
    public override T Derivative<T>(T z, T y) => Definition.Derivative(z, y);
}

/// <summary>
/// An element-wise activation from two double functions, f and f′(z, y) (y = f(z) given for derivatives cheapest from the
/// value): the simple form. float32 batches are evaluated in double and rounded.
/// </summary>
public sealed record FunctionActivation : ElementwiseActivation
{
    private readonly Func<double, double> f;
    private readonly Func<double, double, double> derivative;

    public FunctionActivation(string name, Func<double, double> f, Func<double, double, double> derivative)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("An activation needs a name.", nameof(name)) : name;
        this.f = f ?? throw new ArgumentNullException(nameof(f));
        this.derivative = derivative ?? throw new ArgumentNullException(nameof(derivative));
    }

    public override string Name { get; }

    public override T Value<T>(T z) => T.CreateTruncating(f(double.CreateTruncating(z)));

    public override T Derivative<T>(T z, T y) => T.CreateTruncating(derivative(double.CreateTruncating(z), double.CreateTruncating(y)));
}
