using System.CommandLine;
using Curation.Core;
using Curation.Core.Files;
using Curation.Pipeline.ScaleOut;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary><c>curate status WORKDIR</c>: a sharded run's tasks (done, running, failed, pending) and its records so far per stage.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var workDir = new Argument<string>("work-dir") { Description = "The run's work folder (default of 'curate run --tasks': <output folder>.work)." };
        var command = new Command("status", "Show a sharded run's tasks and its records so far per stage.") { workDir };
        command.SetAction((parseResult, _) => PrintAsync(parseResult.GetRequiredValue(workDir), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> PrintAsync(string workDir, TextWriter output, TextWriter error)
    {
        var work = new WorkDirectory(workDir);
        WorkStatus status;
        try
        {
            status = WorkStatus.Read(work);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.UsageOrConfig;
        }

        await output.WriteLineAsync($"{DisplayPath.For(status.Plan.PipelineFile)}: {status.Plan.Tasks} tasks: "
            + $"{status.Count(TaskState.Done)} done, {status.Count(TaskState.Running)} running, {status.Count(TaskState.Failed)} failed, {status.Count(TaskState.Pending)} pending");
        await output.WriteLineAsync($"{"task",5}  {"state",-8} {"read",12} {"kept",12} {"rejected",12}");
        foreach (var task in status.Tasks)
        {
            await output.WriteLineAsync($"{task.Task,5}  {task.State.ToString().ToLowerInvariant(),-8} {Count(task.Read),12} {Count(task.Written),12} {Count(task.Rejected),12}"
                + (task.Error is null ? string.Empty : $"  {task.Error}"));
        }

        if (status.Stages.Count > 0)
        {
            await output.WriteLineAsync($"per stage, over the {status.Count(TaskState.Done)} tasks done:");
            await output.WriteLineAsync($"{"stage",-24} {"input",12} {"kept",12} {"rejected",12}");
            foreach (var stage in status.Stages)
            {
                await output.WriteLineAsync($"{stage.Stage,-24} {stage.Input,12} {stage.Kept,12} {stage.Rejected,12}");
            }
        }

        return status.Count(TaskState.Failed) > 0 ? ExitCodes.RunFailed : ExitCodes.Ok;
    }

    private static string Count(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
