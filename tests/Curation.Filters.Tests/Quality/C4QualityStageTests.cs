using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Filters.Quality;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Filters.Tests.Quality;

public sealed class C4QualityStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddFilterStages();

    protected override string Kind => "c4-quality";

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        Chat.Record("Fill the page.", "Lorem ipsum dolor sit amet. It goes on. And on here. Still more. The end is near. Truly the end."),
        Chat.Record("Show the config.", "Use this. It is short. It works well. Copy it now. Then run it: { \"debug\": true }."),
    ];

    protected override IStage CreateStage() => FromRegistry(new C4QualityOptions());
}
