using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Filters.Quality;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Filters.Tests.Quality;

public sealed class GopherQualityStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddFilterStages();

    protected override string Kind => "gopher-quality";

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        Chat.Record("Summarise the report.", "Fine."),
        Chat.Record("Summarise the report.", string.Join(" ", Enumerable.Repeat("### ... ### ... data", 20))),
    ];

    protected override IStage CreateStage() => FromRegistry(new GopherQualityOptions());
}
