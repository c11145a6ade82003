using MathDnn.Activations;
using MathDnn.Layers;

namespace MathDnn.Networks;

/// <summary>
/// How the weights of a new network are drawn (biases start at 0). With fan-in n and fan-out m of a weight block:
/// Glorot uniform U(−a, a), a = √(6/(n+m)); Glorot normal N(0, 2/(n+m)); He uniform U(−a, a), a = √(6/n);
/// He normal N(0, 2/n). <see cref="Auto"/> picks He normal for a block followed by a ReLU-family activation
/// (ReLU, leaky ReLU, ELU) or a maxout layer, Glorot uniform otherwise (Keras's default).
/// </summary>
public enum Initialization
{
    /// <summary>He normal before a ReLU-family activation (ReLU, leaky ReLU, ELU) or maxout, Glorot uniform otherwise.</summary>
    Auto,
    /// <summary>U(−a, a) with a = √(6/(n + m)) (Glorot and Bengio 2010).</summary>
    GlorotUniform,
    /// <summary>N(0, 2/(n + m)).</summary>
    GlorotNormal,
    /// <summary>U(−a, a) with a = √(6/n) (He et al. 2015).</summary>
    HeUniform,
    /// <summary>N(0, 2/n).</summary>
    HeNormal,
    /// <summary>Every weight 0: right for a convex model (e.g. logistic regression, as in the Hardt experiment); hidden units started at 0 never break their symmetry.</summary>
    Zeros,
}

/// <summary>Seeded initialisation: the same layers, scheme and seed give bit-identical parameters.</summary>
public static class Initializer
{
    /// <summary>
    /// θ for <paramref name="layers"/>: every layer's <see cref="Layer.Initialize"/> in order, all drawing from one
    /// generator seeded <paramref name="seed"/>. <see cref="Initialization.Auto"/> resolves to He normal for maxout and for a
    /// layer followed by a ReLU-family activation (ReLU, leaky ReLU, ELU, GELU, SiLU, softplus), Glorot uniform otherwise.
    /// </summary>
    public static Parameters Initialize(IReadOnlyList<Layer> layers, ParameterLayout layout, Initialization scheme, int seed)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(layout);
        if (!Enum.IsDefined(scheme)) throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown initialization.");
        var rng = new Rng(seed);
        var values = new double[layout.Count];
        int offset = 0, width = -1; // the running input width, known from the first layer that fixes one
        for (int k = 0; k < layers.Count; k++)
        {
            var layer = layers[k];
            int inputWidth = layer.InputSize ?? width;
            width = inputWidth < 0 ? -1 : layer.OutputSize(inputWidth);
            int count = layer.ParameterCount;
            if (count == 0) continue;
            var s = scheme == Initialization.Auto
                ? (layer is Maxout || (k + 1 < layers.Count && ReluFamily(layers[k + 1])) ? Initialization.HeNormal : Initialization.GlorotUniform)
                : scheme;
            layer.Initialize(values.AsSpan(offset, count), inputWidth, s, ref rng);
            offset += count;
        }
        return Parameters.Own(layout, values);
    }

    private static bool ReluFamily(Layer layer) => layer is Relu or LeakyRelu or Elu or Gelu or Silu or Softplus;

    /// <summary>
    /// Fills <paramref name="weights"/> under <paramref name="scheme"/> for a block of fan-in <paramref name="fanIn"/> and fan-out
    /// <paramref name="fanOut"/> (see <see cref="Initialization"/>), one draw per entry in order.
    /// </summary>
    public static void Draw(Span<double> weights, int fanIn, int fanOut, Initialization scheme, ref Rng rng)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = scheme switch
            {
                Initialization.GlorotUniform => rng.Uniform(-1, 1) * Math.Sqrt(6.0 / (fanIn + fanOut)),
                Initialization.GlorotNormal => rng.NextNormal() * Math.Sqrt(2.0 / (fanIn + fanOut)),
                Initialization.HeUniform => rng.Uniform(-1, 1) * Math.Sqrt(6.0 / fanIn),
                Initialization.HeNormal => rng.NextNormal() * Math.Sqrt(2.0 / fanIn),
                Initialization.Zeros => 0.0,
                _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Initialization: Auto is resolved per layer by Initializer.Initialize; give a concrete scheme."),
            };
        }
    }
}
