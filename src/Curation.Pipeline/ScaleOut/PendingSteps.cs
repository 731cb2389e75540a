namespace Curation.Pipeline.ScaleOut;

/// <summary>A step with work left: the tasks to run (a gather step's one process counts as task 0).</summary>
internal sealed record PendingStep(ShardStep Step, IReadOnlyList<int> Tasks);

/// <summary>
/// What a run (or a relaunch) still has to run, in order: each step's tasks without a completion marker, for the steps
/// that a later step still needs. Steps are deterministic, so the parts of a completed step stay valid; a step whose
/// later steps are all done is not run again even when its own parts were removed.
/// </summary>
internal static class PendingSteps
{
    public static IReadOnlyList<PendingStep> Of(WorkDirectory work, ShardPlan plan, IReadOnlyList<ShardStep> steps)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        var pending = new List<PendingStep>();
        var laterNeeded = false;
        for (var s = steps.Count - 1; s >= 0; s--)
        {
            var step = steps[s];
            var left = step.IsSingle
                ? work.GatherFiles(step.Index).IsDone ? [] : new[] { 0 }
                : Enumerable.Range(0, plan.Tasks).Where(task => !work.TaskFiles(step, task, plan.Tasks).IsDone).ToArray();
            if (left.Length > 0 && (step.IsFinal || laterNeeded))
            {
                pending.Add(new PendingStep(step, left));
                laterNeeded = true;
            }
        }

        pending.Reverse();
        return pending;
    }
}
