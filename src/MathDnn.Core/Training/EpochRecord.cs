namespace MathDnn.Training;

/// <summary>
/// What one epoch produced: the mean training loss over its mini-batches (each batch weighted by its size), the
/// training accuracy of the predictions made during the epoch (classification only, else null), the validation loss and
/// accuracy after the epoch (when a validation set is given), and the number of optimizer steps taken so far.
/// Losses are per sample (the objective's mean), whatever reduction the steps use.
/// </summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">The mean training loss per sample over the epoch's batches.</param>
/// <param name="Accuracy">The training accuracy of the predictions made during the epoch, or null (not classification).</param>
/// <param name="ValidationLoss">The mean validation loss per sample after the epoch, or null without a validation set.</param>
/// <param name="ValidationAccuracy">The validation accuracy after the epoch, or null.</param>
/// <param name="Steps">The optimizer steps taken so far in the run.</param>
public sealed record EpochRecord(int Epoch, double Loss, double? Accuracy, double? ValidationLoss, double? ValidationAccuracy, long Steps);

/// <summary>Progress inside a run, for a live display: the step just taken, and the epoch record when an epoch completes.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Step">The step just taken within the epoch (0 in the report that completes an epoch).</param>
/// <param name="StepsPerEpoch">The steps in an epoch (0 in the report that completes an epoch).</param>
/// <param name="SamplesSeen">The samples processed so far in the epoch (0 in the report that completes an epoch).</param>
/// <param name="SamplesPerEpoch">The samples in an epoch.</param>
/// <param name="RunningLoss">The mean training loss per sample so far in the epoch (the epoch's in the completing report).</param>
/// <param name="RunningAccuracy">The accuracy so far in the epoch, or null (not classification).</param>
/// <param name="Completed">The epoch's record when this report completes an epoch, else null.</param>
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
