using System.Globalization;
using System.Text;
using Curation.Core;
using Curation.Core.Files;
using Curation.Pipeline.ScaleOut;
using Curation.Pipeline.Slurm;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// Runs a planned sharded run as Slurm jobs: one array of the tasks without a completion marker
/// (<c>curate shard-task WORKDIR INDEX</c>), then the merge (<c>curate shard-merge WORKDIR</c>) as a one-task job
/// that starts only once every task succeeded. Records the jobs in the work folder; returns at once, or follows them.
/// </summary>
internal sealed class SlurmExecutor(SlurmClient client, WorkDirectory work, TextWriter output, TextWriter error, TimeSpan pollInterval)
{
    // What a job waits for when a job it depends on failed: it will never start.
    private const string NeverStarts = "DependencyNeverSatisfied";

    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Submits the steps; with <paramref name="wait"/>, follows them and returns the run's exit code.</summary>
    /// <param name="workers">Each task's and the merge's workers, passed on as <c>--workers</c>; null leaves it to the task (the pipeline's or its default).</param>
    public async Task<int> RunAsync(string runName, ShardPlan plan, IReadOnlyList<int> pending, SlurmResources resources, int? workers, bool wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(pending);
        var record = SlurmJobsRecord.Load(work);
        await RefuseWhileQueuedAsync(client, work, record, cancellationToken);

        var jobName = JobName(runName);
        var workerArguments = workers is { } count ? new[] { "--workers", count.ToString(CultureInfo.InvariantCulture) } : [];
        work.Create();
        File.Delete(work.MergeExitFile);
        string? tasksJob = null;
        if (pending.Count > 0)
        {
            tasksJob = await client.SubmitArrayAsync(
                new SlurmArrayRequest
                {
                    JobName = jobName + "-tasks",
                    Indices = pending,
                    Command = [.. CurateSelf.Command(), ShardTaskCommand.Name, work.Path, .. workerArguments],
                    LogDirectory = work.LogsFolder,
                    WorkingDirectory = plan.WorkingDirectory,
                    Resources = resources,
                },
                cancellationToken);
        }

        string mergeJob;
        try
        {
            mergeJob = await client.SubmitArrayAsync(
                new SlurmArrayRequest
                {
                    JobName = jobName + "-merge",
                    Indices = [0],
                    Command = [.. CurateSelf.Command(), ShardMergeCommand.Name, work.Path, .. workerArguments],
                    AppendTaskIndex = false,
                    LogDirectory = work.LogsFolder,
                    WorkingDirectory = plan.WorkingDirectory,
                    AfterOk = tasksJob is null ? [] : [tasksJob],
                    Resources = resources,
                },
                CancellationToken.None);
        }
        catch (CurationException)
        {
            // Tasks without their merge would finish into a folder nobody merges: take them back.
            if (tasksJob is not null)
            {
                await client.CancelAsync(tasksJob, null, CancellationToken.None);
            }

            throw;
        }

        var submission = new SlurmSubmission(tasksJob, jobName + "-tasks", pending, mergeJob, jobName + "-merge");
        record.With(submission).Save(work);
        await ReportSubmittedAsync(submission, plan);
        return wait ? await WaitAsync(submission, plan, cancellationToken) : ExitCodes.Ok;
    }

