using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.Core.Runtime;

/// <summary>What a run did: its status, counts per stage, the files it read and wrote.</summary>
public sealed record RunResult
{
    public required RunStatus Status { get; init; }

    public required RunStats Stats { get; init; }

    public required IReadOnlyList<InputFileInfo> Inputs { get; init; }

    public required IReadOnlyList<OutputFileInfo> Outputs { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public long RecordsWritten { get; init; }

    public long RejectsWritten { get; init; }

    /// <summary>Why the run failed or did not balance; null when it completed and balanced.</summary>
    public string? Error { get; init; }

    /// <summary>Set when a failure came from an unexpected exception, for <c>--verbose</c>.</summary>
    public Exception? Exception { get; init; }

    public IReadOnlyList<string> BalanceProblems { get; init; } = [];

    /// <summary>Whether the run failed because a disk or quota was full.</summary>
    public bool OutOfSpace { get; init; }

    /// <summary>A run that failed before it read anything, e.g. because its output files could not be created.</summary>
    public static RunResult FailedBeforeStart(string error, bool outOfSpace, DateTimeOffset startedAt) => new()
    {
        Status = RunStatus.Failed,
        Stats = new RunStats(),
        Inputs = [],
        Outputs = [],
        Elapsed = TimeSpan.Zero,
        StartedAt = startedAt,
        Error = error,
        OutOfSpace = outOfSpace,
    };

    /// <summary>Items of each input file (by its display path) that the read stage rejected, by rule.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ReadRejectsByFile { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, long>>();
}
