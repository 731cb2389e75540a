using System.CommandLine;
using Curation.Cli.Commands.ScaleOut;

namespace Curation.Cli.Commands.Run;

/// <summary><c>curate run PIPELINE.yaml</c>: runs a declarative pipeline.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var pipeline = new Argument<string>("pipeline") { Description = "The pipeline file (pipelines/*.yaml)." };
        var command = new Command("run", "Run a pipeline: read inputs, apply its stages, write the dataset, the rejects file and a manifest.")
        {
            pipeline,
            CommonOptions.Output,
            CommonOptions.Workers,
            CommonOptions.Seed,
            CommonOptions.FailFast,
            CommonOptions.Verbose,
        };
        foreach (var option in ScaleOutOptions.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => new RunHandler(parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error)
            .RunAsync(
                new RunRequest(
                    parseResult.GetRequiredValue(pipeline),
                    parseResult.GetValue(CommonOptions.Output),
                    parseResult.GetValue(CommonOptions.Workers),
                    parseResult.GetValue(CommonOptions.Seed),
                    parseResult.GetValue(CommonOptions.FailFast),
                    parseResult.GetValue(CommonOptions.Verbose),
                    parseResult.GetValue(ScaleOutOptions.Tasks) ?? (parseResult.GetResult(ScaleOutOptions.Executor) is { Implicit: false } ? 1 : null),
                    parseResult.GetValue(ScaleOutOptions.WorkDir),
                    parseResult.GetValue(ScaleOutOptions.Executor) ?? ScaleOutOptions.LocalExecutor,
                    parseResult.GetValue(ScaleOutOptions.Wait),
                    ScaleOutOptions.ResourcesFrom(parseResult)),
                cancellationToken));
        return command;
    }
}

/// <summary>What the user asked <c>curate run</c> for, after parsing.</summary>
/// <param name="Tasks">Shard tasks (<c>--tasks</c>); null runs the pipeline in this process.</param>
/// <param name="WorkDirectory">The sharded run's work folder (<c>--work-dir</c>); null: beside the output folder.</param>
/// <param name="Executor">Where the shard tasks run (<c>--executor</c>): local or slurm.</param>
/// <param name="Wait">With the Slurm executor, follow the jobs to the end (<c>--wait</c>).</param>
/// <param name="Resources">Slurm settings given as flags, laid over the pipeline's <c>executor:</c> section; null when none.</param>
internal sealed record RunRequest(
    string PipelineFile,
    string? OutputDirectory,
    int? Workers,
    long? Seed,
    bool FailFast,
    bool Verbose,
    int? Tasks = null,
    string? WorkDirectory = null,
    string Executor = ScaleOutOptions.LocalExecutor,
    bool Wait = false,
    Curation.Pipeline.Slurm.SlurmResources? Resources = null);
