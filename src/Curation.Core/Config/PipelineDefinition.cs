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

    /// <summary>The share of any input file that may be rejected when read before the run fails as untrustworthy (per-entry overrides in <see cref="InputOptions.MaxRejectFraction"/>).</summary>
    public double MaxRejectFraction { get; init; } = Runtime.ResultChecks.DefaultMaxRejectFraction;

    public required IReadOnlyList<InputOptions> Inputs { get; init; }

    public required IReadOnlyList<StageDefinition> Stages { get; init; }

    public required OutputOptions Output { get; init; }

    /// <summary>The resolved configuration (defaults filled in) as canonical JSON; its SHA-256 is the pipeline hash.</summary>
    public required string CanonicalJson { get; init; }

    public required string Hash { get; init; }

    /// <summary>Where each setting stands in the file, keyed <c>context.key</c> as <see cref="OptionsBinder.Locations"/>; inputs as <c>inputs[N]</c>.</summary>
    public IReadOnlyDictionary<string, ConfigPosition> Locations { get; init; } = new Dictionary<string, ConfigPosition>();

    /// <summary>A located error for the setting <paramref name="key"/> (the file alone when it has no position, e.g. a generated pipeline).</summary>
    public ConfigError ErrorAt(string? key, string message) =>
        key is not null && Locations.TryGetValue(key, out var position)
            ? new ConfigError(File, position.Line, position.Column, message)
            : new ConfigError(File, 0, 0, message);
}

/// <summary>One entry under <c>stages:</c>, bound to its options.</summary>
public sealed record StageDefinition(string Kind, string Name, int? Workers, object Options, int Line);
