using Curation.Core.Config;
using Curation.Core.Files;
using Curation.IO.Writers;
using Curation.Pipeline.ScaleOut.Boundary;
using Curation.Splits;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// The split files of a split decided in a split step: each is its tasks' parts joined in shard order (each part holds
/// its shard's records of the split in input order, and the shards are consecutive), written through the same staged
/// outputs as the data, and through the compressor one process uses when the split files are compressed, so each is
/// the single process's file.
/// </summary>
internal static class SplitFilesMerge
{
    public static async Task WriteAsync(RunOutputs outputs, WorkDirectory work, ShardPlan plan, IReadOnlyList<ShardStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var step in steps.Where(step => step.SplitOf is not null))
        {
            var stage = (SplitStage)step.SplitOf!.Stage;
            var (_, records) = ShardTask.Splits(work, plan, step.Index - 1).LoadResolved();
            for (var split = 0; split < stage.Names.Count; split++)
            {
                var parts = Enumerable.Range(0, plan.Tasks).Select(task => SplitExchange.PartFile(work.StepFolder(step.Index), stage.Names[split], task, plan.Tasks)).ToList();
                _ = stage.Compression == OutputCompression.None
                    ? await ShardMerge.ConcatenateAsync(outputs, stage.Paths[split], OutputFileRoles.Data, parts, records[split], cancellationToken).ConfigureAwait(false)
                    : await ShardMerge.CompressAsync(outputs, stage.Paths[split], stage.Compression, parts, records[split], cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
