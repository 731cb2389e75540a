using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Filters.Quality;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Filters.Tests.Quality;

public sealed class InstructionQualityStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddFilterStages();

    protected override string Kind => "instruction-quality";

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        Chat.Record("Write a poem about the sea.", "As an AI language model, I cannot write poems."),
        Chat.Record("Show me the loop.", "Here it is:\n```python\nfor i in range(3):\n    print(i)"),
    ];

    protected override IStage CreateStage() => FromRegistry(new InstructionQualityOptions());
}
