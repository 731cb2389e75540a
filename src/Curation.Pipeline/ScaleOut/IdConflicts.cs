using Curation.Core.Records;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// Ids used in more than one shard. One process rejects every use of an input id after the first (rule
/// <c>duplicate-id</c>); a task sees only its shard. So once the first step's tasks are done, every shard's first uses
/// are merged in key order (each task wrote its own sorted), and a key found in several shards was first used in the
/// earliest of them; each later shard gets a seed of those ids (with where they were first used) and is run again: its
/// task then rejects them as one process does. Earlier shards' first uses do not depend on later shards, so one round
/// settles it. In memory: one id per shard, whatever the input's size.
/// </summary>
internal static class IdConflicts
{
    /// <summary>Writes the seeds of shards that reused an earlier shard's ids and clears their completion; returns those tasks.</summary>
    public static IReadOnlyList<int> SeedReruns(WorkDirectory work, ShardPlan plan, ShardStep firstStep)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        var conflicts = ReusedIds(Enumerable.Range(0, plan.Tasks).Select(task => work.IdsPart(task, plan.Tasks)).ToList());
        foreach (var (task, reused) in conflicts)
        {
            var seed = IdsFile.Read(work.SeedPart(task, plan.Tasks));
            IdsFile.Write(work.SeedPart(task, plan.Tasks), seed.Concat(reused));
            File.Delete(work.TaskFiles(firstStep, task, plan.Tasks).Done);
        }

        return [.. conflicts.Keys];
    }

    /// <summary>
    /// For each shard (by its index in <paramref name="idsParts"/>) that first used an id an earlier shard also first
    /// used: those ids, with where the earliest shard used them.
    /// </summary>
    internal static SortedDictionary<int, List<(UInt128 Key, SourceRef First)>> ReusedIds(IReadOnlyList<string> idsParts)
    {
        var conflicts = new SortedDictionary<int, List<(UInt128, SourceRef)>>();
        var readers = idsParts.Select(IdsFile.Open).ToList();
        try
        {
            // Ordered by key, then shard: the first of a run of equal keys is the earliest shard's use.
            var next = new PriorityQueue<(int Shard, SourceRef First), (UInt128 Key, int Shard)>();
            for (var shard = 0; shard < readers.Count; shard++)
            {
                Enqueue(next, readers[shard], shard);
            }

            UInt128? runKey = null;
            SourceRef runFirst = default;
            while (next.TryDequeue(out var use, out var at))
            {
                if (runKey == at.Key)
                {
                    if (!conflicts.TryGetValue(use.Shard, out var reused))
                    {
                        conflicts[use.Shard] = reused = [];
                    }

                    reused.Add((at.Key, runFirst));
                }
                else
                {
                    (runKey, runFirst) = (at.Key, use.First);
                }

                Enqueue(next, readers[use.Shard], use.Shard);
            }
        }
        finally
        {
            readers.ForEach(reader => reader.Dispose());
        }

        return conflicts;
    }

    private static void Enqueue(PriorityQueue<(int, SourceRef), (UInt128, int)> queue, IdsReader reader, int shard)
    {
        if (reader.Next() is { } id)
        {
            queue.Enqueue((shard, id.First), (id.Key, shard));
        }
    }
}
