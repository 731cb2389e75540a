using Curation.Core.Config;
using Curation.Core.Runtime;

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
        if (!StageNaming.IsValid(kind))
        {
            throw new ArgumentException($"stage kind '{kind}' is not kebab-case ({StageNaming.Convention})", nameof(kind));
        }

        if (rules.FirstOrDefault(rule => !StageNaming.IsValid(rule)) is { } badRule)
        {
            throw new ArgumentException($"stage '{kind}': rule '{badRule}' is not kebab-case ({StageNaming.Convention})", nameof(rules));
        }

        if (rules.GroupBy(rule => rule, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"stage '{kind}': rule '{repeated.Key}' is listed twice", nameof(rules));
        }

        if (rules.Contains(RecordStageExecutor.StageErrorRule, StringComparer.Ordinal))
        {
            throw new ArgumentException($"stage '{kind}': '{RecordStageExecutor.StageErrorRule}' is the runtime's rule, not a stage's", nameof(rules));
        }

        if (!_stages.TryAdd(kind, new StageDescriptor(kind, description, typeof(TOptions), [.. rules], (options, context) => create((TOptions)options, context))))
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
