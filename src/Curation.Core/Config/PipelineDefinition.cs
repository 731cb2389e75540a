namespace Curation.Core.Config;

/// <summary>A pipeline file after binding and validation: everything a run needs, nothing left to parse.</summary>
public sealed record PipelineDefinition
{
    /// <summary>The pipeline file as the user named it.</summary>
    public required string File { get; init; }

    /// <summary>Folder that relative paths in the file are resolved against (the file's own folder).</summary>
    public required string BaseDirectory { get; init; }

    public required string Name { get; init; }

    public required long Seed { get; init; }

    public int? Workers { get; init; }

    public required IReadOnlyList<InputOptions> Inputs { get; init; }

    public required IReadOnlyList<StageDefinition> Stages { get; init; }

    public required OutputOptions Output { get; init; }

    /// <summary>The resolved configuration (defaults filled in) as canonical JSON; its SHA-256 is the pipeline hash.</summary>
    public required string CanonicalJson { get; init; }

    public required string Hash { get; init; }
}

/// <summary>One entry under <c>stages:</c>, bound to its options.</summary>
public sealed record StageDefinition(string Kind, string Name, int? Workers, object Options, int Line);
