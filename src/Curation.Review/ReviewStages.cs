using Curation.Core.Stages;
using Curation.Review.Apply;
using Curation.Review.Decisions;
using Curation.Review.Queue;

namespace Curation.Review;

/// <summary>Registers the review stage kinds: <c>review-export</c> and <c>apply-review</c>.</summary>
public static class ReviewStages
{
    public const string Export = "review-export";
    public const string Apply = "apply-review";

    public static StageRegistry AddReviewStages(this StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Register<ReviewExportOptions>(
                Export,
                "Chooses records for human review (random, stratified, scores near a cut, rejects of given rules) and writes them for Label Studio or Argilla",
                [],
                (options, context) => new ReviewExportStage(
                    options,
                    DecisionStore.Open(Path.GetFullPath(options.Store!, context.BaseDirectory)),
                    Path.GetFullPath(options.Dir, context.OutputDirectory),
                    context.Seed,
                    context.Name))
            .Register<ApplyReviewOptions>(
                Apply,
                "Applies imported review decisions by record id: rejects, accepts with corrections, restores records reviewers accepted; policy for unreviewed ones",
                [ApplyReviewStage.ReviewerRejectedRule, ApplyReviewStage.InvalidCorrectionRule, ApplyReviewStage.UnreviewedRule, ApplyReviewStage.HeldRule],
                (options, context) => new ApplyReviewStage(options, DecisionStore.Open(Path.GetFullPath(options.Store!, context.BaseDirectory)), context.Name));
    }
}
