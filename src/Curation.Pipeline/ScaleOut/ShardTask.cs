using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.IO.Shards;
using Curation.IO.Writers;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// One shard task: the pipeline's stages over the pieces of its shard, in a process of its own (the same entry point
/// for local and cluster executors). Writes its data and rejects parts and its stats, then, last and atomically,
/// its completion marker; a failed task leaves a failed marker with its error instead and no parts.
/// </summary>
internal static class ShardTask
{
    /// <summary>The plan, checked against the pipeline and inputs as they are now.</summary>
    /// <exception cref="CurationException">The pipeline or an input changed since the plan, or the task index is out of range.</exception>
    public static (ShardPlan Plan, PreparedPipeline Prepared) Load(WorkDirectory work, int task, StageRegistry registry, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(work);
        var plan = ShardPlan.Load(work.PlanFile);
        if (task < 0 || task >= plan.Tasks)
        {
            throw new CurationException($"task {task}: out of range: the plan in {DisplayPath.For(work.Path)} has tasks 0 to {plan.Tasks - 1}");
        }

        var prepared = PipelineFactory.Prepare(plan.PipelineFile, registry, plan.OutputOverride, plan.SeedOverride);
        PlanMatch.Check(plan, prepared, work, toolVersion);
        return (plan, prepared);
    }

    /// <summary>Runs task <paramref name="task"/>; the error in one line when it failed, null when its parts are complete.</summary>
    public static async Task<string?> RunAsync(
        WorkDirectory work, ShardPlan plan, PreparedPipeline prepared, int task, RunOptions options, IRunObserver? observer, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(options);
        work.Create();
        work.ClearTask(task, plan.Tasks);
        AtomicFile.WriteAllText(work.StartedMarker(task), $"{Environment.MachineName} {Environment.ProcessId}\n");

        var dataPart = work.DataPart(task, plan.Tasks);
        var rejectsPart = work.RejectsPart(task, plan.Tasks);
        using var outputs = new RunOutputs([
            new PlannedOutput(dataPart, OutputFileRoles.Data, $"task {task}: data part"),
            new PlannedOutput(rejectsPart, OutputFileRoles.Rejects, $"task {task}: rejects part")]);
        var definition = prepared.Definition;
        var encoding = new JsonlEncodingOptions { IncludeId = definition.Output.IncludeId, IncludeMetadata = definition.Output.IncludeMetadata };
        var pieces = plan.Shards[task].Pieces
            .Select(piece => new FilePiece(plan.Files[piece.File].Path, prepared.Inputs[plan.Files[piece.File].Entry].Options, piece.Start, piece.End, piece.LinesBefore))
            .ToList();
        var source = new ShardRecordSource(pieces);
        RunResult result;
        try
        {
            await using var output = new JsonlRecordWriter(outputs, dataPart, definition.Output.Format, OutputCompression.None, encoding);
            await using var rejects = new RejectsWriter(outputs, rejectsPart);
            var steps = prepared.Steps.Select(step => new PipelineStep(step.Stage, step.Workers ?? options.Workers)).ToList();
            var runner = new PipelineRunner(source, new InputRoutingDecoder(prepared.Inputs), steps, output, rejects, options, observer, time, outputs);
            foreach (var (key, first) in IdsFile.Read(work.SeedPart(task, plan.Tasks)))
            {
                runner.InputIds.Seed(key, first);
            }

            result = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
            if (result.Status == RunStatus.Completed)
            {
                IdsFile.Write(work.IdsPart(task, plan.Tasks), runner.InputIds.OwnFirstUses());
            }
        }
        catch (CurationException ex)
        {
            return Fail(work, task, outputs, ex.Message);
        }

        if (result.Status != RunStatus.Completed)
        {
            return Fail(work, task, outputs, result.Error ?? result.Status.ToString().ToLowerInvariant());
        }

        try
        {
            outputs.Commit();
            var read = source.Pieces.Select(piece => new TaskPiece(piece.Piece, piece.Items, piece.File)).ToList();
            TaskStats.From(task, result, read).Save(work.StatsPart(task, plan.Tasks));
            AtomicFile.WriteAllText(work.DoneMarker(task), $"{result.RecordsWritten} records, {result.RejectsWritten} rejects\n");
            return null;
        }
        catch (CurationException ex)
        {
            return Fail(work, task, outputs, ex.Message);
        }
    }

    private static string Fail(WorkDirectory work, int task, RunOutputs outputs, string error)
    {
        outputs.Abandon(keepPartial: false);
        try
        {
            AtomicFile.WriteAllText(work.FailedMarker(task), error.ReplaceLineEndings(" ") + "\n");
        }
        catch (CurationException)
        {
            // The error is still reported by the task's exit status and output.
        }

        return error;
    }
}
