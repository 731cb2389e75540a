using Curation.Pipeline.ScaleOut.Boundary;

namespace Curation.Pipeline.ScaleOut;

/// <summary>How a step of a sharded run is run: as one task per shard, or as one process that sees every shard.</summary>
internal enum ShardStepKind
{
    /// <summary>Record stages, one task per shard (the first such step reads the input).</summary>
    Tasks,

    /// <summary>Stages that need every record (dedup, review, split), in one process over every shard's envelopes, in shard order.</summary>
    Gather,
}

/// <summary>One step of a sharded run: its stages, and whether it is the last (whose tasks write the data and rejects parts).</summary>
internal sealed record ShardStep(int Index, ShardStepKind Kind, IReadOnlyList<PreparedStage> Stages, bool IsFinal)
{
    public string Describe() => Stages.Count == 0 ? Kind == ShardStepKind.Tasks ? "read" : "none" : string.Join(", ", Stages.Select(stage => stage.Stage.Name));
}

/// <summary>
/// The steps of a sharded run. A pipeline of record stages is one step of tasks. A stage that needs every record
/// splits it: the tasks before it hand on every envelope of their shard (records and the rejects so far, in input
/// order), one gather step runs the stage (with any that follow it directly) over all shards in shard order, as one
/// process would, and hands each shard's envelopes back; the tasks of the next step go on from there. The last
/// step's tasks write the parts the merge joins.
/// </summary>
internal static class ShardSteps
{
    public static IReadOnlyList<ShardStep> Of(PreparedPipeline prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var segments = PipelineSegments.Split(prepared);
        var steps = new List<(ShardStepKind Kind, IReadOnlyList<PreparedStage> Stages)>();
        var gathered = new List<PreparedStage>();
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (i == 0 || segment.Stages.Count > 0 || segment.Boundary is null)
            {
                if (gathered.Count > 0)
                {
                    steps.Add((ShardStepKind.Gather, gathered));
                    gathered = [];
                }

                steps.Add((ShardStepKind.Tasks, segment.Stages));
            }

            if (segment.Boundary is { } boundary)
            {
                gathered.Add(boundary);
            }
        }

        return [.. steps.Select((step, index) => new ShardStep(index, step.Kind, step.Stages, index == steps.Count - 1))];
    }
}
