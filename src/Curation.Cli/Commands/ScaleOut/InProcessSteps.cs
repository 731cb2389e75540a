using Curation.Cli.Commands.Run;
using Curation.Core.Runtime;
using Curation.Pipeline;
using Curation.Pipeline.ScaleOut;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// Tasks a cluster job runs in its own process rather than as jobs of their own: reruns of the first step's tasks that
/// reused earlier shards' ids, and then of the near-dedup pairs steps that read their fingerprints before they were settled.
/// </summary>
internal static class InProcessSteps
{
    /// <summary>
    /// Settles ids reused across shards, rerunning those tasks of step 0 here; when it reran any, the pairs steps before
    /// step <paramref name="beforeStep"/> are rerun here too, as their pairs came from the fingerprints the reruns replaced.
    /// Null when settled, else the exit code.
    /// </summary>
    public static async Task<int?> SettleIdsAsync(WorkDirectory work, ShardPlan plan, int beforeStep, int workers, TextWriter error, CancellationToken cancellationToken)
    {
        var (_, prepared) = ShardTask.Load(work, 0, StageCatalog.Create(), RunHandler.ToolVersion);
        var steps = ShardSteps.Of(prepared);
        var reran = false;
        Task<int?> RunFirstStep(IReadOnlyList<int> tasks, CancellationToken token)
        {
            reran = true;
            return RunStepAsync(work, plan, 0, tasks, workers, error, token);
        }

        if (await ShardedRunHandler.SettleIdsAsync(work, plan, steps[0], RunFirstStep, error, cancellationToken) is { } failed)
        {
            return failed;
        }

        foreach (var pairs in steps.Where(step => reran && step.Kind == ShardStepKind.Pairs && step.Index < beforeStep))
        {
            await error.WriteLineAsync($"curate: running step {pairs.Index} ({pairs.Describe()}) again over the settled shards");
            if (await RunStepAsync(work, plan, pairs.Index, [.. Enumerable.Range(0, plan.Tasks)], workers, error, cancellationToken) is { } stopped)
            {
                return stopped;
            }
        }

        return null;
    }

    private static async Task<int?> RunStepAsync(WorkDirectory work, ShardPlan plan, int step, IReadOnlyList<int> tasks, int workers, TextWriter error, CancellationToken cancellationToken)
    {
        foreach (var task in tasks)
        {
            // Stages gather figures as they run, so each task gets stages of its own.
            var (_, fresh) = ShardTask.Load(work, task, StageCatalog.Create(), RunHandler.ToolVersion);
            var options = new RunOptions { Seed = fresh.Definition.Seed, Workers = workers, FailFast = plan.FailFast };
            if (await ShardTask.RunAsync(work, plan, fresh, ShardSteps.Of(fresh)[step], task, options, observer: null, TimeProvider.System, cancellationToken) is { } failure)
            {
                await error.WriteLineAsync($"curate: task {task}{(step > 0 ? $" of step {step}" : string.Empty)} failed: {failure}");
                return cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.RunFailed;
            }
        }

        return null;
    }
}
