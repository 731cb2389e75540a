using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Dedup.Near;
using Curation.Dedup.Near.Sharded;
using Curation.Pipeline.ScaleOut.Boundary;
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
    /// <summary>The gather, resolve or clusters step <paramref name="index"/> of the run (the steps one process runs).</summary>
    /// <exception cref="CurationException">No such step, or it is a step of tasks.</exception>
    public static ShardStep Find(PreparedPipeline prepared, int index)
    {
        var steps = ShardSteps.Of(prepared);
        if (index < 0 || index >= steps.Count || !steps[index].IsSingle)
        {
            var gathers = steps.Where(step => step.IsSingle).Select(step => step.Index).ToList();
            throw new CurationException(gathers.Count == 0
                ? $"step {index}: this run has no gather step (no stage needs every record)"
                : $"step {index}: not a gather step of this run (those are {string.Join(", ", gathers)})");
        }

        return steps[index];
    }

    /// <summary>Runs the step (a gather, resolve or clusters step); the error in one line when it failed, null when its parts are complete.</summary>
    public static Task<string?> RunAsync(
        WorkDirectory work, ShardPlan plan, PreparedPipeline prepared, ShardStep step, RunOptions options, IRunObserver? observer, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Kind switch
        {
            ShardStepKind.Resolve => ResolveAsync(work, plan, step, options, cancellationToken),
            ShardStepKind.Clusters => ClusterAsync(work, plan, step, options, time ?? TimeProvider.System, cancellationToken),
            ShardStepKind.Split => SplitStep.RunAsync(work, plan, step, time ?? TimeProvider.System, cancellationToken),
            _ => GatherAsync(work, plan, prepared, step, options, observer, time, cancellationToken),
        };
    }

    /// <summary>
    /// A near-dedup clusters step: every pairs task's verified pairs over every shard's fingerprints, less the records a
    /// resolved exact-dedup before it rejects, clustered as one process would; each shard's decisions for the step
    /// after, the clusters file kept for the merge.
    /// </summary>
    private static async Task<string?> ClusterAsync(WorkDirectory work, ShardPlan plan, ShardStep step, RunOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        work.Create();
        var files = work.GatherFiles(step.Index);
        files.Begin();
        var stage = (NearDedupStage)step.Stages[0].Stage;
        using var stageFiles = new RunOutputs(stage.Writes);
        try
        {
            var exchange = ShardTask.Fingerprints(work, plan, step.PairsStep, stage);
            var started = time.GetTimestamp();
            await stage.ResolveShardsAsync(exchange, ShardTask.LeftOut(work, plan, step), plan.Tasks, step.Stages[0].Workers ?? options.Workers, stageFiles, time, cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(work.GatheredFilesFolder(step.Index)))
            {
                Directory.Delete(work.GatheredFilesFolder(step.Index), recursive: true);
            }

            var gathered = stageFiles.CommitInto(work.GatheredFilesFolder(step.Index));
            new TaskStats(0, [], [], 0, 0, new Dictionary<string, IReadOnlyDictionary<string, long>>(), time.GetElapsedTime(started).TotalSeconds)
            {
                Files = [.. gathered.Select(file => new GatheredFile(file.File.Path, file.File.Role, file.File.Records, file.File.Bytes, file.File.Sha256, Path.GetFileName(file.StoredAt)))],
            }.Save(files.Stats);
            AtomicFile.WriteAllText(files.Done, string.Concat(File.ReadAllLines(exchange.NotesFile).Skip(1).Select(note => note + "\n")));
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

    /// <summary>A resolve step: each partition of the keys the tasks before wrote, on the step's workers; every later occurrence goes to its shard's duplicates file.</summary>
    private static async Task<string?> ResolveAsync(WorkDirectory work, ShardPlan plan, ShardStep step, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        work.Create();
        var files = work.GatherFiles(step.Index);
        files.Begin();
        var exchange = ShardTask.Exchange(work, plan, step.Index);
        var counts = new PartitionCounts[exchange.Partitions];
        try
        {
            await Parallel.ForAsync(0, exchange.Partitions, new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = cancellationToken }, (partition, _) =>
            {
                counts[partition] = exchange.Resolve(partition);
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
            new TaskStats(0, [], [], 0, 0, new Dictionary<string, IReadOnlyDictionary<string, long>>(), 0).Save(files.Stats);
            AtomicFile.WriteAllText(files.Done, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{counts.Sum(c => c.Keys)} keys, {counts.Sum(c => c.Distinct)} distinct, {counts.Sum(c => c.Duplicates)} later occurrences in {exchange.Partitions} partitions\n"));
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

    private static async Task<string?> GatherAsync(
        WorkDirectory work, ShardPlan plan, PreparedPipeline prepared, ShardStep step, RunOptions options, IRunObserver? observer, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(options);
        work.Create();
        var files = work.GatherFiles(step.Index);
        files.Begin();
        using var stageFiles = new RunOutputs(step.Stages.Select(stage => stage.Stage).OfType<IStageFiles>().SelectMany(stage => stage.Writes));
        RunResult result;
        IReadOnlyList<(OutputFileInfo File, string StoredAt)> gathered = [];
        try
        {
            var source = new ShardPartsSource([.. Enumerable.Range(0, plan.Tasks).Select(shard => work.EnvelopesPart(step.ReadsFromStep, shard, plan.Tasks))]);
            var stages = ShardTask.StagesOf(
                step,
                options,
                applied => ResolvedDuplicates.ForAllShards(ShardTask.Exchange(work, plan, step.DuplicatesStep), source.ShardOf),
                near => ClusterDecisions.ForAllShards(ShardTask.Fingerprints(work, plan, step.PairsStep, near), sequence => source.ShardOf(sequence).Shard));
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
            return files.Fail(ex.Message);
        }

        if (result.Status != RunStatus.Completed)
        {
            return files.Fail(result.Error ?? result.Status.ToString().ToLowerInvariant());
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
            return files.Fail(ex.Message);
        }
    }
}
