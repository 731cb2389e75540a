using System.Security.Cryptography;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Core.Stats;
using Curation.IO.Writers;
using Curation.Pipeline.ScaleOut.Handover;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// The final step of a sharded run: concatenates the tasks' parts in shard order into the run's data and rejects
/// files (the bytes a single process writes, since each part holds its shard's records in input order and the shards
/// are consecutive), adds up the stage counts and checks that they balance, and describes the inputs as a single
/// process would, so that <see cref="PipelineExecution"/> checks the result and writes the manifest as usual.
/// </summary>
internal static class ShardMerge
{
    private const int CopyBufferBytes = 1 << 20;

    /// <exception cref="CurationException">A task has not completed, or a part cannot be read or the output written.</exception>
    public static async Task<RunResult> MergeAsync(
        WorkDirectory work, ShardPlan plan, PreparedPipeline prepared, RunOutputs outputs, DateTimeOffset startedAt, TimeSpan elapsedBefore, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        var steps = ShardSteps.Of(prepared);
        var byStep = steps.Select(step => LoadStats(work, plan, step)).ToList();
        var tasks = byStep[^1];
        var problems = new List<string>();
        var stats = new RunStats();
        var stages = prepared.Steps.ToDictionary(step => step.Stage.Name, step => step.Stage, StringComparer.Ordinal);
        var collecting = new List<(ICollectingStage Stage, StageCounters Counters, int StageIndex, List<TaskStats> Tasks, int Step)>();
        foreach (var (step, stepTasks) in steps.Zip(byStep))
        {
            collecting.AddRange(AddUp(stepTasks, stats, problems, stages).Select(found => (found.Stage, found.Counters, found.StageIndex, stepTasks, step.Index)));
        }

        var definition = prepared.Definition;
        var dataParts = Enumerable.Range(0, plan.Tasks).Select(task => work.DataPart(task, plan.Tasks)).ToList();
        var dataPath = RecordWriterFactory.DataPath(definition.Output, prepared.OutputDirectory);
        var data = definition.Output.Format == OutputFormat.Parquet
            ? await EncodeAsync(outputs, definition.Output, prepared.OutputDirectory, [.. Enumerable.Range(0, plan.Tasks).Select(task => work.RecordsPart(task, plan.Tasks))], cancellationToken).ConfigureAwait(false)
            : definition.Output.Compression == OutputCompression.None
            ? await ConcatenateAsync(outputs, dataPath, OutputFileRoles.Data, dataParts, tasks.Sum(task => task.RecordsWritten), cancellationToken).ConfigureAwait(false)
            : await CompressAsync(outputs, dataPath, definition.Output.Compression, dataParts, tasks.Sum(task => task.RecordsWritten), cancellationToken).ConfigureAwait(false);
        var rejects = await ConcatenateAsync(
            outputs, RecordWriterFactory.RejectsPath(definition.Output, prepared.OutputDirectory), OutputFileRoles.Rejects,
            [.. Enumerable.Range(0, plan.Tasks).Select(task => work.RejectsPart(task, plan.Tasks))], tasks.Sum(task => task.RejectsWritten), cancellationToken).ConfigureAwait(false);

        foreach (var file in byStep.SelectMany(step => step).SelectMany(step => step.Files ?? []))
        {
            await CopyGatheredAsync(outputs, work, steps, byStep, file, cancellationToken).ConfigureAwait(false);
        }

        await SplitFilesMerge.WriteAsync(outputs, work, plan, steps, cancellationToken).ConfigureAwait(false);
        foreach (var (stage, counters, stageIndex, stepTasks, step) in collecting)
        {
            await CollectedParts.FinishAsync(stage, counters, stepTasks, stageIndex, work, plan, step, definition.Seed, outputs, cancellationToken).ConfigureAwait(false);
        }

        var (inputs, inputError) = Inputs(plan, byStep[0]);
        problems.AddRange(stats.CheckBalance());
        var last = stats.Stages[^1];
        if (data.Records != last.Kept)
        {
            problems.Add($"data parts hold {data.Records} records but '{last.Stage}' kept {last.Kept}");
        }

        var totalRejected = stats.Stages.Sum(s => s.Rejected) - stats.Stages.Sum(s => s.Restored);
        if (rejects.Records != totalRejected)
        {
            problems.Add($"rejects parts hold {rejects.Records} rejects but stages rejected {totalRejected} (less those restored)");
        }

        var error = inputError ?? (problems.Count > 0 ? "counts do not balance: " + string.Join("; ", problems) : null);
        return new RunResult
        {
            Status = error is null ? RunStatus.Completed : RunStatus.Failed,
            Stats = stats,
            Inputs = inputs,
            Outputs = [data, rejects],
            Elapsed = elapsedBefore + time.GetElapsedTime(started),
            StartedAt = startedAt,
            RecordsWritten = data.Records,
            RejectsWritten = rejects.Records,
            Error = error,
            BalanceProblems = problems,
            ReadRejectsByFile = ReadRejects(byStep[0]),
        };
    }

