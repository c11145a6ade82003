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
    /// <summary>Wraps <paramref name="definition"/> as an activation.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    public CustomActivation(IElementwiseDefinition definition) => Definition = definition ?? throw new ArgumentNullException(nameof(definition));

    /// <summary>The definition this activation forwards to.</summary>
    public IElementwiseDefinition Definition { get; }

    /// <summary>The definition's <see cref="IElementwiseDefinition.Name"/>.</summary>
    public override string Name => Definition.Name;
    /// <summary>f(z), the definition's <see cref="IElementwiseDefinition.Value{T}"/>.</summary>
    public override T Value<T>(T z) => Definition.Value(z);
    /// <summary>f′(z), the definition's <see cref="IElementwiseDefinition.Derivative{T}"/>.</summary>
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

    /// <summary>The activation named <paramref name="name"/> with value <paramref name="f"/> and derivative <paramref name="derivative"/>(z, y), y = f(z).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="derivative"/> is null.</exception>
    public FunctionActivation(string name, Func<double, double> f, Func<double, double, double> derivative)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("An activation needs a name.", nameof(name)) : name;
        this.f = f ?? throw new ArgumentNullException(nameof(f));
        this.derivative = derivative ?? throw new ArgumentNullException(nameof(derivative));
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>f(z), evaluated in double and rounded to <typeparamref name="T"/>.</summary>
    public override T Value<T>(T z) => T.CreateTruncating(f(double.CreateTruncating(z)));

    /// <summary>f′(z) from the derivative function given (z, y), evaluated in double and rounded to <typeparamref name="T"/>.</summary>
    public override T Derivative<T>(T z, T y) => T.CreateTruncating(derivative(double.CreateTruncating(z), double.CreateTruncating(y)));
}