    /// <summary>sbatch's job name for a run: <c>curate-NAME</c>, NAME kept to letters, digits, '.', '_' and '-' (it is part of each log's file name).</summary>
    public static string JobName(string runName)
    {
        ArgumentNullException.ThrowIfNull(runName);
        var name = new StringBuilder("curate-");
        foreach (var c in runName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        return name.ToString();
    }

    /// <summary>Refuses to run any task of the run while a job of its latest Slurm submission is still pending or running: two copies of a task would write the same parts.</summary>
    /// <exception cref="CurationException">A job is still queued or running, or Slurm cannot be asked.</exception>
    public static async Task RefuseWhileQueuedAsync(SlurmClient client, WorkDirectory work, SlurmJobsRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(record);
        if (record.Latest is not { } previous)
        {
            return;
        }

        var tasksFailed = false;
        foreach (var job in previous.JobIds)
        {
            var states = await client.ReadTasksAsync(job, cancellationToken);
            var unfinished = states.Where(state => !state.IsFinished).ToList();
            if (job == previous.TasksJob)
            {
                tasksFailed = unfinished.Count == 0 && states.Any(state => state.State != SlurmTaskState.Completed);
            }

            if (unfinished.Count > 0 && ((job == previous.MergeJob && tasksFailed) || unfinished.All(state => state.Reason == NeverStarts)))
            {
                // A merge whose tasks failed: Slurm cancels it on its next pass over the queue; no need to wait for that.
                await client.CancelAsync(job, null, cancellationToken);
            }
            else if (unfinished.Count > 0)
            {
                throw new CurationException(
                    $"{DisplayPath.For(work.Path)}: Slurm job {job} of an earlier submission of this run is still queued or running; "
                    + $"follow it with: curate status {DisplayPath.For(work.Path)}; or cancel it with: scancel {string.Join(' ', previous.JobIds)}");
            }
        }
    }

    private async Task ReportSubmittedAsync(SlurmSubmission submission, ShardPlan plan)
    {
        var folder = DisplayPath.For(work.Path);
        if (submission.TasksJob is { } tasksJob)
        {
            await output.WriteLineAsync($"tasks: Slurm job {tasksJob} ({submission.Tasks.Count} of {plan.Tasks} tasks, --array={SlurmClient.ArraySpec(submission.Tasks)})");
            await output.WriteLineAsync($"merge: Slurm job {submission.MergeJob} (starts once every task of job {tasksJob} succeeded)");
        }
        else
        {
            await output.WriteLineAsync($"tasks: all {plan.Tasks} already done");
            await output.WriteLineAsync($"merge: Slurm job {submission.MergeJob}");
        }

        var taskLogs = submission.TasksJob is { } job ? $"{DisplayPath.For(work.LogsFolder)}/{submission.TasksJobName}-{job}_INDEX.log, " : string.Empty;
        await output.WriteLineAsync($"logs:   {taskLogs}{DisplayPath.For(submission.MergeLog(work))}");
        await output.WriteLineAsync($"follow: curate status {folder}    squeue --jobs={string.Join(',', submission.JobIds)}");
        await output.WriteLineAsync($"cancel: scancel {string.Join(' ', submission.JobIds)}");
    }

    private async Task<int> WaitAsync(SlurmSubmission submission, ShardPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            if (submission.TasksJob is { } tasksJob)
            {
                var progress = new StepProgress(error, $"tasks (job {tasksJob})");
                var tasks = await client.WaitAsync(tasksJob, pollInterval, progress.Report, cancellationToken);
                // Not the done markers: the merge may already be running, and it removes the marker of a task it reruns.
                var failed = tasks.Where(task => task.State != SlurmTaskState.Completed).ToList();
                if (failed.Count > 0)
                {
                    foreach (var task in failed)
                    {
                        var taskLog = DisplayPath.For(submission.TaskLog(work, task.Index));
                        await error.WriteLineAsync(File.Exists(work.FailedMarker(task.Index))
                            ? $"curate: task {task.Index} failed: {File.ReadAllText(work.FailedMarker(task.Index)).Trim()} (Slurm {task.TaskId} {task.SlurmState}; log: {taskLog})"
                            : $"curate: task {task.Index} failed: Slurm {task.TaskId} ended {task.SlurmState} (log: {taskLog})");
                    }

                    await CancelQuietlyAsync(submission.MergeJob);
                    await error.WriteLineAsync(
                        $"curate: run failed: {failed.Count} of {plan.Tasks} tasks failed, so the merge (job {submission.MergeJob}) is cancelled; run the same command again to rerun only those");
                    return ExitCodes.RunFailed;
                }
            }

            var merge = await client.WaitAsync(submission.MergeJob, pollInterval, new StepProgress(error, $"merge (job {submission.MergeJob})").Report, cancellationToken);
            var log = submission.MergeLog(work);
            if (File.Exists(log))
            {
                await output.WriteAsync(await File.ReadAllTextAsync(log, cancellationToken));
            }

            if (ReadMergeExit() is { } exitCode)
            {
                return exitCode;
            }

            await error.WriteLineAsync($"curate: run failed: the merge (Slurm {merge[0].TaskId}) ended {merge[0].SlurmState} without an exit status (log: {DisplayPath.For(log)})");
            return ExitCodes.RunFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync(
                $"curate: stopped waiting; the jobs go on: follow them with curate status {DisplayPath.For(work.Path)}, cancel them with scancel {string.Join(' ', submission.JobIds)}");
            return ExitCodes.Interrupted;
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.RunFailed;
        }
    }

    /// <summary>Cancels a job that Slurm would cancel by itself a little later (a merge whose tasks failed); one already gone is no error.</summary>
    private async Task CancelQuietlyAsync(string job)
    {
        try
        {
            await client.CancelAsync(job, null, CancellationToken.None);
        }
        catch (CurationException)
        {
            // Slurm has cancelled it already, or will.
        }
    }

    private int? ReadMergeExit() =>
        File.Exists(work.MergeExitFile) && int.TryParse(File.ReadAllText(work.MergeExitFile).Trim(), CultureInfo.InvariantCulture, out var exitCode) ? exitCode : null;

    /// <summary>One line per change of a step's counts: pending, running, done, failed.</summary>
    private sealed class StepProgress(TextWriter error, string step)
    {
        private string? _last;

        public void Report(IReadOnlyList<SlurmTaskStatus> tasks)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"curate: {step}: {Count(tasks, SlurmTaskState.Pending)} pending, {Count(tasks, SlurmTaskState.Running) + Count(tasks, SlurmTaskState.Suspended)} running, "
                + $"{Count(tasks, SlurmTaskState.Completed)} done, {tasks.Count(task => task.IsFinished && task.State != SlurmTaskState.Completed)} failed");
            if (line != _last)
            {
                error.WriteLine(line);
                _last = line;
            }
        }

        private static int Count(IReadOnlyList<SlurmTaskStatus> tasks, SlurmTaskState state) => tasks.Count(task => task.State == state);
    }
}
