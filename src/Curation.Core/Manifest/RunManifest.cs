using Curation.Core.Config;
using Curation.Core.Runtime;

namespace Curation.Core.Manifest;

/// <summary>Everything needed to tell later what a run read, did and wrote.</summary>
public sealed record RunManifest
{
    public required string ToolVersion { get; init; }

    public required PipelineDefinition Pipeline { get; init; }

    /// <summary>SHA-256 of the pipeline file's bytes, beside the hash of its resolved configuration.</summary>
    public required string PipelineFileSha256 { get; init; }

    public required int Workers { get; init; }

    public required RunResult Result { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }
}
