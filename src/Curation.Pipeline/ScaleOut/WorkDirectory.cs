using System.Globalization;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// The layout of a sharded run's work folder, shared by the submitting command, every task and <c>curate status</c>:
/// <code>
/// plan.json                               written first; what the run was planned from and the shards
/// parts/data-00003-of-00064.jsonl         task 3's kept records, in input order
/// parts/data-00003-of-00064.bin          task 3's kept records as they are, instead, for Parquet output
/// parts/rejects-00003-of-00064.jsonl      task 3's rejects, in input order
/// parts/ids-00003-of-00064.bin          the input ids task 3 used first, with where (for ids reused across shards)
/// parts/seed-00003-of-00064.bin         ids earlier shards used that task 3 reuses (written by the merge; rerun)
/// parts/stats-00003-of-00064.json         task 3's counts per stage and the pieces it read
/// markers/00003.started                   the task began (host, process id)
/// markers/00003.progress                records read, written and rejected so far (every few seconds)
/// markers/00003.failed                    the task failed (its error, one line)
/// markers/00003.done                      written last, atomically: the task's parts are complete
/// logs/task-00003.log                     what the task printed (local executor)
/// logs/curate-NAME-tasks-JOBID_3.log      what the task printed (Slurm: step name, array job id, index)
/// parts/step-01/envelopes-00003-of-00064.bin   what step 1 handed on for shard 3 (a run with stages that need every record)
/// parts/step-01/stats-00003-of-00064.json       task 3's counts in step 1 (stats.json for a gather step)
/// parts/step-01/files/                        files a gather step's stages wrote (clusters), copied out by the merge
/// parts/step-03/review-export-00003-of-00064.bin  what a collecting stage (review-export) of step 3 kept of shard 3, for the merge
/// markers/step-01-00003.done                  task 3 of step 1 is complete (step-01.done for a gather step)
/// logs/step-01-task-00003.log, logs/step-01.log   what a step's task printed (local executor)
/// jobs.json                               the Slurm jobs submitted for the run (Slurm executor)
/// markers/merge.exit                      the merge step's exit status (Slurm executor)
/// </code>
/// Task indexes count from 0, as Slurm's array task ids do. A pipeline with stages that need every record runs in
/// steps (<see cref="ShardSteps"/>); the last step's files are the plain names above, earlier steps' are under
/// <c>step-NN</c>.
/// </summary>
internal sealed class WorkDirectory(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string PlanFile => Combine("plan.json");

    public string PartsFolder => Combine("parts");

    public string MarkersFolder => Combine("markers");

    public string LogsFolder => Combine("logs");

    public string JobsFile => Combine("jobs.json");

    /// <summary>The exit status of the merge step run as a job of its own, so the submitting command can exit with it.</summary>
    public string MergeExitFile => System.IO.Path.Combine(MarkersFolder, "merge.exit");

    /// <summary>The default work folder of an output folder: beside it, named <c>&lt;output&gt;.work</c>.</summary>
    public static string DefaultFor(string outputDirectory) =>
        System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(outputDirectory)) + ".work";

    public string DataPart(int task, int tasks) => System.IO.Path.Combine(PartsFolder, $"data-{Of(task, tasks)}.jsonl");

    /// <summary>Task <paramref name="task"/>'s kept records as they are, for an output the merge encodes itself (Parquet), in place of <see cref="DataPart"/>.</summary>
    public string RecordsPart(int task, int tasks) => System.IO.Path.Combine(PartsFolder, $"data-{Of(task, tasks)}.bin");

    public string RejectsPart(int task, int tasks) => System.IO.Path.Combine(PartsFolder, $"rejects-{Of(task, tasks)}.jsonl");

    public string StatsPart(int task, int tasks) => System.IO.Path.Combine(PartsFolder, $"stats-{Of(task, tasks)}.json");

    public string IdsPart(int task, int tasks) => System.IO.Path.Combine(PartsFolder, $"ids-{Of(task, tasks)}.bin");

    public string SeedPart(int task, int tasks) => System.IO.Path.Combine(PartsFolder, $"seed-{Of(task, tasks)}.bin");

    public string DoneMarker(int task) => Marker(task, "done");

    public string StartedMarker(int task) => Marker(task, "started");

    public string FailedMarker(int task) => Marker(task, "failed");

    public string ProgressFile(int task) => Marker(task, "progress");

    public string Log(int task) => System.IO.Path.Combine(LogsFolder, $"task-{Index(task)}.log");

    public bool IsDone(int task) => File.Exists(DoneMarker(task));

    /// <summary>The files of task <paramref name="task"/> in <paramref name="step"/>.</summary>
    public StepFiles TaskFiles(ShardStep step, int task, int tasks)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.IsFinal)
        {
            return new StepFiles(DataPart(task, tasks), StatsPart(task, tasks), DoneMarker(task), StartedMarker(task), FailedMarker(task), ProgressFile(task), Log(task));
        }

        var name = $"{StepName(step.Index)}-{Index(task)}";
        return new StepFiles(
            EnvelopesPart(step.Index, task, tasks),
            System.IO.Path.Combine(StepFolder(step.Index), $"stats-{Of(task, tasks)}.json"),
            System.IO.Path.Combine(MarkersFolder, name + ".done"),
            System.IO.Path.Combine(MarkersFolder, name + ".started"),
            System.IO.Path.Combine(MarkersFolder, name + ".failed"),
            System.IO.Path.Combine(MarkersFolder, name + ".progress"),
            System.IO.Path.Combine(LogsFolder, $"{StepName(step.Index)}-task-{Index(task)}.log"));
    }

    /// <summary>The files of a gather step: its output is one envelopes part per shard (<see cref="EnvelopesPart"/>).</summary>
    public StepFiles GatherFiles(int step)
    {
        var name = StepName(step);
        return new StepFiles(
            StepFolder(step),
            System.IO.Path.Combine(StepFolder(step), "stats.json"),
            System.IO.Path.Combine(MarkersFolder, name + ".done"),
            System.IO.Path.Combine(MarkersFolder, name + ".started"),
            System.IO.Path.Combine(MarkersFolder, name + ".failed"),
            System.IO.Path.Combine(MarkersFolder, name + ".progress"),
            System.IO.Path.Combine(LogsFolder, name + ".log"));
    }

    /// <summary>What step <paramref name="step"/> handed on for shard <paramref name="shard"/>: every envelope, kept or rejected, in input order.</summary>
    public string EnvelopesPart(int step, int shard, int tasks) => System.IO.Path.Combine(StepFolder(step), $"envelopes-{Of(shard, tasks)}.bin");

    /// <summary>What collecting stage <paramref name="stage"/> (review-export) kept of task <paramref name="task"/>'s shard in step <paramref name="step"/>, for the merge to finish it.</summary>
    public string CollectedPart(int step, string stage, int task, int tasks) => System.IO.Path.Combine(StepFolder(step), $"{stage}-{Of(task, tasks)}.bin");

    /// <summary>Where a gather step keeps the files its stages wrote until the merge copies them to their places.</summary>
    public string GatheredFilesFolder(int step) => System.IO.Path.Combine(StepFolder(step), "files");

    public string StepFolder(int step) => System.IO.Path.Combine(PartsFolder, StepName(step));

    public static string StepName(int step) => "step-" + step.ToString("D2", CultureInfo.InvariantCulture);

    public void Create()
    {
        Directory.CreateDirectory(PartsFolder);
        Directory.CreateDirectory(MarkersFolder);
        Directory.CreateDirectory(LogsFolder);
    }

    private string Marker(int task, string kind) => System.IO.Path.Combine(MarkersFolder, $"{Index(task)}.{kind}");

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    private static string Of(int task, int tasks) => $"{Index(task)}-of-{Index(tasks)}";

    private static string Index(int value) => value.ToString("D5", CultureInfo.InvariantCulture);
}
