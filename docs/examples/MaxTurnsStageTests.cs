using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Filters.Examples;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Filters.Tests.Examples;

/// <summary>The contract suite runs for the stage; the facts below check what is particular to it.</summary>
public sealed class MaxTurnsStageTests : StageContractTests
{
    // As FilterStages.AddFilterStages registers a real stage.
    protected override StageRegistry Registry { get; } = new StageRegistry()
        .Register<MaxTurnsOptions>(MaxTurnsStage.Kind, MaxTurnsStage.Description, MaxTurnsStage.Rules, (options, context) => new MaxTurnsStage(options, context.Name));

    protected override string Kind => MaxTurnsStage.Kind;

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
        [Chat.Builder().User("1").Assistant("2").User("3").Assistant("4").User("5").Assistant("6").User("7").Assistant("8").User("9").Build()];

    protected override IStage CreateStage() => FromRegistry(new MaxTurnsOptions { MaxTurns = 8 });

    [Fact]
    public void OverTheLimit_IsDroppedWithTheCountAndLimit()
    {
        var result = Stage(maxTurns: 8).Apply(RejectingInput[0]);

        Assert.Equal(MaxTurnsStage.TooManyTurnsRule, result.Rule);
        Assert.Equal("9 turns, max_turns 8", result.Detail);
    }

    [Fact]
    public void AtTheLimit_IsKeptAsItIs()
    {
        var record = Chat.Record("q", "a");

        Assert.Same(record, Stage(maxTurns: 2).Apply(record).Record);
    }

    private static MaxTurnsStage Stage(int maxTurns) => new(new MaxTurnsOptions { MaxTurns = maxTurns }, MaxTurnsStage.Kind);
}