    /// <summary>The stats of every task of a step (the one of a gather step).</summary>
    /// <exception cref="CurationException">A task or the step has not completed.</exception>
    private static List<TaskStats> LoadStats(WorkDirectory work, ShardPlan plan, ShardStep step)
    {
        if (step.IsSingle)
        {
            var files = work.GatherFiles(step.Index);
            return files.IsDone
                ? [TaskStats.Load(files.Stats)]
                : throw new CurationException($"step {step.Index} ({step.Describe()}) of {DisplayPath.For(work.Path)} has not completed: nothing to merge yet");
        }

        var stats = new List<TaskStats>(plan.Tasks);
        for (var task = 0; task < plan.Tasks; task++)
        {
            var files = work.TaskFiles(step, task, plan.Tasks);
            if (!files.IsDone)
            {
                throw new CurationException(step.IsFinal
                    ? $"task {task} of {DisplayPath.For(work.Path)} has not completed: nothing to merge yet"
                    : $"task {task} of step {step.Index} ({step.Describe()}) of {DisplayPath.For(work.Path)} has not completed: nothing to merge yet");
            }

            stats.Add(TaskStats.Load(files.Stats));
        }

        return stats;
    }

    /// <summary>A file a gather step's stage wrote, copied to its place among the outputs; it must be as the step left it.</summary>
    private static async Task CopyGatheredAsync(
        RunOutputs outputs, WorkDirectory work, IReadOnlyList<ShardStep> steps, List<List<TaskStats>> byStep, GatheredFile file, CancellationToken cancellationToken)
    {
        var step = steps[byStep.FindIndex(stats => stats.Any(task => task.Files?.Contains(file) == true))];
        var stored = Path.Combine(work.GatheredFilesFolder(step.Index), file.StoredAt);
        var copied = await ConcatenateAsync(outputs, file.FinalPath, file.Role, [stored], file.Records, cancellationToken).ConfigureAwait(false);
        if (copied.Sha256 != file.Sha256)
        {
            throw new CurationException($"{DisplayPath.For(stored)}: changed since step {step.Index} wrote it: remove {DisplayPath.For(work.GatherFiles(step.Index).Done)} and run the same command again");
        }
    }

    /// <summary>
    /// Adds up each stage's counts of a step over its tasks; a task whose own counts do not balance is named. Returns
    /// the step's collecting stages (<see cref="ICollectingStage"/>), which the merge finishes from the tasks' parts.
    /// </summary>
    /// <remarks>
    /// The notes of a stage whose figures add up (<see cref="IMergeableReport"/>, <see cref="IEnvelopeStage"/>) are reported by the merge's own
    /// instance of the stage, which has run nothing, once every task's figures are added into it.
    /// </remarks>
    private static List<(ICollectingStage Stage, StageCounters Counters, int StageIndex)> AddUp(
        List<TaskStats> tasks, RunStats stats, List<string> problems, IReadOnlyDictionary<string, IStage> stages)
    {
        var collecting = new List<(ICollectingStage, StageCounters, int)>();
        var names = tasks[0].Stages.Select(stage => stage.Stage).ToList();
        foreach (var task in tasks)
        {
            if (!task.Stages.Select(stage => stage.Stage).SequenceEqual(names, StringComparer.Ordinal))
            {
                throw new CurationException($"task {task.Task} ran other stages than task 0 ({string.Join(", ", task.Stages.Select(stage => stage.Stage))})");
            }

            foreach (var stage in task.Stages.Where(stage => stage.Input + stage.Restored != stage.Kept + stage.Rejected))
            {
                problems.Add($"task {task.Task}, stage '{stage.Stage}': input {stage.Input} != kept {stage.Kept} + rejected {stage.Rejected}");
            }
        }

        for (var s = 0; s < names.Count; s++)
        {
            var counters = stats.Add(names[s]);
            foreach (var task in tasks)
            {
                var stage = task.Stages[s];
                counters.AddInput(stage.Input);
                counters.AddKept(stage.Kept);
                counters.AddRestored(stage.Restored);
                counters.AddBusy(TimeSpan.FromSeconds(stage.BusySeconds));
                foreach (var (rule, count) in stage.RejectsByRule)
                {
                    counters.AddRejected(rule, count);
                }
            }

            if (stages.GetValueOrDefault(names[s]) is IMergeableReport mergeable && tasks.All(task => task.Stages[s].Figures is not null))
            {
                foreach (var task in tasks)
                {
                    mergeable.AddFigures(task.Stages[s].Figures!.Value);
                }

                mergeable.Report(counters);
                continue;
            }

            if (stages.GetValueOrDefault(names[s]) is ICollectingStage collected)
            {
                collecting.Add((collected, counters, s));
                continue;
            }

            if (stages.GetValueOrDefault(names[s]) is IEnvelopeStage envelopes && tasks.All(task => task.Stages[s].Figures is not null))
            {
                foreach (var task in tasks)
                {
                    envelopes.AddFigures(task.Stages[s].Figures!.Value);
                }

                envelopes.Report(counters);
                continue;
            }

            // Other notes are text; the same note from every task is said once, others are kept per task.
            var notes = tasks.Select(task => task.Stages[s].Notes).ToList();
            if (notes.All(list => list.SequenceEqual(notes[0], StringComparer.Ordinal)))
            {
                notes[0].ToList().ForEach(counters.AddNote);
            }
            else
            {
                foreach (var task in tasks)
                {
                    foreach (var note in task.Stages[s].Notes)
                    {
                        counters.AddNote($"task {task.Task}: {note}");
                    }
                }
            }
        }

        return collecting;
    }

