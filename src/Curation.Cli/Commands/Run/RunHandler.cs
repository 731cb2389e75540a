using System.Reflection;
using Curation.Cli.Console;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Manifest;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Pipeline;

namespace Curation.Cli.Commands.Run;

/// <summary>
/// Prepares a pipeline (config errors: exit 2), sets earlier outputs aside, runs it, decides whether the result can
/// be trusted, then commits every output at once with the manifest, or keeps them as <c>*.incomplete</c> beside a
/// manifest that says why, and prints the summary.
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

        var workers = WorkerCount.Resolve(request.Workers, prepared.Definition.Workers);
        var options = new RunOptions { Seed = prepared.Definition.Seed, Workers = workers, FailFast = request.FailFast };
        ScratchFile.SweepStale();
        using var outputs = new RunOutputs(prepared.Outputs);
        try
        {
            outputs.SweepStale();
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.RunFailed;
        }

        var live = LiveProgress.IsTerminal ? new LiveProgress() : null;
        IRunObserver observer = live is not null ? live : new PlainProgress(error, TimeSpan.FromSeconds(5));
        await error.WriteLineAsync($"curate: running {prepared.Definition.File} ({prepared.InputFiles} input files, {workers} workers) -> {prepared.OutputDirectory}");
        await ReportSkippedAsync(prepared);
        RunResult result;
        try
        {
            await using var runner = PipelineFactory.CreateRunner(prepared, options, observer, outputs);
            result = live is not null
                ? await live.RunAsync(() => runner.RunAsync(cancellationToken))
                : await runner.RunAsync(cancellationToken);
        }
        catch (CurationException ex)
        {
            // The output files could not even be created (no space, no permission).
            result = RunResult.FailedBeforeStart(ex.Message, FileFaults.IsNoSpace(ex), DateTimeOffset.UtcNow);
        }

        return await FinishAsync(prepared, outputs, result, workers, request, cancellationToken);
    }

    private async Task<int> FinishAsync(PreparedPipeline prepared, RunOutputs outputs, RunResult result, int workers, RunRequest request, CancellationToken cancellationToken)
    {
        var problems = result.Status == RunStatus.Completed
            ? ResultChecks.FindProblems(result, MaxRejectFractions(prepared), Diagnose(prepared))
            : [];
        var outcome = result.Status switch
        {
            RunStatus.Completed => problems.Count > 0 ? RunOutcome.Suspect : RunOutcome.Completed,
            RunStatus.Cancelled => RunOutcome.Cancelled,
            _ => RunOutcome.Failed,
        };
        var failure = outcome == RunOutcome.Suspect ? string.Join("; ", problems) : result.Error;
        var outOfSpace = result.OutOfSpace;
        var manifestPath = Path.Combine(prepared.OutputDirectory, ManifestWriter.FileName);
        IReadOnlyList<OutputFileInfo> files = [];
        if (outcome == RunOutcome.Completed)
        {
            try
            {
                files = outputs.Sealed();
                var manifest = outputs.CreateFile(manifestPath);
                FileFaults.Guard(manifestPath, () => ManifestWriter.Write(Manifest(prepared, result, workers, outcome, null, files, outputs, partialRemoved: false), manifest.Stream));
                outputs.Seal(manifest, ManifestWriter.Role, records: 0);
                outputs.Commit();
            }
            catch (CurationException ex)
            {
                outcome = RunOutcome.Failed;
                failure = ex.Message;
                outOfSpace = FileFaults.IsNoSpace(ex);
            }
        }

        if (outcome != RunOutcome.Completed)
        {
            // A full disk gets its space back: partial outputs are removed rather than kept as *.incomplete.
            files = outputs.Abandon(keepPartial: !outOfSpace);
            try
            {
                ManifestWriter.Write(Manifest(prepared, result, workers, outcome, failure, files, outputs, partialRemoved: outOfSpace), manifestPath);
            }
            catch (CurationException ex)
            {
                await error.WriteLineAsync($"curate: the manifest could not be written either: {ex.Message}");
            }
        }

        await output.WriteAsync(RunSummary.Format(result));
        foreach (var file in files)
        {
            await output.WriteLineAsync($"{file.Role,-8} {DisplayPath.For(file.Path)} ({file.Records} records{(file.Complete ? string.Empty : ", INCOMPLETE")})");
        }

        if (File.Exists(manifestPath))
        {
            await output.WriteLineAsync($"manifest {DisplayPath.For(manifestPath)}");
        }

        return await ReportAsync(outcome, failure, result, outputs, outOfSpace, request, cancellationToken);
    }

    private async Task<int> ReportAsync(RunOutcome outcome, string? failure, RunResult result, RunOutputs outputs, bool outOfSpace, RunRequest request, CancellationToken cancellationToken)
    {
        var left = outOfSpace
            ? "partial outputs were removed to free the disk"
            : "partial outputs are kept as *.incomplete";
        if (outputs.SetAsideFiles.Count > 0 && outcome != RunOutcome.Completed)
        {
            left += $"; the earlier run's outputs are kept as {string.Join(", ", outputs.SetAsideFiles.Select(DisplayPath.For))}";
        }

        switch (outcome)
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
                await error.WriteLineAsync($"curate: result not trusted: {failure}");
                await error.WriteLineAsync($"curate: nothing was promoted; {left}");
                return ExitCodes.SuspectResult;
            default:
                await error.WriteLineAsync($"curate: run failed: {failure}; {left}");
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

    /// <summary>A guess at why a file could not be read (delimiter, encoding, column types), by its display path.</summary>
    private static Func<string, string?> Diagnose(PreparedPipeline prepared)
    {
        var byFile = prepared.Inputs
            .SelectMany(input => input.Files.Select(file => (Display: DisplayPath.For(file), Full: file, input.Options)))
            .GroupBy(file => file.Display, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        return display => byFile.TryGetValue(display, out var file) ? IO.Diagnosis.InputDiagnosis.Explain(file.Full, file.Options) : null;
    }

    private static Func<string, double> MaxRejectFractions(PreparedPipeline prepared)
    {
        var byFile = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var input in prepared.Inputs)
        {
            foreach (var file in input.Files)
            {
                byFile[DisplayPath.For(file)] = input.Options.MaxRejectFraction ?? prepared.Definition.MaxRejectFraction;
            }
        }

        return file => byFile.TryGetValue(file, out var fraction) ? fraction : prepared.Definition.MaxRejectFraction;
    }

    private static RunManifest Manifest(
        PreparedPipeline prepared, RunResult result, int workers, RunOutcome outcome, string? failure, IReadOnlyList<OutputFileInfo> files, RunOutputs outputs, bool partialRemoved) => new()
        {
            ToolVersion = ToolVersion,
            Pipeline = prepared.Definition,
            PipelineFileSha256 = prepared.SourceSha256,
            Workers = workers,
            Result = result,
            FinishedAt = DateTimeOffset.UtcNow,
            Outcome = outcome,
            Error = failure,
            Outputs = files,
            PreviousOutputs = outcome == RunOutcome.Completed ? [] : [.. outputs.SetAsideFiles.Select(DisplayPath.For)],
            PartialOutputsRemoved = partialRemoved,
            SkippedInputs = [.. prepared.Inputs.SelectMany(input => input.Skipped).Select(file => file.ToString())],
        };

    public static string ToolVersion { get; } =
        typeof(RunHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
