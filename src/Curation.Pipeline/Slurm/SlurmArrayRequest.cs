namespace Curation.Pipeline.Slurm;

/// <summary>
/// One job array to submit: the same command for every task index, the index appended as its last argument
/// (<c>curate shard-task WORKDIR</c> runs as <c>curate shard-task WORKDIR 3</c> in task 3).
/// </summary>
internal sealed record SlurmArrayRequest
{
    /// <summary>The job's name in <c>squeue</c> and the first part of each task's log file name.</summary>
    public required string JobName { get; init; }

    /// <summary>The task indices to run: 0 to N-1 for a step, or just those to relaunch.</summary>
    public required IReadOnlyList<int> Indices { get; init; }

    /// <summary>Program and arguments, run without a shell on the compute node; the task index is appended.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Folder of the per-task logs, <c>NAME-JOBID_INDEX.log</c> (standard output and error together); it must exist and be on a filesystem the compute nodes share.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>Where the tasks start (<c>--chdir</c>); the submitting process's folder when unset.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Jobs (arrays) whose every task must have succeeded before any task of this one starts.</summary>
    public IReadOnlyList<string> AfterOk { get; init; } = [];

    public SlurmResources Resources { get; init; } = new();

    /// <summary>Whether the task index is appended to <see cref="Command"/>; a one-task step that needs no index (the merge) leaves it off.</summary>
    public bool AppendTaskIndex { get; init; } = true;

    /// <summary>The indices 0 to <paramref name="count"/>-1.</summary>
    public static IReadOnlyList<int> AllTasks(int count) => Enumerable.Range(0, count).ToArray();
}