    /// <summary>The input files in read order, as a single process records them; a file read in ranges gets the size and hash the plan took.</summary>
    private static (IReadOnlyList<InputFileInfo> Files, string? Error) Inputs(ShardPlan plan, List<TaskStats> tasks)
    {
        var whole = new Dictionary<int, InputFileInfo>();
        var rangeItems = new Dictionary<int, long>();
        foreach (var task in tasks)
        {
            var shard = plan.Shards[task.Task];
            foreach (var piece in task.Pieces)
            {
                var planned = shard.Pieces[piece.Piece];
                if (planned.IsWholeFile)
                {
                    whole[planned.File] = piece.File!;
                }
                else
                {
                    rangeItems[planned.File] = rangeItems.GetValueOrDefault(planned.File) + piece.Items;
                }
            }
        }

        var files = new List<InputFileInfo>(plan.Files.Count);
        for (var f = 0; f < plan.Files.Count; f++)
        {
            if (whole.TryGetValue(f, out var info))
            {
                files.Add(info);
                continue;
            }

            var file = plan.Files[f];
            var display = DisplayPath.For(file.Path);
            var items = rangeItems.GetValueOrDefault(f);
            if (items == 0)
            {
                return (files, $"{display}: empty file: expected at least one record");
            }

            files.Add(new InputFileInfo(display, file.Bytes, file.Sha256 ?? throw new InvalidOperationException($"{display}: read in ranges but planned without a hash"), items));
        }

        return (files, null);
    }

    private static Dictionary<string, IReadOnlyDictionary<string, long>> ReadRejects(List<TaskStats> tasks)
    {
        var byFile = new Dictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (file, rules) in tasks.SelectMany(task => task.ReadRejectsByFile))
        {
            if (!byFile.TryGetValue(file, out var sum))
            {
                byFile[file] = sum = new SortedDictionary<string, long>(StringComparer.Ordinal);
            }

            foreach (var (rule, count) in rules)
            {
                sum[rule] = sum.GetValueOrDefault(rule) + count;
            }
        }

        return byFile.ToDictionary(pair => pair.Key, pair => (IReadOnlyDictionary<string, long>)pair.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The tasks' kept records, in shard order, through the data writer a single process uses (Parquet): the same
    /// records in the same order, so row groups fall in the same places and the file is the same.
    /// </summary>
    private static async Task<OutputFileInfo> EncodeAsync(RunOutputs outputs, OutputOptions options, string outputDirectory, IReadOnlyList<string> parts, CancellationToken cancellationToken)
    {
        await using var writer = RecordWriterFactory.Create(outputs, options, outputDirectory);
        await foreach (var batch in new ShardPartsSource(parts).ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var records = batch.Select(envelope => envelope.Record ?? throw new CurationException("a records part holds a reject: remove the work folder and run again")).ToList();
            await writer.WriteAsync(writer.Encode(records), cancellationToken).ConfigureAwait(false);
        }

        return await writer.SealAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The parts through the compressor a single process writes its data through: the same bytes in, so the same file out.</summary>
    internal static async Task<OutputFileInfo> CompressAsync(
        RunOutputs outputs, string path, OutputCompression compression, IReadOnlyList<string> parts, long records, CancellationToken cancellationToken)
    {
        await using var file = new OutputFile(outputs, path, OutputFileRoles.Data, compression);
        var buffer = new byte[CopyBufferBytes];
        foreach (var part in parts)
        {
            try
            {
                await using var input = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), 0, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not CurationException && FileFaults.Describe(ex, part) is { } message)
            {
                throw new CurationException(message, ex);
            }
        }

        file.AddRecords(records);
        return await file.SealAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<OutputFileInfo> ConcatenateAsync(
        RunOutputs outputs, string path, string role, IReadOnlyList<string> parts, long records, CancellationToken cancellationToken)
    {
        var file = outputs.CreateSequentialFile(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferBytes];
        long bytes = 0;
        try
        {
            foreach (var part in parts)
            {
                await using var input = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.Stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    bytes += read;
                }
            }
        }
        catch (Exception ex) when (FileFaults.Describe(ex, path) is { } message)
        {
            throw new CurationException(message, ex);
        }

        return outputs.Seal(file, role, records, bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
