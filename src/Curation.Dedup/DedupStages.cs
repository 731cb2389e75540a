using Curation.Core.Stages;
using Curation.Dedup.Exact;

namespace Curation.Dedup;

/// <summary>Registers the deduplication stage kinds.</summary>
public static class DedupStages
{
    public const string ExactDedup = "exact-dedup";

    public static StageRegistry AddDedupStages(this StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register<ExactDedupOptions>(
            ExactDedup,
            "Drops records whose conversation, prompt, response or listed fields were already seen (XxHash128), keeping the first",
            (options, context) => new ExactDedupStage(options, context.Name));
    }
}
