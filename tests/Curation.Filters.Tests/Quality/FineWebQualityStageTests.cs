using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Filters.Quality;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Filters.Tests.Quality;

public sealed class FineWebQualityStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddFilterStages();

    protected override string Kind => "fineweb-quality";

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        Chat.Record("What should I buy?", string.Join("\n", Enumerable.Range(0, 12).Select(i => $"- item {i}"))),
    ];

    protected override IStage CreateStage() => FromRegistry(new FineWebQualityOptions());
}
