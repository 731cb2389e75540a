using Curation.Core.Files;
using Curation.Core.Stats;

namespace Curation.Core.Stages;

/// <summary>Run-wide facts a stage may read, and its counters.</summary>
public sealed class StageContext
{
    public required string StageName { get; init; }

    public required long Seed { get; init; }

    public required int Workers { get; init; }

    public required bool FailFast { get; init; }

    /// <summary>The run's clock, for the busy time and timings a stage reports.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public required StageCounters Counters { get; init; }

    /// <summary>Where the stage's own files are written: staged, and committed with the run's data only if the run succeeds.</summary>
    public RunOutputs Outputs { get; init; } = RunOutputs.Unplanned();
}
