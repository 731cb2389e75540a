namespace Curation.Pipeline.ScaleOut;

/// <summary>Where one task stands, from its markers.</summary>
internal enum TaskState
{
    Pending,
    Running,
    Failed,
    Done,
}

/// <summary>One task's state, its error when it failed, and its records so far (from its stats when done, else its progress file).</summary>
internal sealed record TaskStatus(int Task, TaskState State, string? Error, long? Read, long? Written, long? Rejected);

/// <summary>A stage's counts added up over the tasks that are done.</summary>
internal sealed record StageTotals(string Stage, long Input, long Kept, long Rejected);

/// <summary>A step before the last of a run with stages that need every record: how many of its tasks are done or failed (a gather step has one).</summary>
internal sealed record StepStatus(int Step, bool Gather, IReadOnlyList<string> Stages, int Tasks, int Done, int Failed);

/// <summary>
/// A sharded run's state, read from its work folder: the steps before the last, each task of the last step, and the
/// stage counts of the completed tasks and steps.
/// </summary>
internal sealed record WorkStatus(ShardPlan Plan, IReadOnlyList<TaskStatus> Tasks, IReadOnlyList<StageTotals> Stages)
{
    public IReadOnlyList<StepStatus> EarlierSteps { get; init; } = [];

    public int Count(TaskState state) => Tasks.Count(task => task.State == state);

    /// <exception cref="Core.CurationException">The folder holds no plan, or a completed task's stats cannot be read.</exception>
    public static WorkStatus Read(WorkDirectory work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var plan = ShardPlan.Load(work.PlanFile);
        var tasks = new List<TaskStatus>(plan.Tasks);
        var totals = new List<(string Stage, long Input, long Kept, long Rejected)>();
        void AddUp(TaskStats stats)
        {
            foreach (var stage in stats.Stages)
            {
                var s = totals.FindIndex(total => total.Stage == stage.Stage);
                if (s < 0)
                {
                    s = totals.Count;
                    totals.Add((stage.Stage, 0, 0, 0));
                }

                var (name, input, kept, rejected) = totals[s];
                totals[s] = (name, input + stage.Input, kept + stage.Kept, rejected + stage.Rejected);
            }
        }

        var planned = plan.Steps ?? [];
        var earlier = new List<StepStatus>();
        for (var s = 0; s < planned.Count - 1; s++)
        {
            var step = new ShardStep(s, planned[s].Gather ? ShardStepKind.Gather : ShardStepKind.Tasks, [], IsFinal: false);
            var files = planned[s].Gather ? [work.GatherFiles(s)] : Enumerable.Range(0, plan.Tasks).Select(task => work.TaskFiles(step, task, plan.Tasks)).ToList();
            foreach (var done in files.Where(file => file.IsDone))
            {
                AddUp(TaskStats.Load(done.Stats));
            }

            earlier.Add(new StepStatus(s, planned[s].Gather, planned[s].Stages, files.Count, files.Count(file => file.IsDone), files.Count(file => !file.IsDone && File.Exists(file.Failed))));
        }

        for (var task = 0; task < plan.Tasks; task++)
        {
            if (work.IsDone(task))
            {
                var stats = TaskStats.Load(work.StatsPart(task, plan.Tasks));
                AddUp(stats);
                var read = earlier.Count > 0 ? (long?)null : stats.Stages.Count > 0 ? stats.Stages[0].Input : 0;
                tasks.Add(new TaskStatus(task, TaskState.Done, null, read, stats.RecordsWritten, stats.RejectsWritten));
                continue;
            }

            var progress = ProgressFileObserver.Read(work.ProgressFile(task));
            if (File.Exists(work.FailedMarker(task)))
            {
                tasks.Add(new TaskStatus(task, TaskState.Failed, File.ReadAllText(work.FailedMarker(task)).Trim(), progress?.Read, progress?.Written, progress?.Rejected));
            }
            else if (File.Exists(work.StartedMarker(task)))
            {
                var gone = Gone(work.StartedMarker(task));
                tasks.Add(new TaskStatus(task, gone is null ? TaskState.Running : TaskState.Failed, gone, progress?.Read, progress?.Written, progress?.Rejected));
            }
            else
            {
                tasks.Add(new TaskStatus(task, TaskState.Pending, null, null, null, null));
            }
        }

        return new WorkStatus(plan, tasks, [.. totals.Select(total => new StageTotals(total.Stage, total.Input, total.Kept, total.Rejected))]) { EarlierSteps = earlier };
    }

    /// <summary>Why a task that started on this machine is not running any more (its process is gone), or null.</summary>
    private static string? Gone(string startedMarker)
    {
        var parts = File.ReadAllText(startedMarker).Split(' ', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited ? $"stopped without finishing (process {pid} is gone)" : null;
        }
        catch (ArgumentException)
        {
            return $"stopped without finishing (process {pid} is gone)";
        }
    }
}
