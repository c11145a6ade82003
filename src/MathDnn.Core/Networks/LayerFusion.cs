using MathDnn.Layers;

namespace MathDnn.Networks;

/// <summary>
/// Which consecutive layers the engine's forward loops run as one pass (<see cref="Layer.FusesForwardWith"/>): a dense
/// layer and the ReLU right after it (003 Def 4.1, 003 Def 2.1) are one product whose store writes both outputs. Decided
/// once per network, from the layers' types alone: any other layer between them, or another activation, runs on its own.
/// Backward, a dense layer's dX product applies the mask of the ReLU before it (<see cref="Layer.FusesBackwardWith"/>).
/// </summary>
internal static class LayerFusion
{
    /// <summary>fused[k]: layer k runs together with layer k + 1 (k + 1 &lt; <paramref name="count"/>), which is then skipped.</summary>
    public static bool[] Plan(IReadOnlyList<Layer> layers, int count)
    {
        var fused = new bool[count];
        for (int k = 0; k + 1 < count; k++)
            if (layers[k].FusesForwardWith(layers[k + 1]))
                fused[k++] = true; // layer k + 1 is done: it cannot start another pair
        return fused;
    }

    /// <summary>
    /// fused[k]: the backward pass of layer k also does that of layer k − 1, which is then skipped — for k − 1 ≥ 1, since the
    /// first layer's dX is never formed (a pass of the parameter gradient ends at the first layer's parameters).
    /// </summary>
    public static bool[] BackwardPlan(IReadOnlyList<Layer> layers, int count)
    {
        var fused = new bool[count];
        for (int k = count - 1; k >= 2; k--)
            if (layers[k].FusesBackwardWith(layers[k - 1]))
                fused[k--] = true; // layer k − 1 is done: it cannot end another pair
        return fused;
    }
}
