using Curation.Core.Stages;
using Curation.Pipeline.ScaleOut.Boundary;

namespace Curation.Pipeline.ScaleOut;

/// <summary>How a step of a sharded run is run: as one task per shard, or as one process that sees every shard.</summary>
internal enum ShardStepKind
{
    /// <summary>Record stages, one task per shard (the first such step reads the input).</summary>
    Tasks,

    /// <summary>Stages that need every record (near-dedup, review, split), in one process over every shard's envelopes, in shard order.</summary>
    Gather,

    /// <summary>
    /// A first-occurrence stage (exact-dedup) decided from keys alone: the tasks before write each record's key into
    /// hash partitions, this step resolves each partition (the first occurrence in input order wins), and the step
    /// after applies the duplicates found to its shards' records.
    /// </summary>
    Resolve,
}

/// <summary>One step of a sharded run: its stages, and whether it is the last (whose tasks write the data and rejects parts).</summary>
internal sealed record ShardStep(int Index, ShardStepKind Kind, IReadOnlyList<PreparedStage> Stages, bool IsFinal)
{
    /// <summary>The first-occurrence stage whose keys this step's tasks write at their end, for the resolve step after it.</summary>
    public PreparedStage? KeysFor { get; init; }

    /// <summary>The first-occurrence stage whose duplicates, resolved by the step before, this step applies before its own stages.</summary>
    public PreparedStage? DuplicatesOf { get; init; }

    /// <summary>The step whose envelopes this one goes on from: the one before, or the one before a resolve step (which hands on only keys).</summary>
    public int ReadsFromStep => DuplicatesOf is null ? Index - 1 : Index - 2;

    /// <summary>Whether one process runs the step (gather and resolve steps), rather than one task per shard.</summary>
    public bool IsSingle => Kind != ShardStepKind.Tasks;

    /// <summary>The stages the step runs, as a list of names.</summary>
    public string Describe()
    {
        var names = (DuplicatesOf is { } applied ? [applied] : Enumerable.Empty<PreparedStage>()).Concat(Stages).Select(stage => stage.Stage.Name).ToList();
        return Kind switch
        {
            ShardStepKind.Resolve => $"{names[0]} keys",
            _ when names.Count == 0 => Kind == ShardStepKind.Tasks ? "read" : "none",
            _ => string.Join(", ", names),
        };
    }
}

/// <summary>
/// The steps of a sharded run. A pipeline of record stages is one step of tasks. A stage that needs every record
/// splits it: the tasks before it hand on every envelope of their shard (records and the rejects so far, in input
/// order), one gather step runs the stage (with any that follow it directly) over all shards in shard order, as one
/// process would, and hands each shard's envelopes back; the tasks of the next step go on from there. A
/// first-occurrence stage (exact-dedup) right after a step of tasks needs only keys: those tasks write them by hash
/// partition, a resolve step finds the later occurrences, and the next step rejects them. The last step's tasks write
/// the parts the merge joins.
/// </summary>
internal static class ShardSteps
{
    public static IReadOnlyList<ShardStep> Of(PreparedPipeline prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var segments = PipelineSegments.Split(prepared);
        var steps = new List<ShardStep>();
        var gathered = new List<PreparedStage>();
        PreparedStage? applyNext = null;
        void Add(ShardStepKind kind, IReadOnlyList<PreparedStage> stages)
        {
            steps.Add(new ShardStep(steps.Count, kind, stages, IsFinal: false) { DuplicatesOf = applyNext });
            applyNext = null;
        }

        void Flush()
        {
            if (gathered.Count == 0)
            {
                return;
            }

            if (gathered[0].Stage is IFirstOccurrenceStage)
            {
                steps[^1] = steps[^1] with { KeysFor = gathered[0] };
                Add(ShardStepKind.Resolve, [gathered[0]]);
                applyNext = gathered[0];
                gathered.RemoveAt(0);
            }

            if (gathered.Count > 0)
            {
                Add(ShardStepKind.Gather, gathered);
            }

            gathered = [];
        }

        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (i == 0 || segment.Stages.Count > 0 || segment.Boundary is null)
            {
                Flush();
                Add(ShardStepKind.Tasks, segment.Stages);
            }

            if (segment.Boundary is { } boundary)
            {
                gathered.Add(boundary);
            }
        }

        steps[^1] = steps[^1] with { IsFinal = true };
        return steps;
    }
}
