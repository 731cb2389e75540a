using Curation.Core.Stages;

namespace Curation.Splits;

/// <summary>Registers the <c>split</c> stage kind.</summary>
public static class SplitStages
{
    public const string Split = "split";

    public static StageRegistry AddSplitStages(this StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register<SplitOptions>(
            Split,
            "Assigns every record to train/validation/test (or any named splits) by a seeded hash of its group (near-duplicate cluster), stratified and exact per stratum; writes one file per split",
            [],
            (options, context) => new SplitStage(options, context.Name, context.OutputDirectory, context.Seed));
    }
}
