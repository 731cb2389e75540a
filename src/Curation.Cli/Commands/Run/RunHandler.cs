using System.Reflection;
using Curation.Cli.Commands.ScaleOut;
using Curation.Cli.Console;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Manifest;
using Curation.Core.Runtime;
using Curation.Pipeline;

namespace Curation.Cli.Commands.Run;

/// <summary>
/// <c>curate run</c> and <c>curate dedup</c>: prepares the pipeline (config errors: exit 2), runs it through
/// <see cref="PipelineExecution"/> with progress on the console, and prints the summary, the files it left and
/// the outcome, whose exit code it returns.
/// </summary>
internal sealed class RunHandler(TextWriter output, TextWriter error)
{
    public Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken) =>
        RunAsync(() => PipelineFactory.Prepare(request.PipelineFile, StageCatalog.Create(), request.OutputDirectory, request.Seed), request, cancellationToken);

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

        if (request.Tasks is not null)
        {
            return await new ShardedRunHandler(this, output, error).RunAsync(prepared, request, cancellationToken);
        }

        var workers = WorkerCount.Resolve(request.Workers, prepared.Definition.Workers);
        var options = new RunOptions { Seed = prepared.Definition.Seed, Workers = workers, FailFast = request.FailFast, KeepStageFigures = false };
        PipelineExecution execution;
        try
        {
            execution = new PipelineExecution(prepared, options, ToolVersion);
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.RunFailed;
        }

        using (execution)
        {
            var live = LiveProgress.IsTerminal ? new LiveProgress() : null;
            IRunObserver observer = live is not null ? live : new PlainProgress(error, TimeSpan.FromSeconds(5));
            await error.WriteLineAsync($"curate: running {prepared.Definition.File} ({prepared.InputFiles} input files, {workers} workers) -> {prepared.OutputDirectory}");
            await ReportSkippedAsync(prepared);
            var result = await execution.RunAsync(observer, live is null ? null : live.RunAsync, cancellationToken);
            return await FinishAsync(execution, result, request, cancellationToken);
        }
    }

    /// <summary>Checks and commits (or abandons) the run's outputs, prints the summary and the files left, and returns the exit code.</summary>
    internal async Task<int> FinishAsync(PipelineExecution execution, RunResult result, RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var outcome = execution.Finish(result);
        if (outcome.ManifestError is not null)
        {
            await error.WriteLineAsync($"curate: the manifest could not be written either: {outcome.ManifestError}");
        }

        await output.WriteAsync(RunSummary.Format(result));
        foreach (var file in outcome.Files)
        {
            await output.WriteLineAsync($"{file.Role,-8} {DisplayPath.For(file.Path)} ({file.Records} records{(file.Complete ? string.Empty : ", INCOMPLETE")})");
        }

        if (outcome.ManifestPath is not null)
        {
            await output.WriteLineAsync($"manifest {DisplayPath.For(outcome.ManifestPath)}");
        }

        return await ReportAsync(outcome, result, request, cancellationToken);
    }

    private async Task<int> ReportAsync(PipelineOutcome outcome, RunResult result, RunRequest request, CancellationToken cancellationToken)
    {
        var left = outcome.OutOfSpace
            ? "partial outputs were removed to free the disk"
            : "partial outputs are kept as *.incomplete";
        if (outcome.SetAsideFiles.Count > 0 && outcome.Outcome != RunOutcome.Completed)
        {
            left += $"; the earlier run's outputs are kept as {string.Join(", ", outcome.SetAsideFiles.Select(DisplayPath.For))}";
        }

        switch (outcome.Outcome)
        {
            case RunOutcome.Completed:
                if (cancellationToken.IsCancellationRequested)
                {
                    await error.WriteLineAsync("curate: the run had finished when the interrupt arrived; its outputs are complete");
                }

                await output.WriteLineAsync($"ok: read {result.Stats.Stages[0].Input}, kept {result.RecordsWritten}, rejected {result.RejectsWritten} in {result.Elapsed.TotalSeconds:F1}s");
                return ExitCodes.Ok;
            case RunOutcome.Cancelled:
                await error.WriteLineAsync($"curate: interrupted; {left}");
                return ExitCodes.Interrupted;
            case RunOutcome.Suspect:
                await error.WriteLineAsync($"curate: result not trusted: {outcome.Failure}");
                await error.WriteLineAsync($"curate: nothing was promoted; {left}");
                return ExitCodes.SuspectResult;
            default:
                await error.WriteLineAsync($"curate: run failed: {outcome.Failure}; {left}");
                if (request.Verbose && result.Exception is not null)
                {
                    await error.WriteLineAsync(result.Exception.ToString());
                }

                return ExitCodes.RunFailed;
        }
    }

    /// <summary>Says what folder and glob inputs reached but leave out (an earlier run's outputs, a second path to one file), so nothing is dropped unseen.</summary>
    private async Task ReportSkippedAsync(PreparedPipeline prepared)
    {
        const int Shown = 5;
        var skipped = prepared.Inputs.SelectMany(input => input.Skipped).ToList();
        foreach (var file in skipped.Take(Shown))
        {
            await error.WriteLineAsync($"curate: {file}");
        }

        if (skipped.Count > Shown)
        {
            await error.WriteLineAsync($"curate: … and {skipped.Count - Shown} more files skipped (listed in the manifest)");
        }
    }

    public static string ToolVersion { get; } =
        typeof(RunHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
