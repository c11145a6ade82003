using MathDnn.Networks;

namespace MathDnn.Layers;

/// <summary>
/// A layer's mathematics given as an object rather than a derived record — the form for languages that cannot derive
/// a C# record (F#: an object expression or a class implementing this interface), wrapped as a layer by
/// <see cref="CustomLayer"/>. The members mean what <see cref="Layer"/>'s members of the same names mean; only
/// <see cref="Name"/>, <see cref="Forward{T}"/> and <see cref="Backward{T}"/> must be given.
/// </summary>
public interface ILayerDefinition
{
    /// <summary>See <see cref="Layer.Name"/>.</summary>
    string Name { get; }

    /// <summary>See <see cref="Layer.InputSize"/> (null: any width).</summary>
    int? InputSize => null;

    /// <summary>See <see cref="Layer.OutputSize"/> (the input width by default).</summary>
    int OutputSize(int inputSize) => inputSize;

    /// <summary>See <see cref="Layer.ParameterShapes"/> (none by default).</summary>
    IReadOnlyList<ParameterShape> ParameterShapes => [];

    /// <summary>See <see cref="Layer.Settings"/> (none by default).</summary>
    IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double>();

    /// <summary>See <see cref="Layer.Initialize"/> (matrices drawn, vectors 0, by default).</summary>
    void Initialize(Span<double> parameters, int inputSize, Initialization scheme, ref Rng rng) =>
        Layer.InitializeBlocks(ParameterShapes, parameters, scheme, ref rng);

    /// <summary>See <see cref="Layer.Forward{T}"/>.</summary>
    void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>See <see cref="Layer.Backward{T}"/>.</summary>
    void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> parameterGradient, Batch batch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;
}

/// <summary>
/// The layer an <see cref="ILayerDefinition"/> defines: a full peer of the library's layers (it trains, has explicit and
/// structured Jacobians derived from its backward pass, is saved by name and checked by the property kit). Two custom
/// layers are equal when their definitions are (reference equality for a class, structural for an F# record).
/// </summary>
public sealed record CustomLayer : Layer
{
    /// <summary>Wraps <paramref name="definition"/> as a layer.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    public CustomLayer(ILayerDefinition definition) => Definition = definition ?? throw new ArgumentNullException(nameof(definition));

    /// <summary>The definition this layer forwards to.</summary>
    public ILayerDefinition Definition { get; }

    /// <summary>The definition's <see cref="ILayerDefinition.Name"/>.</summary>
    public override string Name => Definition.Name;
    /// <summary>The definition's <see cref="ILayerDefinition.InputSize"/>.</summary>
    public override int? InputSize => Definition.InputSize;
    /// <summary>The definition's <see cref="ILayerDefinition.OutputSize"/>.</summary>
    public override int OutputSize(int inputSize) => Definition.OutputSize(inputSize);
    /// <summary>The definition's <see cref="ILayerDefinition.ParameterShapes"/>.</summary>
    public override IReadOnlyList<ParameterShape> ParameterShapes => Definition.ParameterShapes;
    /// <summary>The definition's <see cref="ILayerDefinition.Settings"/>.</summary>
    public override IReadOnlyDictionary<string, double> Settings => Definition.Settings;

    /// <summary>The definition's <see cref="ILayerDefinition.Initialize"/>.</summary>
    public override void Initialize(Span<double> parameters, int inputSize, Initialization scheme, ref Rng rng) =>
        Definition.Initialize(parameters, inputSize, scheme, ref rng);

    /// <summary>The definition's <see cref="ILayerDefinition.Forward{T}"/>.</summary>
    public override void Forward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> y, Batch batch) =>
        Definition.Forward(parameters, x, y, batch);

    /// <summary>The definition's <see cref="ILayerDefinition.Backward{T}"/>.</summary>
    public override void Backward<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> parameterGradient, Batch batch) =>
        Definition.Backward(parameters, x, y, dy, dx, parameterGradient, batch);
}
