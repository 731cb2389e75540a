using System.Globalization;
using System.Text;
using Curation.Core;
using Curation.Core.Files;
using Curation.Pipeline.ScaleOut;
using Curation.Pipeline.Slurm;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// Runs a planned sharded run as Slurm jobs: one array per step of the tasks without a completion marker
/// (<c>curate shard-task WORKDIR INDEX --step K</c>), a one-task job per gather step (<c>curate shard-gather WORKDIR
/// --step K</c>), then the merge (<c>curate shard-merge WORKDIR</c>), each starting only once the one before succeeded
/// (<c>afterok</c>). Records the jobs in the work folder; returns at once, or follows them.
/// </summary>
internal sealed class SlurmExecutor(SlurmClient client, WorkDirectory work, TextWriter output, TextWriter error, TimeSpan pollInterval)
{
    // What a job waits for when a job it depends on failed: it will never start.
    private const string NeverStarts = "DependencyNeverSatisfied";

    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Submits the steps; with <paramref name="wait"/>, follows them and returns the run's exit code.</summary>
    /// <param name="workers">Each task's and the merge's workers, passed on as <c>--workers</c>; null leaves it to the task (the pipeline's or its default).</param>
    public async Task<int> RunAsync(
        string runName, ShardPlan plan, IReadOnlyList<ShardStep> steps, IReadOnlyList<PendingStep> pendingSteps, SlurmResources resources, int? workers, bool wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(pendingSteps);
        var record = SlurmJobsRecord.Load(work);
        await RefuseWhileQueuedAsync(client, work, record, cancellationToken);

        var jobName = JobName(runName);
        var workerArguments = workers is { } count ? new[] { "--workers", count.ToString(CultureInfo.InvariantCulture) } : [];
        work.Create();
        File.Delete(work.MergeExitFile);
        var final = steps[^1];
        var pending = pendingSteps.FirstOrDefault(step => step.Step.IsFinal)?.Tasks ?? [];
        var stepJobs = new List<SlurmStepJob>();
        string? tasksJob = null;
        string mergeJob;
        try
        {
            foreach (var step in pendingSteps.Where(step => !step.Step.IsFinal))
            {
                var gather = step.Step.IsSingle;
                var name = $"{jobName}-{WorkDirectory.StepName(step.Step.Index)}";
                var job = await client.SubmitArrayAsync(
                    new SlurmArrayRequest
                    {
                        JobName = name,
                        Indices = step.Tasks,
                        Command = gather
                            ? [.. CurateSelf.Command(), ShardGatherCommand.Name, work.Path, .. StepArgument(step.Step), .. workerArguments]
                            : [.. CurateSelf.Command(), ShardTaskCommand.Name, work.Path, .. StepArgument(step.Step), .. workerArguments],
                        AppendTaskIndex = !gather,
                        LogDirectory = work.LogsFolder,
                        WorkingDirectory = plan.WorkingDirectory,
                        AfterOk = stepJobs.Count > 0 ? [stepJobs[^1].Job] : [],
                        Resources = resources,
                    },
                    stepJobs.Count == 0 ? cancellationToken : CancellationToken.None);
                stepJobs.Add(new SlurmStepJob(step.Step.Index, gather, job, name, step.Tasks));
            }

            if (pending.Count > 0)
            {
                tasksJob = await client.SubmitArrayAsync(
                    new SlurmArrayRequest
                    {
                        JobName = jobName + "-tasks",
                        Indices = pending,
                        Command = [.. CurateSelf.Command(), ShardTaskCommand.Name, work.Path, .. StepArgument(final), .. workerArguments],
                        LogDirectory = work.LogsFolder,
                        WorkingDirectory = plan.WorkingDirectory,
                        AfterOk = stepJobs.Count > 0 ? [stepJobs[^1].Job] : [],
                        Resources = resources,
                    },
                    stepJobs.Count == 0 ? cancellationToken : CancellationToken.None);
            }

            mergeJob = await client.SubmitArrayAsync(
                new SlurmArrayRequest
                {
                    JobName = jobName + "-merge",
                    Indices = [0],
                    Command = [.. CurateSelf.Command(), ShardMergeCommand.Name, work.Path, .. workerArguments],
                    AppendTaskIndex = false,
                    LogDirectory = work.LogsFolder,
                    WorkingDirectory = plan.WorkingDirectory,
                    AfterOk = tasksJob is not null ? [tasksJob] : stepJobs.Count > 0 ? [stepJobs[^1].Job] : [],
                    Resources = resources,
                },
                CancellationToken.None);
        }
        catch (CurationException)
        {
            // Steps without their merge would finish into a folder nobody merges: take them back.
            foreach (var job in stepJobs.Select(step => step.Job).Append(tasksJob).OfType<string>())
            {
                await client.CancelAsync(job, null, CancellationToken.None);
            }

            throw;
        }

        var submission = new SlurmSubmission(tasksJob, jobName + "-tasks", pending, mergeJob, jobName + "-merge") { Steps = stepJobs };
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

        var earlierFailed = false;
        foreach (var job in previous.JobIds)
        {
            var states = await client.ReadTasksAsync(job, cancellationToken);
            var unfinished = states.Where(state => !state.IsFinished).ToList();
            if (unfinished.Count > 0 && (earlierFailed || unfinished.All(state => state.Reason == NeverStarts)))
            {
                // A job after one that failed: Slurm cancels it on its next pass over the queue; no need to wait for that.
                await client.CancelAsync(job, null, cancellationToken);
            }
            else if (unfinished.Count > 0)
            {
                throw new CurationException(
                    $"{DisplayPath.For(work.Path)}: Slurm job {job} of an earlier submission of this run is still queued or running; "
                    + $"follow it with: curate status {DisplayPath.For(work.Path)}; or cancel it with: scancel {string.Join(' ', previous.JobIds)}");
            }

            earlierFailed |= unfinished.Count == 0 && states.Any(state => state.State != SlurmTaskState.Completed);
        }
    }

