using Curation.Core.Stages;
using Curation.Dedup.Near;
using Curation.Pipeline.ScaleOut.Boundary;
using Curation.Splits;

namespace Curation.Pipeline.ScaleOut;

/// <summary>How a step of a sharded run is run: as one task per shard, or as one process that sees every shard.</summary>
internal enum ShardStepKind
{
    /// <summary>Record stages, one task per shard (the first such step reads the input).</summary>
    Tasks,

    /// <summary>Stages that need every record (near-dedup with an index, split to Parquet, ...), in one process over every shard's envelopes, in shard order.</summary>
    Gather,

    /// <summary>
    /// A first-occurrence stage (exact-dedup) decided from keys alone: the tasks before write each record's key into
    /// hash partitions, this step resolves each partition (the first occurrence in input order wins), and the step
    /// after applies the duplicates found to its shards' records.
    /// </summary>
    Resolve,

    /// <summary>
    /// Near-dedup decided from fingerprints alone, first step: the tasks before write each kept record's fingerprint
    /// (band keys sorted per band, shingles, label, ranking fact); each task of this step finds and verifies the
    /// candidate pairs of its band partitions over every shard and keeps those that join two of its clusters.
    /// </summary>
    Pairs,

    /// <summary>
    /// Near-dedup decided from fingerprints alone, second step: one process joins every pairs task's pairs into
    /// clusters as one process would and writes each shard's decisions; the step after applies them to its shards' records.
    /// </summary>
    Clusters,

    /// <summary>
    /// Split decided from keys alone: the tasks before write each kept record's group hash, stratum and whether the
    /// split files can hold it, this step assigns every shard's records as one process would and writes each shard's
    /// splits, and the step after marks its shards' records and writes their parts of the split files.
    /// </summary>
    Split,
}

/// <summary>One step of a sharded run: its stages, and whether it is the last (whose tasks write the data and rejects parts).</summary>
internal sealed record ShardStep(int Index, ShardStepKind Kind, IReadOnlyList<PreparedStage> Stages, bool IsFinal)
{
    /// <summary>The first-occurrence stage whose keys this step's tasks write at their end, for the resolve step after it.</summary>
    public PreparedStage? KeysFor { get; init; }

    /// <summary>The near-dedup stage whose fingerprints this step's tasks write at their end, for its cluster step.</summary>
    public PreparedStage? FingerprintsFor { get; init; }

    /// <summary>
    /// The first-occurrence stage whose duplicates, resolved by its resolve step, this step applies before its own
    /// stages (a pairs or clusters step leaves those records out of its documents).
    /// </summary>
    public PreparedStage? DuplicatesOf { get; init; }

    /// <summary>The near-dedup stage whose decisions, made by the pairs and clusters steps before, this step applies (after <see cref="DuplicatesOf"/>) before its own stages.</summary>
    public PreparedStage? ClustersOf { get; init; }

    /// <summary>The split stage whose keys this step's tasks write at their end, for the split step after it.</summary>
    public PreparedStage? SplitKeysFor { get; init; }

    /// <summary>The split stage whose assignments, made by the split step before, this step applies before its own stages.</summary>
    public PreparedStage? SplitOf { get; init; }

    /// <summary>The step whose envelopes this one goes on from: the one before, or the one before the resolve, pairs, clusters and split steps before it (which hand on no envelopes).</summary>
    public int ReadsFromStep => Index - 1 - (DuplicatesOf is null ? 0 : 1) - (ClustersOf is null ? 0 : 2) - (SplitOf is null ? 0 : 1);

    /// <summary>The resolve step whose duplicates <see cref="DuplicatesOf"/> are.</summary>
    public int DuplicatesStep => Index - 1 - Kind switch
    {
        ShardStepKind.Pairs => 0,
        ShardStepKind.Clusters => 1,
        _ => ClustersOf is null ? 0 : 2,
    };

    /// <summary>
    /// The pairs step whose folder holds the fingerprints, pairs and decisions of this near-dedup step (a pairs or
    /// clusters step) or of <see cref="ClustersOf"/>.
    /// </summary>
    public int PairsStep => Index - Kind switch
    {
        ShardStepKind.Pairs => 0,
        ShardStepKind.Clusters => 1,
        _ => 2,
    };

    /// <summary>The step that takes the keys this step's tasks write for <see cref="KeysFor"/>.</summary>
    public int KeysStep => Index + 1;

    /// <summary>The pairs step that takes the fingerprints this step's tasks write for <see cref="FingerprintsFor"/>.</summary>
    public int FingerprintsStep => Index + (KeysFor is null ? 1 : 2);

