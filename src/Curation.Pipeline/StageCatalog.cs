using Curation.Classifier;
using Curation.Core.Stages;
using Curation.Dedup;
using Curation.Filters;
using Curation.Normalization;
using Curation.Review;
using Curation.Splits;

namespace Curation.Pipeline;

/// <summary>Every stage kind a pipeline file may name.</summary>
public static class StageCatalog
{
    public static StageRegistry Create() => new StageRegistry()
        .AddNormalizationStages()
        .AddDedupStages()
        .AddFilterStages()
        .AddClassifierStages()
        .AddReviewStages()
        .AddSplitStages();
}
