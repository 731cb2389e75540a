using System.CommandLine;
using Curation.Cli.Commands.Run;

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
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return new ShardedRunHandler(new RunHandler(output, error), error)
                .MergeAsync(parseResult.GetRequiredValue(workDir), parseResult.GetValue(CommonOptions.Workers), cancellationToken);
        });
        return command;
    }
}
