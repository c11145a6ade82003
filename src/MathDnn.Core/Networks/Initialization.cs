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
    Auto,
    GlorotUniform,
    GlorotNormal,
    HeUniform,
    HeNormal,
    Zeros,
}

/// <summary>Seeded initialisation: the same layers, scheme and seed give bit-identical parameters.</summary>
public static class Initializer
{
    public static Parameters Initialize(IReadOnlyList<Layer> layers, ParameterLayout layout, Initialization scheme, int seed)
    {
        var rng = new Rng(seed);
        var values = new double[layout.Count];
        foreach (var block in layout.Blocks)
        {
            if (block.Name != "W") continue; // biases start at zero
            var layer = layers[block.Layer];
            int fanIn = block.Columns;
            int fanOut = layer is Maxout mx ? mx.Outputs : block.Rows;
            var s = scheme == Initialization.Auto
                ? (layer is Maxout || (block.Layer + 1 < layers.Count && layers[block.Layer + 1] is Relu or LeakyRelu or Elu)
                    ? Initialization.HeNormal : Initialization.GlorotUniform)
                : scheme;
            var span = values.AsSpan(block.Offset, block.Length);
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = s switch
                {
                    Initialization.GlorotUniform => rng.Uniform(-1, 1) * Math.Sqrt(6.0 / (fanIn + fanOut)),
                    Initialization.GlorotNormal => rng.NextNormal() * Math.Sqrt(2.0 / (fanIn + fanOut)),
                    Initialization.HeUniform => rng.Uniform(-1, 1) * Math.Sqrt(6.0 / fanIn),
                    Initialization.HeNormal => rng.NextNormal() * Math.Sqrt(2.0 / fanIn),
                    Initialization.Zeros => 0.0,
                    _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown initialization."),
                };
            }
        }
        return Parameters.Own(layout, values);
    }
}
