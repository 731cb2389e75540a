using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Review.Queue;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Review.Tests;

/// <summary>The <c>review-export</c> stage passes every record on and writes its choice beside the outputs.</summary>
public sealed class ReviewExportStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddReviewStages();

    protected override string Kind => ReviewStages.Export;

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IStage CreateStage() =>
        FromRegistry(new ReviewExportOptions { Store = "store", Random = 8, Stratify = Stratify.Source, Rules = ["exact-duplicate"] });
}
