using System.Globalization;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Runtime;
using Curation.Dedup.Near;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// One task of a near-dedup pairs step (<see cref="ShardStepKind.Pairs"/>): the candidate pairs of the band
/// partitions dealt to it, over every shard's fingerprints, verified and joined; the pairs that joined two clusters go
/// to its pairs file for the clusters step. Its stats (no stage counts), then, last and atomically, its completion
/// marker; a failed task leaves a failed marker with its error instead.
/// </summary>
internal static class PairsTask
{
    /// <summary>Runs task <paramref name="task"/>; the error in one line when it failed, null when its pairs are complete.</summary>
    public static string? Run(WorkDirectory work, ShardPlan plan, ShardStep step, int task, RunOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(options);
        work.Create();
        var files = work.TaskFiles(step, task, plan.Tasks);
        files.Begin();
        var stage = (NearDedupStage)step.Stages[0].Stage;
        try
        {
            var exchange = ShardTask.Fingerprints(work, plan, step.PairsStep, stage);
            File.Delete(exchange.PairsFile(task));
            var counts = stage.FindPairs(exchange, ShardTask.LeftOut(work, plan, step), task, plan.Tasks, step.Stages[0].Workers ?? options.Workers, time, cancellationToken);
            new TaskStats(task, [], [], 0, 0, new Dictionary<string, IReadOnlyDictionary<string, long>>(), counts.Seconds).Save(files.Stats);
            AtomicFile.WriteAllText(files.Done, string.Create(CultureInfo.InvariantCulture, $"{counts.Found} candidate pairs, {counts.Compared} compared\n"));
            return null;
        }
        catch (CurationException ex)
        {
            return files.Fail(ex.Message);
        }
        catch (OperationCanceledException)
        {
            return files.Fail("cancelled");
        }
    }
}
