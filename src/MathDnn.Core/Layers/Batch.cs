namespace MathDnn.Layers;

/// <summary>
/// What a layer is told about the batch it transforms: <see cref="Rows"/> samples, one per row (003 Convention 2), of
/// width <see cref="InputWidth"/> in and <see cref="OutputWidth"/> out, stored row-major and contiguous (row s occupies
/// entries s·width … s·width + width − 1); whether the pass is a training step (<see cref="Training"/>) or an evaluation
/// (prediction, Jacobians, the objective, validation); and, for a training step, a seed for this layer and step alone, so
/// that a stochastic layer (dropout) draws the same numbers whenever the same run reaches the same step: the same seed
/// gives the same masks, and a resumed run continues bit for bit. The forward and the backward pass of one step see the
/// same batch, so a layer can redraw what it drew instead of storing it. When the step's mini-batch is cut into shards
/// (data-parallel training, <see cref="Distributed.Shards"/>), <see cref="FirstRow"/> is the index of this batch's row 0 in
/// the mini-batch, and <see cref="Uniform"/> draws what the whole mini-batch would draw for the same row.
/// </summary>
/// <param name="Rows">k, the number of samples.</param>
/// <param name="InputWidth">n, the width of an input row.</param>
/// <param name="OutputWidth">m, the width of an output row.</param>
/// <param name="Training">True in a training step; false when the network is evaluated.</param>
/// <param name="Seed">The seed of this layer in this training step (0 when evaluating).</param>
/// <param name="FirstRow">The index of row 0 of this batch in the step's mini-batch: 0 unless the mini-batch is sharded.</param>
public readonly record struct Batch(int Rows, int InputWidth, int OutputWidth, bool Training = false, ulong Seed = 0, int FirstRow = 0)
{
    /// <summary>
    /// A uniform draw on [0, 1) for entry <paramref name="index"/> = row·<see cref="InputWidth"/> + column of this batch,
    /// determined by (<see cref="Seed"/>, <see cref="FirstRow"/>·<see cref="InputWidth"/> + index) alone (SplitMix64 of the
    /// pair, 53 bits), so entries can be drawn in any order, on any thread, drawn again in the backward pass, and a shard
    /// draws for its rows what the unsharded mini-batch draws for them.
    /// </summary>
    public double Uniform(long index) => (Mix(Seed, unchecked((ulong)(index + (long)FirstRow * InputWidth))) >> 11) * (1.0 / (1UL << 53));

    /// <summary>The seed of layer <paramref name="layer"/> in the training step whose seed is <paramref name="stepSeed"/>.</summary>
    public static ulong LayerSeed(ulong stepSeed, int layer) => Mix(stepSeed, unchecked((ulong)layer));

    /// <summary>The seed of step <paramref name="step"/> (from 0) of epoch <paramref name="epoch"/> (from 1) of a run seeded <paramref name="runSeed"/>.</summary>
    public static ulong StepSeed(int runSeed, int epoch, int step) =>
        Mix(Mix(unchecked((ulong)(long)runSeed) ^ 0x6D617468646E6E5FUL, unchecked((ulong)epoch)), unchecked((ulong)step));

    /// <summary>SplitMix64's finaliser applied to a + golden-ratio·(b + 1): a bijection in a for fixed b, well mixed in both.</summary>
    private static ulong Mix(ulong a, ulong b)
    {
        ulong z = unchecked(a + 0x9E3779B97F4A7C15UL * (b + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
