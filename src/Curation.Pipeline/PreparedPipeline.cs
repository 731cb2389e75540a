using Curation.Core.Config;
using Curation.Core.Stages;
using Curation.IO.Inputs;

namespace Curation.Pipeline;

/// <summary>A stage ready to run and its own worker count from the pipeline file, if it set one.</summary>
public sealed record PreparedStage(IStage Stage, int? Workers);

/// <summary>A loaded, checked pipeline: its stages built and its inputs resolved to files, before any data is read.</summary>
public sealed record PreparedPipeline(
    PipelineDefinition Definition,
    IReadOnlyList<ResolvedInput> Inputs,
    IReadOnlyList<PreparedStage> Steps,
    string OutputDirectory,
    string SourceSha256,
    IReadOnlyList<Curation.Core.Files.PlannedOutput> Outputs)
{
    public int InputFiles => Inputs.Sum(input => input.Files.Count);

    /// <summary>What each cluster task asks for, from the pipeline's <c>executor:</c> section (nothing set when it has none).</summary>
    internal Slurm.SlurmResources Executor { get; init; } = new();
}
