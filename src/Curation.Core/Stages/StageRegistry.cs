using Curation.Core.Config;

namespace Curation.Core.Stages;

/// <summary>What a stage factory may use besides its options.</summary>
/// <param name="BaseDirectory">The pipeline file's folder: paths naming inputs are relative to it.</param>
/// <param name="OutputDirectory">The run's output folder: files a stage writes (clusters, review exports) are relative to it.</param>
public sealed record StageBuildContext(string Name, string BaseDirectory, long Seed, string OutputDirectory);

/// <summary>A stage kind that pipeline files can name: what it does, its options type, the reject rules it may emit and how to build it.</summary>
public sealed record StageDescriptor(string Kind, string Description, Type OptionsType, IReadOnlyList<string> Rules, Func<object, StageBuildContext, IStage> Create);

/// <summary>Maps the stage names used in pipeline files to factories. Filled once at start-up, then read only.</summary>
public sealed class StageRegistry
{
    private readonly SortedDictionary<string, StageDescriptor> _stages = new(StringComparer.Ordinal);

    public IEnumerable<StageDescriptor> Stages => _stages.Values;

    public IReadOnlyCollection<string> Kinds => _stages.Keys;

    /// <param name="rules">Every rule the stage's rejects may carry (the runtime's <c>stage-error</c> aside).</param>
    public StageRegistry Register<TOptions>(string kind, string description, IReadOnlyList<string> rules, Func<TOptions, StageBuildContext, IStage> create)
        where TOptions : class, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(create);
        foreach (var name in rules.Prepend(kind))
        {
            if (!StageNaming.IsValid(name))
            {
                throw new ArgumentException($"stage '{kind}': '{name}' is not kebab-case ({StageNaming.Convention})", nameof(kind));
            }
        }

        if (!_stages.TryAdd(kind, new StageDescriptor(kind, description, typeof(TOptions), [.. rules.Distinct(StringComparer.Ordinal)], (options, context) => create((TOptions)options, context))))
        {
            throw new ArgumentException($"stage '{kind}' is registered twice", nameof(kind));
        }

        foreach (var property in OptionsBinder.BindableProperties(typeof(TOptions)))
        {
            if (PipelineLoader.CommonStageKeys.Contains(ConfigNames.ForProperty(property.Name)))
            {
                throw new ArgumentException($"stage '{kind}': option '{property.Name}' clashes with a common stage key", nameof(kind));
            }
        }

        return this;
    }

    public bool TryGet(string kind, out StageDescriptor descriptor) => _stages.TryGetValue(kind, out descriptor!);
}
