using Curation.Core;
using Curation.Core.Files;
using Curation.Splits;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// A split step of a sharded run (<see cref="ShardStepKind.Split"/>): every shard's split keys, in shard order,
/// assigned to splits by the stage's own code as one process assigns them; each shard's assignments for the step
/// after, the notes with them. Stats, then the completion marker (the notes), last; a failed step leaves a failed marker.
/// </summary>
internal static class SplitStep
{
    public static Task<string?> RunAsync(WorkDirectory work, ShardPlan plan, ShardStep step, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(time);
        work.Create();
        var files = work.GatherFiles(step.Index);
        files.Begin();
        try
        {
            var stage = (SplitStage)step.Stages[0].Stage;
            var started = time.GetTimestamp();
            var resolution = ShardTask.Splits(work, plan, step.Index).Resolve(stage.NewResolver(), cancellationToken);
            new TaskStats(0, [], [], 0, 0, new Dictionary<string, IReadOnlyDictionary<string, long>>(), time.GetElapsedTime(started).TotalSeconds).Save(files.Stats);
            AtomicFile.WriteAllText(files.Done, string.Concat(resolution.Notes.Select(note => note + "\n")));
            return Task.FromResult<string?>(null);
        }
        catch (CurationException ex)
        {
            return Task.FromResult<string?>(files.Fail(ex.Message));
        }
        catch (OperationCanceledException)
        {
            return Task.FromResult<string?>(files.Fail("cancelled"));
        }
    }
}
