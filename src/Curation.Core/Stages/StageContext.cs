using Curation.Core.Files;
using Curation.Core.Stats;

namespace Curation.Core.Stages;

/// <summary>Which slice of the input this process handles; (0, 1) when it runs alone.</summary>
public readonly record struct ShardInfo(int Index, int Count)
{
    public static ShardInfo Single { get; } = new(0, 1);
}

/// <summary>Run-wide facts a stage may read, and its counters.</summary>
public sealed class StageContext
{
    public required string StageName { get; init; }

    public required long Seed { get; init; }

    public required int Workers { get; init; }

    public required bool FailFast { get; init; }

    public ShardInfo Shard { get; init; } = ShardInfo.Single;

    /// <summary>The run's clock, for the busy time and timings a stage reports.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public required StageCounters Counters { get; init; }

    /// <summary>Where the stage's own files are written: staged, and committed with the run's data only if the run succeeds.</summary>
    public RunOutputs Outputs { get; init; } = RunOutputs.Unplanned();
}
