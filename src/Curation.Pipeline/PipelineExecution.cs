using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Manifest;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.IO.Diagnosis;

namespace Curation.Pipeline;

/// <summary>
/// One run of a prepared pipeline, from outputs to manifest: sets an earlier run's outputs aside, runs, decides
/// whether the result can be trusted, then commits every output at once with the manifest, or keeps them as
/// <c>*.incomplete</c> beside a manifest that says why. Prints nothing; the host reports <see cref="PipelineOutcome"/>.
/// </summary>
public sealed class PipelineExecution : IDisposable
{
    private readonly PreparedPipeline _prepared;
    private readonly RunOptions _options;
    private readonly string _toolVersion;
    private readonly RunOutputs _outputs;
    private readonly TimeProvider _time;

    /// <exception cref="CurationException">Stale outputs of an earlier run cannot be set aside (no permission).</exception>
    public PipelineExecution(PreparedPipeline prepared, RunOptions options, string toolVersion, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(options);
        _prepared = prepared;
        _options = options;
        _toolVersion = toolVersion;
        _time = time ?? TimeProvider.System;
        ScratchFile.SweepStale();
        _outputs = new RunOutputs(prepared.Outputs);
        try
        {
            _outputs.SweepStale();
        }
        catch
        {
            _outputs.Dispose();
            throw;
        }
    }

    /// <summary>Runs the pipeline; a failure to create the output files becomes a failed result rather than an exception.</summary>
    /// <param name="around">Wraps the run, e.g. in a live progress display; null runs it as it is.</param>
    public async Task<RunResult> RunAsync(IRunObserver? observer, Func<Func<Task<RunResult>>, Task<RunResult>>? around, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = PipelineFactory.CreateRunner(_prepared, _options, observer, _outputs, _time);
            return around is null
                ? await session.RunAsync(cancellationToken)
                : await around(() => session.RunAsync(cancellationToken));
        }
        catch (CurationException ex)
        {
            // The output files could not even be created (no space, no permission).
            return RunResult.FailedBeforeStart(ex.Message, FileFaults.IsNoSpace(ex), _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Produces the result some other way than by running the stages here (the merge of a sharded run's parts), into
    /// this run's outputs; a failure to write them becomes a failed result rather than an exception.
    /// </summary>
    internal async Task<RunResult> RunAsync(Func<RunOutputs, Task<RunResult>> produce)
    {
        try
        {
            return await produce(_outputs);
        }
        catch (CurationException ex)
        {
            return RunResult.FailedBeforeStart(ex.Message, FileFaults.IsNoSpace(ex), _time.GetUtcNow());
        }
    }

    /// <summary>Checks the result, then commits the outputs with the manifest, or abandons them and writes a manifest that says why.</summary>
    public PipelineOutcome Finish(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = result.Status == RunStatus.Completed
            ? ResultChecks.FindProblems(result, MaxRejectFractions(), Diagnose())
            : [];
        var outcome = result.Status switch
        {
            RunStatus.Completed => problems.Count > 0 ? RunOutcome.Suspect : RunOutcome.Completed,
            RunStatus.Cancelled => RunOutcome.Cancelled,
            _ => RunOutcome.Failed,
        };
        var failure = outcome == RunOutcome.Suspect ? string.Join("; ", problems) : result.Error;
        var outOfSpace = result.OutOfSpace;
        var manifestPath = Path.Combine(_prepared.OutputDirectory, ManifestWriter.FileName);
        IReadOnlyList<OutputFileInfo> files = [];
        string? manifestError = null;
        if (outcome == RunOutcome.Completed)
        {
            try
            {
                files = _outputs.Sealed();
                var manifest = _outputs.CreateFile(manifestPath);
                FileFaults.Guard(manifestPath, () => ManifestWriter.Write(Manifest(result, outcome, null, files, partialRemoved: false), manifest.Stream));
                _outputs.Seal(manifest, ManifestWriter.Role, records: 0);
                _outputs.Commit();
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
            files = _outputs.Abandon(keepPartial: !outOfSpace);
            try
            {
                ManifestWriter.Write(Manifest(result, outcome, failure, files, partialRemoved: outOfSpace), manifestPath);
            }
            catch (CurationException ex)
            {
                manifestError = ex.Message;
            }
        }

        return new PipelineOutcome(outcome, failure, outOfSpace, files, File.Exists(manifestPath) ? manifestPath : null, manifestError, _outputs.SetAsideFiles);
    }

    public void Dispose() => _outputs.Dispose();

    /// <summary>A guess at why a file could not be read (delimiter, encoding, column types), by its display path.</summary>
    private Func<string, string?> Diagnose()
    {
        var byFile = _prepared.Inputs
            .SelectMany(input => input.Files.Select(file => (Display: DisplayPath.For(file), Full: file, input.Options)))
            .GroupBy(file => file.Display, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        return display => byFile.TryGetValue(display, out var file) ? InputDiagnosis.Explain(file.Full, file.Options) : null;
    }

    private Func<string, double> MaxRejectFractions()
    {
        var byFile = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var input in _prepared.Inputs)
        {
            foreach (var file in input.Files)
            {
                byFile[DisplayPath.For(file)] = input.Options.MaxRejectFraction ?? _prepared.Definition.MaxRejectFraction;
            }
        }

        return file => byFile.TryGetValue(file, out var fraction) ? fraction : _prepared.Definition.MaxRejectFraction;
    }

    private RunManifest Manifest(RunResult result, RunOutcome outcome, string? failure, IReadOnlyList<OutputFileInfo> files, bool partialRemoved) => new()
    {
        ToolVersion = _toolVersion,
        Pipeline = _prepared.Definition,
        PipelineFileSha256 = _prepared.SourceSha256,
        Workers = _options.Workers,
        Result = result,
        FinishedAt = _time.GetUtcNow(),
        Outcome = outcome,
        Error = failure,
        Outputs = files,
        PreviousOutputs = outcome == RunOutcome.Completed ? [] : [.. _outputs.SetAsideFiles.Select(DisplayPath.For)],
        PartialOutputsRemoved = partialRemoved,
        SkippedInputs = [.. _prepared.Inputs.SelectMany(input => input.Skipped).Select(file => file.ToString())],
    };
}

/// <summary>How a run ended, and what it left: the files (committed, or kept as <c>*.incomplete</c>) and the manifest.</summary>
/// <param name="Failure">Why the run failed or is not trusted; null when it completed.</param>
/// <param name="ManifestPath">The manifest written, null when none could be.</param>
/// <param name="ManifestError">Why the manifest of a failed run could not be written, if it could not.</param>
/// <param name="SetAsideFiles">An earlier run's outputs this run moved aside.</param>
public sealed record PipelineOutcome(
    RunOutcome Outcome,
    string? Failure,
    bool OutOfSpace,
    IReadOnlyList<OutputFileInfo> Files,
    string? ManifestPath,
    string? ManifestError,
    IReadOnlyList<string> SetAsideFiles);
