using Curation.Core.Stages;
using Curation.Dedup.Exact;
using Curation.Dedup.Near;

namespace Curation.Dedup;

/// <summary>Registers the deduplication stage kinds.</summary>
public static class DedupStages
{
    public const string ExactDedup = "exact-dedup";
    public const string NearDedup = "near-dedup";

    public static StageRegistry AddDedupStages(this StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register<ExactDedupOptions>(
            ExactDedup,
            "Drops records whose conversation, prompt, response or listed fields were already seen (XxHash128), keeping the first",
            [ExactDedupStage.DuplicateRule],
            (options, context) => new ExactDedupStage(options, context.Name))
            .Register<NearDedupOptions>(
                NearDedup,
                "MinHash-LSH near-duplicate removal: verified by exact Jaccard, clustered, one member kept per cluster (or all kept and marked with their cluster)",
                [NearDedupStage.DuplicateRule],
                (options, context) => new NearDedupStage(options, context.Name, context.BaseDirectory, context.OutputDirectory, context.Seed));
    }
}
