namespace Curation.Core.Config;

/// <summary>A pipeline file after binding and validation: everything a run needs, nothing left to parse.</summary>
public sealed record PipelineDefinition
{
    /// <summary>The pipeline file as the user named it.</summary>
    public required string File { get; init; }

    /// <summary>Folder that relative paths in the file are resolved against (the file's own folder).</summary>
    public required string BaseDirectory { get; init; }

    public required string Name { get; init; }

    public const long DefaultSeed = 42;

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

    /// <summary>The <c>executor:</c> section as written (cluster resources of shard tasks), bound by the host that submits them; not part of <see cref="Hash"/>.</summary>
    internal YamlDotNet.RepresentationModel.YamlNode? ExecutorSection { get; init; }

    /// <summary>
    /// A located error for the setting <paramref name="key"/>, or for the nearest enclosing setting the file has
    /// (<c>output</c> for an absent <c>output.rejects</c>); the file alone when none has a position (a generated pipeline).
    /// </summary>
    public ConfigError ErrorAt(string? key, string message)
    {
        for (var setting = key; setting is not null; setting = Enclosing(setting))
        {
            if (Locations.TryGetValue(setting, out var position))
            {
                return new ConfigError(File, position.Line, position.Column, message);
            }
        }

        return new ConfigError(File, 0, 0, message);
    }

    private static string? Enclosing(string key)
    {
        var dot = key.LastIndexOf('.');
        return dot > 0 ? key[..dot] : null;
    }
}

/// <summary>One entry under <c>stages:</c>, bound to its options.</summary>
/// <param name="Position">Where the stage's kind stands in the file.</param>
public sealed record StageDefinition(string Kind, string Name, int? Workers, object Options, ConfigPosition Position);

/// <summary>
/// A pipeline file bound as far as it goes: the definition (defaults where a value was wrong), every problem found,
/// and which inputs and stages (by index) or whether the output had problems, so that later checks can skip them.
/// </summary>
public sealed record PipelineBinding(
    PipelineDefinition Definition,
    IReadOnlyList<ConfigError> Errors,
    IReadOnlySet<int> FaultyInputs,
    IReadOnlySet<int> FaultyStages,
    bool OutputFaulty);
