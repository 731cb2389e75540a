using System.CommandLine;
using System.Globalization;
using Curation.Cli.Commands.Run;
using Curation.Cli.Console;
using Curation.Core;
using Curation.Core.Runtime;
using Curation.Pipeline;
using Curation.Pipeline.ScaleOut;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// <c>curate shard-task WORKDIR [INDEX] [--step K]</c> (hidden): runs one task of a step of a sharded run (step 0 by
/// default), as the local executor and cluster job arrays call it. INDEX counts from 0; without it,
/// <c>SLURM_ARRAY_TASK_ID</c> names the task.
/// Exit 0 when the task's parts and completion marker are written.
/// </summary>
internal static class ShardTaskCommand
{
    public const string Name = "shard-task";
    public const string ArrayTaskVariable = "SLURM_ARRAY_TASK_ID";

    /// <summary>
    /// For tests only: <c>INDEX:FILE</c> holds task INDEX, once started, until FILE exists, so that a test can cancel
    /// a task while it runs whatever the machine's speed.
    /// </summary>
    public const string TestHoldVariable = "CURATION_TEST_HOLD_TASK";

    /// <summary>The step of a sharded run a hidden step command runs (<see cref="ShardSteps"/>).</summary>
    public static Option<int> StepOption() => new("--step") { Description = "The step of the run, from 0.", DefaultValueFactory = _ => 0 };

    public static Command Create()
    {
        var step = StepOption();
        var workDir = new Argument<string>("work-dir") { Description = "The run's work folder (holds plan.json)." };
        var index = new Argument<int?>("index") { Description = $"The task, from 0 (default: ${ArrayTaskVariable}).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(Name, "Run one task of a sharded run (called by the executors).")
        {
            workDir,
            index,
            step,
            CommonOptions.Workers,
        };
        command.Hidden = true;
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(workDir),
            parseResult.GetValue(index),
            parseResult.GetValue(step),
            parseResult.GetValue(CommonOptions.Workers),
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string workDir, int? index, int stepIndex, int? workers, TextWriter error, CancellationToken cancellationToken)
    {
        var task = index ?? (int.TryParse(Environment.GetEnvironmentVariable(ArrayTaskVariable), CultureInfo.InvariantCulture, out var fromArray) ? fromArray : -1);
        if (task < 0)
        {
            await error.WriteLineAsync($"curate: {Name}: give the task index, or run it as an array task (${ArrayTaskVariable})");
            return ExitCodes.UsageOrConfig;
        }

        var work = new WorkDirectory(workDir);
        ShardPlan plan;
        PreparedPipeline prepared;
        ShardStep step;
        try
        {
            // Source paths in rejects are relative to the folder the run was started from.
            Directory.SetCurrentDirectory(ShardPlan.Load(work.PlanFile).WorkingDirectory);
            (plan, prepared) = ShardTask.Load(work, task, StageCatalog.Create(), RunHandler.ToolVersion);
            step = ShardTask.TaskStep(prepared, stepIndex);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: task {task}: {ex.Message}");
            return ExitCodes.UsageOrConfig;
        }

        var options = new RunOptions
        {
            Seed = prepared.Definition.Seed,
            Workers = WorkerCount.Resolve(workers, prepared.Definition.Workers),
            FailFast = plan.FailFast,
        };
        await error.WriteLineAsync(step.Index == 0
            ? $"curate: task {task} of {plan.Tasks}, step 0 ({step.Describe()}): {plan.Shards[task].Pieces.Count} pieces, {options.Workers} workers"
            : $"curate: task {task} of {plan.Tasks}, step {step.Index} ({step.Describe()}): {options.Workers} workers");
        await HoldForTestAsync(task, error, cancellationToken);
        var files = work.TaskFiles(step, task, plan.Tasks);
        var observer = new ProgressFileObserver(files.Progress, new PlainProgress(error, TimeSpan.FromSeconds(10)));
        var failure = await ShardTask.RunAsync(work, plan, prepared, step, task, options, observer, TimeProvider.System, cancellationToken);
        if (failure is not null)
        {
            await error.WriteLineAsync($"curate: task {task} failed: {failure}");
            return ExitCodes.RunFailed;
        }

        await error.WriteLineAsync($"curate: task {task} done");
        return ExitCodes.Ok;
    }

    private static async Task HoldForTestAsync(int task, TextWriter error, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(TestHoldVariable)?.Split(':', 2) is not [var index, var release]
            || index != task.ToString(CultureInfo.InvariantCulture))
        {
            return;
        }

        await error.WriteLineAsync($"curate: task {task}: held until {release} exists ({TestHoldVariable})");
        await error.FlushAsync(cancellationToken);
        while (!File.Exists(release))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
        }
    }
}
