using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Dedup.Near;
using Curation.Dedup.Near.Sharded;
using Curation.IO.Shards;
using Curation.IO.Writers;
using Curation.Pipeline.ScaleOut.Boundary;
using Curation.Pipeline.ScaleOut.Handover;
using Curation.Splits;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// One shard task of one step: the step's stages over its shard, in a process of its own (the same entry point for
/// local and cluster executors). The first step reads the shard's pieces of input; a later one goes on from the
/// envelopes the gather step before it handed back. The last step writes the data and rejects parts; an earlier one
/// hands on every envelope. Its stats are written, then, last and atomically, its completion marker; a failed task
/// leaves a failed marker with its error instead and no parts.
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

    /// <summary>The step <paramref name="index"/> of the run, which must be a step of tasks.</summary>
    /// <exception cref="CurationException">No such step, or it is a gather step.</exception>
    public static ShardStep TaskStep(PreparedPipeline prepared, int index)
    {
        var steps = ShardSteps.Of(prepared);
        if (index < 0 || index >= steps.Count || steps[index].IsSingle)
        {
            var tasks = steps.Where(step => !step.IsSingle).Select(step => step.Index);
            throw new CurationException($"step {index}: not a step of tasks in this run (those are {string.Join(", ", tasks)})");
        }

        return steps[index];
    }

    /// <summary>Runs task <paramref name="task"/> of <paramref name="step"/>; the error in one line when it failed, null when its parts are complete.</summary>
    public static async Task<string?> RunAsync(
        WorkDirectory work, ShardPlan plan, PreparedPipeline prepared, ShardStep step, int task, RunOptions options, IRunObserver? observer, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(options);
        if (step.Kind == ShardStepKind.Pairs)
        {
            return PairsTask.Run(work, plan, step, task, options, time ?? TimeProvider.System, cancellationToken);
        }

        work.Create();
        var files = work.TaskFiles(step, task, plan.Tasks);
        if (step.Index == 0)
        {
            File.Delete(work.IdsPart(task, plan.Tasks));
        }

        if (step.IsFinal)
        {
            File.Delete(work.RejectsPart(task, plan.Tasks));
            File.Delete(work.RecordsPart(task, plan.Tasks));
        }

        files.Begin();

        var source = step.Index == 0 ? InputOf(plan, prepared, task) : null;
        RunResult result;
        InputIdRegistry? ids = null;
        try
        {
            var stages = StagesOf(
                step,
                options,
                applied => ResolvedDuplicates.ForShard(Exchange(work, plan, step.DuplicatesStep), task),
                near => ClusterDecisions.ForShard(Fingerprints(work, plan, step.PairsStep, near), task),
                split => new ResolvedSplitStage(split, Splits(work, plan, step.Index - 1), task, [.. split.Names.Select(name => SplitExchange.PartFile(work.StepFolder(step.Index), name, task, plan.Tasks))]));
            stages = CollectedParts.InTask(stages, work, step, task, plan.Tasks);
            if (step.IsFinal)
            {
                (result, ids) = await WritePartsAsync(work, plan, prepared, task, source, step, stages, options, observer, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                (result, ids) = await HandOnAsync(work, plan, prepared, task, source, step, stages, options, observer, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CurationException ex)
        {
            return files.Fail(ex.Message);
        }

        if (result.Status != RunStatus.Completed)
        {
            return files.Fail(result.Error ?? result.Status.ToString().ToLowerInvariant());
        }

        try
        {
            if (ids is not null)
            {
                IdsFile.Write(work.IdsPart(task, plan.Tasks), ids.OwnFirstUses());
            }

            var read = source?.Pieces.Select(piece => new TaskPiece(piece.Piece, piece.Items, piece.File)).ToList() ?? [];
            TaskStats.From(task, result, read).Save(files.Stats);
            AtomicFile.WriteAllText(files.Done, $"{result.RecordsWritten} records, {result.RejectsWritten} rejects\n");
            return null;
        }
        catch (CurationException ex)
        {
            return files.Fail(ex.Message);
        }
    }

    /// <summary>
    /// The stages a step runs: its own, after the first-occurrence stage whose duplicates the resolve step before it
    /// found (<paramref name="resolved"/> reads them) and the near-dedup stage whose decisions the cluster step before
    /// it made (<paramref name="clusters"/> reads them, when the stage starts) and the split stage whose assignments the
    /// split step before it made (<paramref name="split"/> applies them, in a step of tasks), when there are.
    /// </summary>
    public static List<PipelineStep> StagesOf(
        ShardStep step, RunOptions options, Func<PreparedStage, ResolvedDuplicates> resolved, Func<NearDedupStage, ClusterDecisions> clusters, Func<SplitStage, IStreamStage>? split = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(clusters);
        var stages = step.Stages.Select(stage => new PipelineStep(stage.Stage, stage.Workers ?? options.Workers)).ToList();
        if (step.SplitOf?.Stage is SplitStage assigned)
        {
            stages.Insert(0, new PipelineStep((split ?? throw new InvalidOperationException($"step {step.Index} applies a split: only its tasks can")).Invoke(assigned), 1));
        }

        if (step.ClustersOf?.Stage is NearDedupStage near)
        {
            stages.Insert(0, new PipelineStep(new ResolvedClustersStage(near, () => clusters(near)), 1));
        }

        if (step.DuplicatesOf is { } applied)
        {
            stages.Insert(0, new PipelineStep(new ResolvedDuplicatesStage((IFirstOccurrenceStage)applied.Stage, resolved(applied)), 1));
        }

        return stages;
    }

    /// <summary>The fingerprints, pairs and decisions of near-dedup's pairs step <paramref name="pairsStep"/>: one partition of bands per task, under its step folder.</summary>
    public static FingerprintExchange Fingerprints(WorkDirectory work, ShardPlan plan, int pairsStep, NearDedupStage stage)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stage);
        return new FingerprintExchange(work.StepFolder(pairsStep), plan.Tasks, plan.Tasks, stage.Bands);
    }

    /// <summary>Per shard, the sequences of the records a near-dedup pairs or clusters step leaves out: the later occurrences its resolved exact-dedup found, if any.</summary>
    public static IReadOnlyList<IReadOnlySet<long>> LeftOut(WorkDirectory work, ShardPlan plan, ShardStep step)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(step);
        return [.. Enumerable.Range(0, plan.Tasks)
            .Select(shard => step.DuplicatesOf is null
                ? (IReadOnlySet<long>)new HashSet<long>()
                : Exchange(work, plan, step.DuplicatesStep).DuplicatesOf(shard).Select(duplicate => duplicate.Sequence).ToHashSet())];
    }

    /// <summary>The split keys and assignments of the split step <paramref name="splitStep"/>, under its step folder.</summary>
    public static SplitExchange Splits(WorkDirectory work, ShardPlan plan, int splitStep)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        return new SplitExchange(work.StepFolder(splitStep), plan.Tasks);
    }

    /// <summary>The key exchange of the resolve step <paramref name="resolveStep"/>: one partition per task, under its step folder.</summary>
    public static KeyExchange Exchange(WorkDirectory work, ShardPlan plan, int resolveStep)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        return new KeyExchange(work.StepFolder(resolveStep), plan.Tasks, plan.Tasks);
    }

    private static ShardRecordSource InputOf(ShardPlan plan, PreparedPipeline prepared, int task) =>
        new([.. plan.Shards[task].Pieces
            .Select(piece => new FilePiece(plan.Files[piece.File].Path, prepared.Inputs[plan.Files[piece.File].Entry].Options, piece.Start, piece.End, piece.LinesBefore, piece.RowsBefore))]);

    /// <summary>The last step: kept records to the data part, rejects to the rejects part, both committed only when the run completed.</summary>
    private static async Task<(RunResult Result, InputIdRegistry? Ids)> WritePartsAsync(
        WorkDirectory work, ShardPlan plan, PreparedPipeline prepared, int task, ShardRecordSource? source, ShardStep step, List<PipelineStep> stages,
        RunOptions options, IRunObserver? observer, TimeProvider? time, CancellationToken cancellationToken)
    {
        var definition = prepared.Definition;
        var parquet = definition.Output.Format == OutputFormat.Parquet;
        var dataPart = parquet ? work.RecordsPart(task, plan.Tasks) : work.DataPart(task, plan.Tasks);
        var rejectsPart = work.RejectsPart(task, plan.Tasks);
        using var outputs = new RunOutputs([
            new PlannedOutput(dataPart, OutputFileRoles.Data, $"task {task}: data part"),
            new PlannedOutput(rejectsPart, OutputFileRoles.Rejects, $"task {task}: rejects part")]);
        var encoding = new JsonlEncodingOptions { IncludeId = definition.Output.IncludeId, IncludeMetadata = definition.Output.IncludeMetadata };
        RunResult result;
        InputIdRegistry? ids;
        try
        {
            await using IRecordWriter<ChatRecord> output = parquet
                ? new RecordsPartWriter(outputs, dataPart)
                : new JsonlRecordWriter(outputs, dataPart, definition.Output.Format, OutputCompression.None, encoding);
            await using var rejects = new RejectsWriter(outputs, rejectsPart);
            var runner = source is not null
                ? new PipelineRunner(source, new InputRoutingDecoder(prepared.Inputs, VerbatimLines.WorthKeeping(definition.Output, stages.Select(s => s.Stage))), stages, output, rejects, options, observer, time, outputs)
                : new PipelineRunner(null, null, HandedOver(work, plan, step, task), stages, output, rejects, null, options, observer, time, outputs);
            ids = source is not null ? Seeded(runner, work, plan, task) : null;

            result = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CurationException)
        {
            outputs.Abandon(keepPartial: false);
            throw;
        }

        if (result.Status != RunStatus.Completed)
        {
            outputs.Abandon(keepPartial: false);
            return (result, ids);
        }

        outputs.Commit();
        return (result, ids);
    }

    /// <summary>A step before the last: every envelope of the shard goes on, in input order, to the part the next gather step reads.</summary>
    private static async Task<(RunResult Result, InputIdRegistry? Ids)> HandOnAsync(
        WorkDirectory work, ShardPlan plan, PreparedPipeline prepared, int task, ShardRecordSource? source, ShardStep step, List<PipelineStep> stages,
        RunOptions options, IRunObserver? observer, TimeProvider? time, CancellationToken cancellationToken)
    {
        using var part = new EnvelopePartWriter(work.EnvelopesPart(step.Index, task, plan.Tasks));
        using var keys = step.KeysFor is not null ? Exchange(work, plan, step.KeysStep).OpenKeys(task) : null;
        var near = step.FingerprintsFor?.Stage as NearDedupStage;
        using var fingerprints = near is not null ? new ShardFingerprintWriter(Fingerprints(work, plan, step.FingerprintsStep, near), task, near.MemoryBudgetBytes) : null;
        using var splitKeys = step.SplitKeysFor is not null ? Splits(work, plan, step.Index + 1).OpenKeys(task) : null;
        IEnvelopeSink sink = step.KeysFor is { } keyed ? new KeyWritingSink(part, (IFirstOccurrenceStage)keyed.Stage, keys!) : part;
        sink = step.SplitKeysFor?.Stage is SplitStage splitting ? new SplitKeyWritingSink(sink, splitting, splitKeys!) : sink;
        await using var signer = near is not null ? new FingerprintWritingSink(sink, near, fingerprints!, options.Workers, time ?? TimeProvider.System, cancellationToken) : null;
        sink = signer ?? sink;
        var runner = source is not null
            ? new PipelineRunner(source, new InputRoutingDecoder(prepared.Inputs, keepVerbatimLines: false), null, stages, null, null, sink, options, observer, time)
            : new PipelineRunner(null, null, HandedOver(work, plan, step, task), stages, null, null, sink, options, observer, time);
        var ids = source is not null ? Seeded(runner, work, plan, task) : null;

        var result = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        if (result.Status == RunStatus.Completed)
        {
            if (signer is not null)
            {
                try
                {
                    await signer.CompleteAsync().ConfigureAwait(false);
                    fingerprints!.Commit();
                }
                catch (IOException e)
                {
                    throw new CurationException($"task {task}: cannot write its fingerprints for '{near!.Name}' under {DisplayPath.For(work.StepFolder(step.FingerprintsStep))}: {e.Message}", e);
                }
            }

            keys?.Commit();
            splitKeys?.Commit();
            part.Commit();
        }

        return (result, ids);
    }

    private static ShardPartsSource HandedOver(WorkDirectory work, ShardPlan plan, ShardStep step, int task) =>
        new([work.EnvelopesPart(step.ReadsFromStep, task, plan.Tasks)]);

    private static InputIdRegistry Seeded(PipelineRunner runner, WorkDirectory work, ShardPlan plan, int task)
    {
        foreach (var (key, first) in IdsFile.Read(work.SeedPart(task, plan.Tasks)))
        {
            runner.InputIds.Seed(key, first);
        }

        return runner.InputIds;
    }
}
