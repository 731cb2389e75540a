using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Filters.Quality;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Filters.Tests.Quality;

public sealed class GopherRepetitionStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddFilterStages();

    protected override string Kind => "gopher-repetition";

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        Chat.Record("Status?", string.Join("\n", Enumerable.Repeat("The build is still running, please wait.", 10))),
    ];

    protected override IStage CreateStage() => FromRegistry(new GopherRepetitionOptions());
}
