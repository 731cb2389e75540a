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

/// <summary>A sharded run's state, read from its work folder: each task, and the stage counts of the completed ones.</summary>
internal sealed record WorkStatus(ShardPlan Plan, IReadOnlyList<TaskStatus> Tasks, IReadOnlyList<StageTotals> Stages)
{
    public int Count(TaskState state) => Tasks.Count(task => task.State == state);

    /// <exception cref="Core.CurationException">The folder holds no plan, or a completed task's stats cannot be read.</exception>
    public static WorkStatus Read(WorkDirectory work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var plan = ShardPlan.Load(work.PlanFile);
        var tasks = new List<TaskStatus>(plan.Tasks);
        var totals = new List<(string Stage, long Input, long Kept, long Rejected)>();
        for (var task = 0; task < plan.Tasks; task++)
        {
            if (work.IsDone(task))
            {
                var stats = TaskStats.Load(work.StatsPart(task, plan.Tasks));
                for (var s = 0; s < stats.Stages.Count; s++)
                {
                    var stage = stats.Stages[s];
                    if (s == totals.Count)
                    {
                        totals.Add((stage.Stage, 0, 0, 0));
                    }

                    var (name, input, kept, rejected) = totals[s];
                    totals[s] = (name, input + stage.Input, kept + stage.Kept, rejected + stage.Rejected);
                }

                tasks.Add(new TaskStatus(task, TaskState.Done, null, stats.Stages.Count > 0 ? stats.Stages[0].Input : 0, stats.RecordsWritten, stats.RejectsWritten));
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

        return new WorkStatus(plan, tasks, [.. totals.Select(total => new StageTotals(total.Stage, total.Input, total.Kept, total.Rejected))]);
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
