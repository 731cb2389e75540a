namespace Curation.Pipeline.Slurm;

/// <summary>Where one task of a job array stands, as Slurm reports it.</summary>
/// <param name="JobId">The array's job id (what <c>sbatch</c> returned).</param>
/// <param name="Index">The task index.</param>
/// <param name="SlurmState">Slurm's own word for it (<c>PENDING</c>, <c>OUT_OF_MEMORY</c>, ...), for messages.</param>
/// <param name="Reason">Why a task is pending or failed (<c>Dependency</c>, <c>PartitionConfig</c>), where Slurm says; empty otherwise.</param>
internal sealed record SlurmTaskStatus(string JobId, int Index, SlurmTaskState State, string SlurmState, string Reason)
{
    public bool IsFinished => State is not (SlurmTaskState.Pending or SlurmTaskState.Running or SlurmTaskState.Suspended);

    /// <summary>The <c>JOBID_INDEX</c> form scancel and the log file names use.</summary>
    public string TaskId => $"{JobId}_{Index}";
}

internal enum SlurmTaskState
{
    Pending,
    Running,
    Suspended,
    Completed,
    Failed,
    Cancelled,
    TimedOut,
    OutOfMemory,
    NodeFailed,
    Preempted,
}

internal static class SlurmStates
{
    /// <summary>Slurm's long state name (squeue %T, sacct State; "CANCELLED by 0" counts as CANCELLED) as a state.</summary>
    public static SlurmTaskState Parse(string slurmState)
    {
        var word = slurmState.Split(' ', 2)[0].TrimEnd('+');
        return word switch
        {
            "PENDING" or "REQUEUED" or "REQUEUE_FED" or "REQUEUE_HOLD" or "RESV_DEL_HOLD" or "CONFIGURING" => SlurmTaskState.Pending,
            "RUNNING" or "COMPLETING" or "RESIZING" or "SIGNALING" or "STAGE_OUT" => SlurmTaskState.Running,
            "SUSPENDED" or "STOPPED" => SlurmTaskState.Suspended,
            "COMPLETED" => SlurmTaskState.Completed,
            "CANCELLED" or "REVOKED" => SlurmTaskState.Cancelled,
            "TIMEOUT" or "DEADLINE" => SlurmTaskState.TimedOut,
            "OUT_OF_MEMORY" => SlurmTaskState.OutOfMemory,
            "NODE_FAIL" or "BOOT_FAIL" => SlurmTaskState.NodeFailed,
            "PREEMPTED" => SlurmTaskState.Preempted,
            "FAILED" or "SPECIAL_EXIT" => SlurmTaskState.Failed,
            _ => throw new FormatException($"unknown Slurm job state '{slurmState}'"),
        };
    }
}
