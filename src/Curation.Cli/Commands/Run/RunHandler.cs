using System.Reflection;
using Curation.Cli.Composition;
using Curation.Cli.Console;
using Curation.Core;
using Curation.Core.Manifest;
using Curation.Core.Runtime;

namespace Curation.Cli.Commands.Run;

internal sealed class RunHandler(TextWriter output, TextWriter error)
{
    public Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken) =>
        RunAsync(() => PipelineFactory.Prepare(request.PipelineFile, StageCatalog.Create(), request.OutputDirectory, request.Seed), request, cancellationToken);

    /// <summary>Prepares (config errors: exit 2), runs, writes the manifest and prints the summary.</summary>
    public async Task<int> RunAsync(Func<PreparedPipeline> prepare, RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(request);
        PreparedPipeline prepared;
        try
        {
            prepared = prepare();
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.UsageOrConfig;
        }

        var workers = request.Workers ?? prepared.Definition.Workers ?? Environment.ProcessorCount;
        var options = new RunOptions { Seed = prepared.Definition.Seed, Workers = workers, FailFast = request.FailFast };

        RunResult result;
        var live = LiveProgress.IsTerminal ? new LiveProgress() : null;
        IRunObserver observer = live is not null ? live : new PlainProgress(error, TimeSpan.FromSeconds(5));
        await error.WriteLineAsync($"curate: running {prepared.Definition.File} ({prepared.InputFiles} input files, {workers} workers) -> {prepared.OutputDirectory}");
        await using (var runner = PipelineFactory.CreateRunner(prepared, options, observer))
        {
            result = live is not null
                ? await live.RunAsync(() => runner.RunAsync(cancellationToken))
                : await runner.RunAsync(cancellationToken);
        }

        var manifestPath = ManifestWriter.Write(
            new RunManifest
            {
                ToolVersion = ToolVersion,
                Pipeline = prepared.Definition,
                PipelineFileSha256 = prepared.SourceSha256,
                Workers = workers,
                Result = result,
                FinishedAt = DateTimeOffset.UtcNow,
            },
            prepared.OutputDirectory);

        await output.WriteAsync(RunSummary.Format(result));
        foreach (var file in result.Outputs.Concat(result.Stats.Stages.SelectMany(stage => stage.Files)))
        {
            await output.WriteLineAsync($"{file.Role,-8} {file.Path} ({file.Records} records{(file.Complete ? string.Empty : ", INCOMPLETE")})");
        }

        await output.WriteLineAsync($"manifest {manifestPath}");

        switch (result.Status)
        {
            case RunStatus.Completed:
                await output.WriteLineAsync($"ok: read {result.Stats.Stages[0].Input}, kept {result.RecordsWritten}, rejected {result.RejectsWritten} in {result.Elapsed.TotalSeconds:F1}s");
                return ExitCodes.Ok;
            case RunStatus.Cancelled:
                await error.WriteLineAsync("curate: interrupted; outputs are marked incomplete");
                return ExitCodes.Interrupted;
            default:
                await error.WriteLineAsync($"curate: run failed: {result.Error}");
                if (request.Verbose && result.Exception is not null)
                {
                    await error.WriteLineAsync(result.Exception.ToString());
                }

                return ExitCodes.RunFailed;
        }
    }

    public static string ToolVersion { get; } =
        typeof(RunHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