    /// <summary>Whether one process runs the step (gather, resolve, clusters and split steps), rather than one task per shard.</summary>
    public bool IsSingle => Kind is not (ShardStepKind.Tasks or ShardStepKind.Pairs);

    /// <summary>The stages the step runs by name, as <c>curate status</c> lists them: a resolve, pairs, clusters or split step by what it decides.</summary>
    public IReadOnlyList<string> StageNames() => Kind is ShardStepKind.Resolve or ShardStepKind.Pairs or ShardStepKind.Clusters or ShardStepKind.Split
        ? [Describe()]
        : [.. new[] { DuplicatesOf, ClustersOf, SplitOf }.Concat(Stages).OfType<PreparedStage>().Select(stage => stage.Stage.Name)];

    /// <summary>The stages the step runs, as a list of names.</summary>
    public string Describe()
    {
        if (Kind is ShardStepKind.Pairs or ShardStepKind.Clusters)
        {
            return $"{Stages[0].Stage.Name} {(Kind == ShardStepKind.Pairs ? "pairs" : "clusters")}";
        }

        if (Kind == ShardStepKind.Split)
        {
            return $"{Stages[0].Stage.Name} assignments";
        }

        var applied = new[] { DuplicatesOf, ClustersOf, SplitOf }.OfType<PreparedStage>();
        var names = applied.Concat(Stages).Select(stage => stage.Stage.Name).ToList();
        return Kind switch
        {
            ShardStepKind.Resolve => $"{Stages[0].Stage.Name} keys",
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
/// partition, a resolve step finds the later occurrences, and the next step rejects them. Near-dedup right after a
/// step of tasks (or after such an exact-dedup) needs only fingerprints: those tasks write them, a pairs step's tasks
/// find the duplicate pairs band partition by band partition, a clusters step joins them and decides, and the next
/// step applies the decisions. Split (to JSON Lines) right after a step of tasks needs only each record's group,
/// stratum and whether its files can hold it: those tasks write them, a split step assigns them, and the next step
/// marks the records and writes its parts of the split files. A stream stage that decides each envelope alone
/// (apply-review) is not a boundary at all. The last step's tasks write the parts the merge joins.
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
        PreparedStage? clustersNext = null;
        PreparedStage? splitNext = null;
        void Add(ShardStepKind kind, IReadOnlyList<PreparedStage> stages)
        {
            steps.Add(new ShardStep(steps.Count, kind, stages, IsFinal: false) { DuplicatesOf = applyNext, ClustersOf = clustersNext, SplitOf = splitNext });
            applyNext = null;
            clustersNext = null;
            splitNext = null;
        }

        void Flush()
        {
            if (gathered.Count == 0)
            {
                return;
            }

            // The step before is one of tasks: it writes what the resolve, pairs and clusters steps need.
            var tasks = steps.Count - 1;
            if (gathered[0].Stage is IFirstOccurrenceStage)
            {
                steps[tasks] = steps[tasks] with { KeysFor = gathered[0] };
                Add(ShardStepKind.Resolve, [gathered[0]]);
                applyNext = gathered[0];
                gathered.RemoveAt(0);
            }

            if (gathered.Count > 0 && gathered[0].Stage is NearDedupStage { ResolvesFromFingerprints: true })
            {
                steps[tasks] = steps[tasks] with { FingerprintsFor = gathered[0] };
                steps.Add(new ShardStep(steps.Count, ShardStepKind.Pairs, [gathered[0]], IsFinal: false) { DuplicatesOf = applyNext });
                steps.Add(new ShardStep(steps.Count, ShardStepKind.Clusters, [gathered[0]], IsFinal: false) { DuplicatesOf = applyNext });
                clustersNext = gathered[0];
                gathered.RemoveAt(0);
            }

            if (gathered.Count > 0 && gathered[0].Stage is SplitStage { SplitsFromKeys: true })
            {
                // Right after exact-dedup or near-dedup, a step of tasks of its own applies their decisions first.
                if (applyNext is not null || clustersNext is not null)
                {
                    Add(ShardStepKind.Tasks, []);
                }

                steps[^1] = steps[^1] with { SplitKeysFor = gathered[0] };
                steps.Add(new ShardStep(steps.Count, ShardStepKind.Split, [gathered[0]], IsFinal: false));
                splitNext = gathered[0];
                gathered.RemoveAt(0);
                if (gathered.Count > 0)
                {
                    Add(ShardStepKind.Tasks, []);
                    Flush();
                    return;
                }
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
