using Curation.Core.Config;

namespace Curation.Core.Stages;

/// <summary>What a stage factory may use besides its options.</summary>
/// <param name="BaseDirectory">The pipeline file's folder: paths naming inputs are relative to it.</param>
/// <param name="OutputDirectory">The run's output folder: files a stage writes (clusters, review exports) are relative to it.</param>
public sealed record StageBuildContext(string Name, string BaseDirectory, long Seed, string OutputDirectory);

/// <summary>A stage kind that pipeline files can name: its options type and how to build it.</summary>
public sealed record StageDescriptor(string Kind, string Description, Type OptionsType, Func<object, StageBuildContext, IStage> Create);

/// <summary>Maps the stage names used in pipeline files to factories. Filled once at start-up, then read only.</summary>
public sealed class StageRegistry
{
    private readonly SortedDictionary<string, StageDescriptor> _stages = new(StringComparer.Ordinal);

    public IEnumerable<StageDescriptor> Stages => _stages.Values;

    public IReadOnlyCollection<string> Kinds => _stages.Keys;

    public StageRegistry Register<TOptions>(string kind, string description, Func<TOptions, StageBuildContext, IStage> create)
        where TOptions : class, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(create);
        if (!_stages.TryAdd(kind, new StageDescriptor(kind, description, typeof(TOptions), (options, context) => create((TOptions)options, context))))
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
