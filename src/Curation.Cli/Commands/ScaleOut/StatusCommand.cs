using System.CommandLine;
using System.Globalization;
using Curation.Core;
using Curation.Core.Files;
using Curation.Pipeline.ScaleOut;
using Curation.Pipeline.Slurm;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// <c>curate status WORKDIR</c>: a sharded run's tasks (done, running, failed, pending) and its records so far per
/// stage; for a run submitted to Slurm, each unfinished task's job state and the log of each failed one.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var workDir = new Argument<string>("work-dir") { Description = "The run's work folder (default of 'curate run --tasks': <output folder>.work)." };
        var command = new Command("status", "Show a sharded run's tasks and its records so far per stage.") { workDir };
        command.SetAction((parseResult, cancellationToken) =>
            PrintAsync(parseResult.GetRequiredValue(workDir), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> PrintAsync(string workDir, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var work = new WorkDirectory(workDir);
        WorkStatus status;
        SlurmJobsRecord jobs;
        try
        {
            status = WorkStatus.Read(work);
            jobs = SlurmJobsRecord.Load(work);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.UsageOrConfig;
        }

        var slurm = await SlurmView.ReadAsync(status, jobs, cancellationToken);
        if (slurm.Problem is not null)
        {
            await error.WriteLineAsync($"curate: Slurm states not shown: {slurm.Problem}");
        }

        var tasks = slurm.Tasks;
        foreach (var step in status.EarlierSteps)
        {
            var stages = step.Stages.Count > 0 ? string.Join(", ", step.Stages) : "read";
            await output.WriteLineAsync(step.Gather
                ? $"step {step.Step} ({stages}, over all shards): {(step.Done == 1 ? "done" : step.Failed == 1 ? "failed" : "not done")}  log: {DisplayPath.For(work.GatherFiles(step.Step).Log)}"
                : $"step {step.Step} ({stages}): {step.Done} of {step.Tasks} tasks done, {step.Failed} failed");
        }

        if (status.EarlierSteps.Count > 0)
        {
            await output.WriteLineAsync($"step {status.EarlierSteps.Count} (the last; its tasks write the parts the merge joins):");
        }

        await output.WriteLineAsync($"{DisplayPath.For(status.Plan.PipelineFile)}: {status.Plan.Tasks} tasks: "
            + $"{Count(tasks, TaskState.Done)} done, {Count(tasks, TaskState.Running)} running, {Count(tasks, TaskState.Failed)} failed, {Count(tasks, TaskState.Pending)} pending");
        await output.WriteLineAsync($"{"task",5}  {"state",-8} {"read",12} {"kept",12} {"rejected",12}");
        foreach (var task in tasks)
        {
            var line = $"{task.Task,5}  {task.State.ToString().ToLowerInvariant(),-8} {Count(task.Read),12} {Count(task.Written),12} {Count(task.Rejected),12}";
            if (slurm.States.TryGetValue(task.Task, out var state))
            {
                line += $"  slurm {state.TaskId} {state.SlurmState}{(state.Reason.Length > 0 ? $" ({state.Reason})" : string.Empty)}";
            }

            line += task.Error is null ? string.Empty : $"  {task.Error}";
            if (task.State == TaskState.Failed && jobs.LatestFor(task.Task) is { } submission)
            {
                line += $"  log: {DisplayPath.For(submission.TaskLog(work, task.Task))}";
            }

            await output.WriteLineAsync(line);
        }

        if (jobs.Latest is { } latest)
        {
            // Slurm forgets finished jobs after a while (MinJobAge) where it keeps no accounting; the exit status stays.
            var state = slurm.Merge is { } merge ? $" {merge.SlurmState}{(merge.Reason.Length > 0 ? $" ({merge.Reason})" : string.Empty)}" : string.Empty;
            var exit = File.Exists(work.MergeExitFile) ? $", exit status {File.ReadAllText(work.MergeExitFile).Trim()}" : string.Empty;
            await output.WriteLineAsync($"merge: slurm {latest.MergeJob}_0{state}{exit}  log: {DisplayPath.For(latest.MergeLog(work))}");
        }

        if (status.Stages.Count > 0)
        {
            await output.WriteLineAsync(status.EarlierSteps.Count > 0 ? "per stage, over the tasks and steps done:" : $"per stage, over the {status.Count(TaskState.Done)} tasks done:");
            await output.WriteLineAsync($"{"stage",-24} {"input",12} {"kept",12} {"rejected",12}");
            foreach (var stage in status.Stages)
            {
                await output.WriteLineAsync($"{stage.Stage,-24} {stage.Input,12} {stage.Kept,12} {stage.Rejected,12}");
            }
        }

        return Count(tasks, TaskState.Failed) > 0 || status.EarlierSteps.Any(step => step.Failed > 0) ? ExitCodes.RunFailed : ExitCodes.Ok;
    }

    private static int Count(IReadOnlyList<Pipeline.ScaleOut.TaskStatus> tasks, TaskState state) => tasks.Count(task => task.State == state);

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>
    /// The tasks as Slurm sees them, for a run submitted to Slurm: each unfinished task's state in its latest job, and
    /// the merge job's. A task whose job ended other than completed is failed (cancelled, timed out, out of memory)
    /// even where its own markers could not say so (its process was killed on another node).
    /// </summary>
    private sealed record SlurmView(IReadOnlyList<Pipeline.ScaleOut.TaskStatus> Tasks, IReadOnlyDictionary<int, SlurmTaskStatus> States, SlurmTaskStatus? Merge, string? Problem)
    {
        public static async Task<SlurmView> ReadAsync(WorkStatus status, SlurmJobsRecord jobs, CancellationToken cancellationToken)
        {
            if (jobs.Latest is null)
            {
                return new SlurmView(status.Tasks, new Dictionary<int, SlurmTaskStatus>(), null, null);
            }

            var client = new SlurmClient(ProcessCommandRunner.Instance, TimeProvider.System);
            var byJob = new Dictionary<string, IReadOnlyList<SlurmTaskStatus>>(StringComparer.Ordinal);
            async Task<IReadOnlyList<SlurmTaskStatus>> ReadJobAsync(string job)
            {
                if (!byJob.TryGetValue(job, out var states))
                {
                    states = await client.ReadTasksAsync(job, cancellationToken);
                    byJob[job] = states;
                }

                return states;
            }

            var tasks = new List<Pipeline.ScaleOut.TaskStatus>(status.Tasks.Count);
            var known = new Dictionary<int, SlurmTaskStatus>();
            SlurmTaskStatus? merge;
            try
            {
                foreach (var task in status.Tasks)
                {
                    var state = task.State != TaskState.Done && jobs.LatestFor(task.Task) is { TasksJob: { } job }
                        ? (await ReadJobAsync(job)).FirstOrDefault(s => s.Index == task.Task)
                        : null;
                    if (state is null)
                    {
                        tasks.Add(task);
                        continue;
                    }

                    known[task.Task] = state;
                    tasks.Add(state switch
                    {
                        { State: SlurmTaskState.Pending } => task with { State = TaskState.Pending, Error = null },
                        { State: SlurmTaskState.Running or SlurmTaskState.Suspended } => task with { State = TaskState.Running, Error = null },
                        { IsFinished: true, State: not SlurmTaskState.Completed } => task with { State = TaskState.Failed, Error = task.Error ?? "did not finish" },
                        _ => task,
                    });
                }

                var mergeStates = await ReadJobAsync(jobs.Latest.MergeJob);
                merge = mergeStates.Count > 0 ? mergeStates[0] : null;
            }
            catch (CurationException ex)
            {
                return new SlurmView(status.Tasks, new Dictionary<int, SlurmTaskStatus>(), null, ex.Message);
            }

            return new SlurmView(tasks, known, merge, null);
        }
    }
}
