namespace Curation.Core.Runtime;

/// <summary>Progress of a running pipeline. Libraries report here and never write to the console.</summary>
public interface IRunObserver
{
    /// <summary>Called about once a second, from a timer thread.</summary>
    void OnProgress(RunProgress progress);
}

/// <param name="Activity">What a stage is doing beyond passing records, as <c>stage: activity</c>; null when none is.</param>
public readonly record struct RunProgress(long RecordsRead, long RecordsWritten, long RecordsRejected, long BytesRead, long TotalBytes, TimeSpan Elapsed, string? Activity = null);

public sealed class NullRunObserver : IRunObserver
{
    public static NullRunObserver Instance { get; } = new();

    public void OnProgress(RunProgress progress)
    {
    }
}
