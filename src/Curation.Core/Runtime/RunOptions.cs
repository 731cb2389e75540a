namespace Curation.Core.Runtime;

/// <summary>Run-wide settings that do not change what a run produces, except <see cref="Seed"/>.</summary>
public sealed record RunOptions
{
    public long Seed { get; init; } = Config.PipelineDefinition.DefaultSeed;

    /// <summary>Default number of workers of per-record stages.</summary>
    public int Workers { get; init; } = WorkerCount.Default;

    /// <summary>Stop at the first error on a record instead of rejecting it with rule <c>stage-error</c>.</summary>
    public bool FailFast { get; init; }

    /// <summary>
    /// Keep each mergeable stage's figures (<see cref="Stats.StageCounters.Figures"/>), which a shard task's stats carry
    /// to the merge. A run in one process reads none, and skips serialising them (start-up time of the serialiser).
    /// </summary>
    public bool KeepStageFigures { get; init; } = true;

    /// <summary>Batches a channel between two stages holds before its writer waits.</summary>
    public int ChannelCapacity { get; init; } = 4;
}
