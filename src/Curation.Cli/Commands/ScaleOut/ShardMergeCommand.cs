using System.CommandLine;
using System.Globalization;
using Curation.Cli.Commands.Run;
using Curation.Core;
using Curation.Core.Files;
using Curation.Pipeline.ScaleOut;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// <c>curate shard-merge WORKDIR</c> (hidden): the final step of a sharded run on its own, once every task has its
/// completion marker (a cluster executor's last job): merges the parts into the output folder and writes the
/// manifest, printing what <c>curate run</c> prints. Exit codes as for <c>run</c>.
/// </summary>
internal static class ShardMergeCommand
{
    public const string Name = "shard-merge";

    public static Command Create()
    {
        var workDir = new Argument<string>("work-dir") { Description = "The run's work folder (holds plan.json)." };
        var command = new Command(Name, "Merge the parts of a sharded run whose tasks are all done (called by the executors).")
        {
            workDir,
            CommonOptions.Workers,
        };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var folder = parseResult.GetRequiredValue(workDir);
            var exitCode = await new ShardedRunHandler(new RunHandler(output, error), output, error)
                .MergeAsync(folder, parseResult.GetValue(CommonOptions.Workers), cancellationToken);
            RecordExit(new WorkDirectory(folder), exitCode);
            return exitCode;
        });
        return command;
    }

    /// <summary>Leaves the exit status in the work folder, for the command that submitted the merge as a job and waits for it.</summary>
    private static void RecordExit(WorkDirectory work, int exitCode)
    {
        if (!Directory.Exists(work.MarkersFolder))
        {
            return;
        }

        try
        {
            AtomicFile.WriteAllText(work.MergeExitFile, exitCode.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        catch (CurationException)
        {
            // The job's own exit status still tells success from failure.
        }
    }
}