    private static string[] StepArgument(ShardStep step) => ["--step", step.Index.ToString(CultureInfo.InvariantCulture)];

    private async Task ReportSubmittedAsync(SlurmSubmission submission, ShardPlan plan)
    {
        var folder = DisplayPath.For(work.Path);
        foreach (var step in submission.Steps)
        {
            await output.WriteLineAsync(step.Gather
                ? $"step {step.Step}: Slurm job {step.Job} (one task: stages that need every record)"
                : $"step {step.Step}: Slurm job {step.Job} ({step.Tasks.Count} of {plan.Tasks} tasks, --array={SlurmClient.ArraySpec(step.Tasks)})");
        }

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
        taskLogs = string.Concat(submission.Steps.Select(step => $"{DisplayPath.For(work.LogsFolder)}/{step.JobName}-{step.Job}_{(step.Gather ? "0" : "INDEX")}.log, ")) + taskLogs;
        await output.WriteLineAsync($"logs:   {taskLogs}{DisplayPath.For(submission.MergeLog(work))}");
        await output.WriteLineAsync($"follow: curate status {folder}    squeue --jobs={string.Join(',', submission.JobIds)}");
        await output.WriteLineAsync($"cancel: scancel {string.Join(' ', submission.JobIds)}");
    }

    private async Task<int> WaitAsync(SlurmSubmission submission, ShardPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var step in submission.Steps)
            {
                var what = step.Gather ? $"step {step.Step} (job {step.Job})" : $"step {step.Step} tasks (job {step.Job})";
                var states = await client.WaitAsync(step.Job, pollInterval, new StepProgress(error, what).Report, cancellationToken);
                var failedTasks = states.Where(task => task.State != SlurmTaskState.Completed).ToList();
                if (failedTasks.Count > 0)
                {
                    foreach (var task in failedTasks)
                    {
                        var files = step.Gather ? work.GatherFiles(step.Step) : work.TaskFiles(new ShardStep(step.Step, ShardStepKind.Tasks, [], IsFinal: false), task.Index, plan.Tasks);
                        var name = step.Gather ? $"step {step.Step}" : $"task {task.Index} of step {step.Step}";
                        var stepLog = DisplayPath.For(step.Log(work, task.Index));
                        await error.WriteLineAsync(File.Exists(files.Failed)
                            ? $"curate: {name} failed: {File.ReadAllText(files.Failed).Trim()} (Slurm {task.TaskId} {task.SlurmState}; log: {stepLog})"
                            : $"curate: {name} failed: Slurm {task.TaskId} ended {task.SlurmState} (log: {stepLog})");
                    }

                    foreach (var later in submission.JobIds.SkipWhile(job => job != step.Job).Skip(1))
                    {
                        await CancelQuietlyAsync(later);
                    }

                    await error.WriteLineAsync($"curate: run failed: step {step.Step} failed, so the jobs after it are cancelled; run the same command again to rerun only what is left");
                    return ExitCodes.RunFailed;
                }
            }

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
