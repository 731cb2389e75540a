using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Pipeline.ScaleOut.Handover;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// A gather step of a sharded run (<see cref="ShardSteps"/>): its stages, which need every record, over the envelopes
/// every shard's task handed on, read in shard order, so that they decide as in one process; each envelope then goes
/// back to its shard for the next step's tasks. Files the stages write (clusters) are kept in the work folder until
/// the merge puts them in place. Stats, then the completion marker, last; a failed step leaves a failed marker.
/// </summary>
internal static class GatherStep
{
    /// <summary>The gather step <paramref name="index"/> of the run.</summary>
    /// <exception cref="CurationException">No such step, or it is a step of tasks.</exception>
    public static ShardStep Find(PreparedPipeline prepared, int index)
    {
        var steps = ShardSteps.Of(prepared);
        if (index < 0 || index >= steps.Count || steps[index].Kind != ShardStepKind.Gather)
        {
            var gathers = steps.Where(step => step.Kind == ShardStepKind.Gather).Select(step => step.Index).ToList();
            throw new CurationException(gathers.Count == 0
                ? $"step {index}: this run has no gather step (no stage needs every record)"
                : $"step {index}: not a gather step of this run (those are {string.Join(", ", gathers)})");
        }

        return steps[index];
    }

    /// <summary>Runs the step; the error in one line when it failed, null when its parts are complete.</summary>
    public static async Task<string?> RunAsync(
        WorkDirectory work, ShardPlan plan, PreparedPipeline prepared, ShardStep step, RunOptions options, IRunObserver? observer, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(options);
        work.Create();
        var files = work.GatherFiles(step.Index);
        files.ClearAttempt();
        AtomicFile.WriteAllText(files.Started, $"{Environment.MachineName} {Environment.ProcessId}\n");
        var stages = step.Stages.Select(stage => new PipelineStep(stage.Stage, stage.Workers ?? options.Workers)).ToList();
        using var stageFiles = new RunOutputs(step.Stages.Select(stage => stage.Stage).OfType<IStageFiles>().SelectMany(stage => stage.Writes));
        RunResult result;
        IReadOnlyList<(OutputFileInfo File, string StoredAt)> gathered = [];
        try
        {
            var source = new ShardPartsSource([.. Enumerable.Range(0, plan.Tasks).Select(shard => work.EnvelopesPart(step.Index - 1, shard, plan.Tasks))]);
            using var sink = new ShardPartsSink(source, [.. Enumerable.Range(0, plan.Tasks).Select(shard => work.EnvelopesPart(step.Index, shard, plan.Tasks))]);
            var runner = new PipelineRunner(null, null, source, stages, null, null, sink, options, observer, time, stageFiles);
            result = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
            if (result.Status == RunStatus.Completed)
            {
                sink.Commit();
                if (Directory.Exists(work.GatheredFilesFolder(step.Index)))
                {
                    Directory.Delete(work.GatheredFilesFolder(step.Index), recursive: true);
                }

                gathered = stageFiles.CommitInto(work.GatheredFilesFolder(step.Index));
            }
        }
        catch (CurationException ex)
        {
            return Fail(files, ex.Message);
        }

        if (result.Status != RunStatus.Completed)
        {
            return Fail(files, result.Error ?? result.Status.ToString().ToLowerInvariant());
        }

        try
        {
            var stats = TaskStats.From(0, result, []) with
            {
                Files = [.. gathered.Select(file => new GatheredFile(file.File.Path, file.File.Role, file.File.Records, file.File.Bytes, file.File.Sha256, Path.GetFileName(file.StoredAt)))],
            };
            stats.Save(files.Stats);
            AtomicFile.WriteAllText(files.Done, $"{result.RecordsWritten} records, {result.RejectsWritten} rejects\n");
            return null;
        }
        catch (CurationException ex)
        {
            return Fail(files, ex.Message);
        }
    }

    private static string Fail(StepFiles files, string error)
    {
        try
        {
            AtomicFile.WriteAllText(files.Failed, error.ReplaceLineEndings(" ") + "\n");
        }
        catch (CurationException)
        {
            // The error is still reported by the step's exit status and output.
        }

        return error;
    }
}
