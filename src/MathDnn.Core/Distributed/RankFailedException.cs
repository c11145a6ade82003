namespace MathDnn.Distributed;

/// <summary>
/// A rank of a data-parallel run failed (an exception in its part of a step, or a check before training): thrown on every
/// rank alike, so all ranks stop together with the same error. <see cref="Exception.InnerException"/> is the original
/// exception on the rank that failed (null elsewhere).
/// </summary>
/// <param name="rank">The rank that failed (the lowest one when several did).</param>
/// <param name="message">What went wrong on that rank.</param>
/// <param name="exceptionType">The type name of the original exception.</param>
/// <param name="inner">The original exception, on the failing rank.</param>
public sealed class RankFailedException(int rank, string message, string exceptionType, Exception? inner = null)
    : Exception($"rank {rank}: {message}", inner)
{
    /// <summary>The rank that failed.</summary>
    public int Rank { get; } = rank;

    /// <summary>The type name of the exception thrown on that rank (e.g. "ArgumentException").</summary>
    public string ExceptionType { get; } = exceptionType;
}
