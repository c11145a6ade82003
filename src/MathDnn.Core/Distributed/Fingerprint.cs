using System.Runtime.InteropServices;
using MathDnn.Networks;
using MathDnn.Optimizers;
using MathDnn.Training;

namespace MathDnn.Distributed;

/// <summary>
/// 64-bit fingerprints of what every rank of a data-parallel run must hold alike (the model, the optimizer state, the data,
/// the options), compared across ranks before the first step so that a rank that read other data or options stops the run
/// with an error naming it instead of training a different model. Not cryptographic: a multiply–xorshift mix of the bytes.
/// </summary>
internal static class Fingerprint
{
    /// <summary>The parts compared, in the order of <see cref="Of"/>.</summary>
    internal static readonly string[] Parts = ["model (layers and parameters)", "optimizer state", "training set", "validation set", "training options"];

    internal static ulong[] Of(Network model, OptimizerState state, Dataset train, Dataset? validation, TrainingOptions options, int startEpoch) =>
    [
        Mix(Text(0, model.ToString()), model.Parameters.AsSpan()),
        State(1, state),
        Mix(Mix(Text(2, $"{train.Count}×{train.InputSize}→{train.TargetSize}"), train.X.Span), train.Y.Span),
        validation is null ? 0 : Mix(Mix(Text(3, $"{validation.Count}×{validation.InputSize}→{validation.TargetSize}"), validation.X.Span), validation.Y.Span),
        Text(4, $"{options.Loss} {options.Optimizer} batch {options.BatchSize} epochs {options.Epochs} seed {options.Seed} shuffle {options.Shuffle} " +
                $"{options.StepReduction} {options.Precision} patience {options.Patience} restore {options.RestoreBest} shards {options.Shards} start {startEpoch}"),
    ];

    private static ulong State(ulong h, OptimizerState state)
    {
        h = Mix(h, (ulong)state.Count);
        foreach (var (name, value) in state.Buffers) h = Mix(Mix(h, Text(0, name)), value.AsSpan());
        foreach (var inner in state.Inner) h = State(h, inner);
        return h;
    }

    private static ulong Text(ulong h, string text) => Mix(h, MemoryMarshal.AsBytes(text.AsSpan()));

    private static ulong Mix(ulong h, ReadOnlySpan<double> values) => Mix(h, MemoryMarshal.AsBytes(values));

    private static ulong Mix(ulong h, ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (ulong w in words) h = Mix(h, w);
        for (int i = words.Length * 8; i < bytes.Length; i++) h = Mix(h, bytes[i]);
        return Mix(h, (ulong)bytes.Length);
    }

    private static ulong Mix(ulong h, ulong w)
    {
        h = unchecked((h ^ w) * 0x9E3779B97F4A7C15UL);
        return h ^ (h >> 29);
    }
}
