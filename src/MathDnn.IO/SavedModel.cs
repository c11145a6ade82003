using System.Text.Json;
using MathDnn.Networks;
using MathDnn.Optimizers;

namespace MathDnn.IO;

/// <summary>
/// What a model file holds (<see cref="ModelFile"/>): the network, the loss it was trained with, the input scaling, and
/// optionally how it was trained and the optimizer state to resume from.
/// </summary>
/// <param name="Network">The network: its layers and their parameters θ.</param>
/// <param name="Loss">The name of the loss the network was trained with (the file's <c>"loss"</c>).</param>
/// <param name="InputScale">The factor inputs are multiplied by before the first layer (<c>input.scale</c>), or null for none.</param>
/// <param name="Training">The free-form <c>"training"</c> object (how the model was trained), or null.</param>
/// <param name="OptimizerState">The optimizer state to resume from (<c>"optimizer_state"</c>), or null.</param>
public sealed record SavedModel(
    Network Network,
    string Loss,
    double? InputScale = null,
    IReadOnlyDictionary<string, JsonElement>? Training = null,
    OptimizerState? OptimizerState = null);
