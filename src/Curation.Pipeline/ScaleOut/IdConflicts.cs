using Curation.Core.Records;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// Ids used in more than one shard. One process rejects every use of an input id after the first (rule
/// <c>duplicate-id</c>); a task sees only its shard. So once the tasks are done, each shard's first uses are checked
/// against those of the shards before it, in order (after the first step, which reads the input); a shard that reused an id gets a seed of those ids (with where
/// they were first used) and is run again: its task then rejects them as one process does. Earlier shards' first uses
/// do not depend on later shards, so one round settles it.
/// </summary>
internal static class IdConflicts
{
    /// <summary>Writes the seeds of shards that reused an earlier shard's ids and clears their completion; returns those tasks.</summary>
    public static IReadOnlyList<int> SeedReruns(WorkDirectory work, ShardPlan plan, ShardStep firstStep)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        var seen = new Dictionary<UInt128, SourceRef>();
        var reruns = new List<int>();
        for (var task = 0; task < plan.Tasks; task++)
        {
            var own = IdsFile.Read(work.IdsPart(task, plan.Tasks));
            var conflicts = own.Where(id => seen.ContainsKey(id.Key)).Select(id => (id.Key, seen[id.Key])).ToList();
            if (conflicts.Count > 0)
            {
                var seed = IdsFile.Read(work.SeedPart(task, plan.Tasks));
                IdsFile.Write(work.SeedPart(task, plan.Tasks), seed.Concat(conflicts));
                File.Delete(work.TaskFiles(firstStep, task, plan.Tasks).Done);
                reruns.Add(task);
            }

            foreach (var (key, first) in own)
            {
                seen.TryAdd(key, first);
            }
        }

        return reruns;
    }
}
