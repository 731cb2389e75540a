using System.CommandLine;
using Curation.Cli.Commands.Run;
using Curation.Cli.Console;
using Curation.Core;
using Curation.Core.Runtime;
using Curation.Pipeline;
using Curation.Pipeline.ScaleOut;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// <c>curate shard-gather WORKDIR --step K</c> (hidden): runs a gather step of a sharded run, the stages that need
/// every record over every shard, once all tasks of the step before are done (a cluster executor's job between two
/// arrays). The first such step first settles ids reused across shards, rerunning those tasks of step 0 here (and a
/// near-dedup pairs step before it, whose tasks read fingerprints the reruns replaced).
/// Exit 0 when its parts and completion marker are written.
/// </summary>
internal static class ShardGatherCommand
{
    public const string Name = "shard-gather";

    public static Command Create()
    {
        var workDir = new Argument<string>("work-dir") { Description = "The run's work folder (holds plan.json)." };
        var step = ShardTaskCommand.StepOption();
        var command = new Command(Name, "Run a gather step of a sharded run (called by the executors).")
        {
            workDir,
            step,
            CommonOptions.Workers,
        };
        command.Hidden = true;
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(workDir),
            parseResult.GetValue(step),
            parseResult.GetValue(CommonOptions.Workers),
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string workDir, int stepIndex, int? workers, TextWriter error, CancellationToken cancellationToken)
    {
        var work = new WorkDirectory(workDir);
        ShardPlan plan;
        PreparedPipeline prepared;
        ShardStep step;
        try
        {
            Directory.SetCurrentDirectory(ShardPlan.Load(work.PlanFile).WorkingDirectory);
            (plan, prepared) = ShardTask.Load(work, 0, StageCatalog.Create(), RunHandler.ToolVersion);
            step = GatherStep.Find(prepared, stepIndex);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: step {stepIndex}: {ex.Message}");
            return ExitCodes.UsageOrConfig;
        }

        var perTask = WorkerCount.Resolve(workers, prepared.Definition.Workers);
        var firstSingle = ShardSteps.Of(prepared).First(single => single.IsSingle).Index;
        if (step.Index == firstSingle && await InProcessSteps.SettleIdsAsync(work, plan, step.Index, perTask, error, cancellationToken) is { } failed)
        {
            return failed;
        }

        var options = new RunOptions { Seed = prepared.Definition.Seed, Workers = perTask, FailFast = plan.FailFast };
        await error.WriteLineAsync($"curate: step {step.Index} ({step.Describe()}) over {plan.Tasks} shards, {options.Workers} workers");
        var observer = new ProgressFileObserver(work.GatherFiles(step.Index).Progress, new PlainProgress(error, TimeSpan.FromSeconds(10)));
        var failure = await GatherStep.RunAsync(work, plan, prepared, step, options, observer, TimeProvider.System, cancellationToken);
        if (failure is not null)
        {
            await error.WriteLineAsync($"curate: step {step.Index} failed: {failure}");
            return ExitCodes.RunFailed;
        }

        await error.WriteLineAsync($"curate: step {step.Index} done");
        return ExitCodes.Ok;
    }
}
