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

    /// <summary>The run's verdict, which may be stricter than the runner's status (a run that kept nothing has failed).</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>Why the run did not succeed, in one line; null when it did.</summary>
    public string? Error { get; init; }

    /// <summary>The files the run left: final names when it succeeded, <c>*.incomplete</c> otherwise.</summary>
    public required IReadOnlyList<Stages.OutputFileInfo> Outputs { get; init; }

    /// <summary>An earlier run's outputs this run moved aside and kept because it did not succeed.</summary>
    public IReadOnlyList<string> PreviousOutputs { get; init; } = [];

    /// <summary>Files folder and glob inputs reached but did not read, each with why (an earlier run's outputs, a second path to one file).</summary>
    public IReadOnlyList<string> SkippedInputs { get; init; } = [];

    /// <summary>Whether the partial outputs were deleted (to free a full disk) rather than kept as <c>*.incomplete</c>.</summary>
    public bool PartialOutputsRemoved { get; init; }
}

/// <summary>How a run ended, as the manifest and the exit code say it.</summary>
public enum RunOutcome
{
    Completed,
    Cancelled,
    Failed,

    /// <summary>It ran to the end but kept nothing, or rejected more of a file than allowed: not trusted, not promoted.</summary>
    Suspect,
}
