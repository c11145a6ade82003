namespace MathDnn.Training;

/// <summary>
/// What one epoch produced: the mean training loss over its mini-batches (each batch weighted by its size), the
/// training accuracy of the predictions made during the epoch (classification only, else null), the validation loss and
/// accuracy after the epoch (when a validation set is given), and the number of optimizer steps taken so far.
/// Losses are per sample (the objective's mean), whatever reduction the steps use.
/// </summary>
public sealed record EpochRecord(int Epoch, double Loss, double? Accuracy, double? ValidationLoss, double? ValidationAccuracy, long Steps);

/// <summary>Progress inside a run, for a live display: the step just taken, and the epoch record when an epoch completes.</summary>
public sealed record TrainingProgress(int Epoch, int Step, int StepsPerEpoch, int SamplesSeen, int SamplesPerEpoch, double RunningLoss, double? RunningAccuracy, EpochRecord? Completed);

/// <summary>Why a fit stopped.</summary>
public enum StopReason
{
    /// <summary>All requested epochs ran.</summary>
    Completed,
    /// <summary>The validation loss did not improve for <see cref="TrainingOptions.Patience"/> epochs (002 Section 10).</summary>
    EarlyStopping,
    /// <summary>Cancelled by the caller.</summary>
    Cancelled,
}
