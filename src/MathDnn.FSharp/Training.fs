namespace MathDnn.FSharp

open MathNet.Numerics.LinearAlgebra
open MathDnn.Distributed
open MathDnn.Losses
open MathDnn.Networks
open MathDnn.Optimizers
open MathDnn.Training

/// Data sets D = {(xᵢ, yᵢ*)}: one sample per row.
module Dataset =
    /// From inputs X and targets Y*.
    let create (inputs: Matrix<float>) (targets: Matrix<float>) : Dataset = Dataset(inputs, targets)
    /// From inputs and integer labels in [0, classes), one-hot encoded.
    let ofLabels (classes: int) (inputs: Matrix<float>) (labels: int list) : Dataset = Dataset.FromLabels(inputs, List.toArray labels, classes)
    /// A seeded, stratified split: (rest, part) with about `fraction` of each class in `part`.
    let split (fraction: float) (seed: int) (data: Dataset) : Dataset * Dataset =
        let struct (a, b) = data.Split(fraction, seed)
        a, b
    /// The number of samples.
    let count (data: Dataset) : int = data.Count
    /// Every input multiplied by `scale`.
    let scaleInputs (scale: float) (data: Dataset) : Dataset = data.ScaleInputs scale

/// Training as a fold over seeded mini-batches (004 Algorithm 8.1), as pipelines of options.
module Training =
    /// Options with the library defaults (batch 32, 10 epochs, seed 0, mean over each mini-batch).
    let options (loss: Loss) (optimizer: Optimizer) : TrainingOptions = TrainingOptions(loss, optimizer)
    /// The number of epochs.
    let epochs (n: int) (o: TrainingOptions) : TrainingOptions = o.With(epochs = n)
    /// The mini-batch size m (0 = the whole set, 1 = stochastic).
    let batch (m: int) (o: TrainingOptions) : TrainingOptions = o.With(batchSize = m)
    /// The seed of the shuffles.
    let seed (s: int) (o: TrainingOptions) : TrainingOptions = o.With(seed = s)
    /// The element type of the passes and updates: Precision.Float64 (the default) or Precision.Float32.
    let precision (p: Precision) (o: TrainingOptions) : TrainingOptions = o.With(precision = p)
    /// Early stopping after `p` epochs without a better validation loss (002 Section 10).
    let patience (p: int) (o: TrainingOptions) : TrainingOptions = o.With(patience = p)
    /// K shards per step: the gradient is the sum of the K shards' gradients in shard order, as K ranks compute it (0 or 1: one pass).
    let shards (k: int) (o: TrainingOptions) : TrainingOptions = o.With(shards = k)
    /// Trains `net` on `data`: the final model, optimizer state and history.
    let fit (o: TrainingOptions) (data: Dataset) (net: Network) : TrainingResult = Trainer.Fit(net, data, o)
    /// As `fit`, data-parallel on the ranks of `communicator` (e.g. MathDnn.Mpi's MpiCommunicator): every rank takes one shard
    /// of every mini-batch and every rank returns the same result, equal bit for bit to `fit` with `shards N`.
    let fitOn (communicator: ICommunicator) (o: TrainingOptions) (data: Dataset) (net: Network) : TrainingResult =
        Trainer.Fit(net, data, o, communicator = communicator)
    /// As `fit`, with a validation set for the history and early stopping.
    let fitValidated (o: TrainingOptions) (validation: Dataset) (data: Dataset) (net: Network) : TrainingResult =
        Trainer.Fit(net, data, o, validation)
    /// The mean loss per sample and the accuracy (classification) of `net` on `data`.
    let evaluate (loss: Loss) (data: Dataset) (net: Network) : float * float option =
        let struct (l, a) = Trainer.Evaluate(net, data, loss)
        l, Option.ofNullable a
    /// As `evaluate`, with the forward pass in `precision`.
    let evaluateIn (precision: Precision) (loss: Loss) (data: Dataset) (net: Network) : float * float option =
        let struct (l, a) = Trainer.Evaluate(net, data, loss, precision)
        l, Option.ofNullable a
    /// The order in which epoch `epoch` (from 1) visits `count` samples under `o`: batch b is entries b·m … b·m + m − 1.
    let epochOrder (o: TrainingOptions) (epoch: int) (count: int) : int list = Trainer.EpochOrder(o, epoch, count) |> List.ofArray
