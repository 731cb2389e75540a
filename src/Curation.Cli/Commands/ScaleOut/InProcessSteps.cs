using Curation.Cli.Commands.Run;
using Curation.Core.Runtime;
using Curation.Pipeline;
using Curation.Pipeline.ScaleOut;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>Tasks a cluster job runs in its own process rather than as jobs of their own: reruns of the first step's tasks that reused earlier shards' ids.</summary>
internal static class InProcessSteps
{
    /// <summary>Settles ids reused across shards, rerunning those tasks of step 0 here; null when settled, else the exit code.</summary>
    public static Task<int?> SettleIdsAsync(WorkDirectory work, ShardPlan plan, int workers, TextWriter error, CancellationToken cancellationToken)
    {
        var (_, prepared) = ShardTask.Load(work, 0, StageCatalog.Create(), RunHandler.ToolVersion);
        var first = ShardSteps.Of(prepared)[0];
        return ShardedRunHandler.SettleIdsAsync(work, plan, first, (tasks, token) => RunFirstStepAsync(work, plan, tasks, workers, error, token), error, cancellationToken);
    }

    private static async Task<int?> RunFirstStepAsync(WorkDirectory work, ShardPlan plan, IReadOnlyList<int> tasks, int workers, TextWriter error, CancellationToken cancellationToken)
    {
        foreach (var task in tasks)
        {
            // Stages gather figures as they run, so each task gets stages of its own.
            var (_, fresh) = ShardTask.Load(work, task, StageCatalog.Create(), RunHandler.ToolVersion);
            var options = new RunOptions { Seed = fresh.Definition.Seed, Workers = workers, FailFast = plan.FailFast };
            if (await ShardTask.RunAsync(work, plan, fresh, ShardSteps.Of(fresh)[0], task, options, observer: null, TimeProvider.System, cancellationToken) is { } failure)
            {
                await error.WriteLineAsync($"curate: task {task} failed: {failure}");
                return cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.RunFailed;
            }
        }

        return null;
    }
}
