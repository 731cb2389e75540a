using Curation.Core.Conversations;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Normalization.Tests;

public class ValidateStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddNormalizationStages();

    protected override string Kind => StageKinds.Validate;

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        TestRecords.Chat("hi", "   ") with { Id = "empty" },
        TestRecords.Of(("user", "hi"), ("bot", "hello")) with { Id = "bot" },
        TestRecords.Of(("user", "hi"), ("user", "again"), ("assistant", "hello")) with { Id = "twice" },
        TestRecords.Of(("system", "be brief"), ("user", "hi")) with { Id = "no-answer" },
        TestRecords.Of(("user", "q"), ("assistant", "a"), ("user", "q2")) with { Id = "trailing-user" },
    ];

    protected override IStage CreateStage() => FromRegistry(new ConversationRules { LastTurnNotAssistant = true });

    private static readonly ValidateStage Stage = new(new ConversationRules());

    public static TheoryData<ChatRecord> ValidRecords() =>
    [
        TestRecords.Chat("hi", "hello"),
        TestRecords.Of(("system", "be brief"), ("user", "hi"), ("assistant", "hello")),
        TestRecords.Of(("assistant", "a continued-pretraining text turn")),
        TestRecords.Of(("user", "weather?"), ("assistant", "{\"call\":\"weather\"}"), ("tool", "sunny"), ("assistant", "It is sunny.")),
        TestRecords.Of(("user", "two lookups"), ("assistant", "calls"), ("tool", "r1"), ("tool", "r2"), ("assistant", "done")),
        TestRecords.Of(("user", "q1"), ("assistant", "a1"), ("user", "q2")),
        TestRecords.Of(("user", "q"), ("assistant", "a")).WithMessage(1, m => m with { Weight = 1 }),
    ];

    [Theory]
    [MemberData(nameof(ValidRecords))]
    public void Apply_ValidRecord_KeepsSameInstance(ChatRecord record) =>
        Assert.Same(record, Stage.Apply(record).Record);

    public static TheoryData<ChatRecord, string, string> InvalidRecords() => new()
    {
        { TestRecords.Of(), "no-messages", "the conversation has no messages" },
        { TestRecords.Of(("user", "hi"), ("bot", "hello")), "unknown-role", "messages[1].role: expected one of system|user|assistant|tool, got 'bot'" },
        { TestRecords.Of(("User", "hi"), ("assistant", "hello")), "unknown-role", "messages[0].role: expected one of system|user|assistant|tool, got 'User'" },
        { TestRecords.Chat("hi", "bad \uDBFF"), "invalid-unicode", "messages[1].content: lone surrogate U+DBFF at char offset 4" },
        { TestRecords.Chat("hi", "ok").WithMessage(0, m => m with { Name = "\uDC00" }), "invalid-unicode", "messages[0].name: lone surrogate U+DC00 at char offset 0" },
        { TestRecords.Of(("user", "q1"), ("assistant", "a1"), ("user", "q2"), ("assistant", "")), "empty-turn", "messages[3] (assistant) is empty" },
        { TestRecords.Of(("user", " \n\t\u00A0"), ("assistant", "a")), "empty-turn", "messages[0] (user) is empty" },
        { TestRecords.Of(("user", "hi"), ("system", "late"), ("assistant", "a")), "system-not-first", "messages[1] is a system turn; a system turn may only come first" },
        { TestRecords.Of(("system", "s"), ("system", "s2"), ("user", "q"), ("assistant", "a")), "system-not-first", "messages[1] is a system turn; a system turn may only come first" },
        { TestRecords.Of(("system", "s"), ("user", "q"), ("user", "q again"), ("assistant", "a")), "consecutive-roles", "messages[1] and messages[2] are both 'user'" },
        { TestRecords.Of(("user", "q"), ("assistant", "a"), ("assistant", "b")), "consecutive-roles", "messages[1] and messages[2] are both 'assistant'" },
        { TestRecords.Of(("user", "q"), ("tool", "result"), ("assistant", "a")), "orphan-tool-turn", "messages[1] (tool) follows a 'user' turn; a tool turn must follow an assistant turn" },
        { TestRecords.Of(("tool", "result"), ("assistant", "a")), "orphan-tool-turn", "messages[0] (tool) opens the conversation; a tool turn must follow an assistant turn" },
        { TestRecords.Of(("system", "s"), ("user", "q")), "no-assistant-turn", "the conversation has no assistant turn" },
        {
            TestRecords.Of(("user", "q"), ("assistant", "a"), ("user", "q2"), ("assistant", "b"))
                .WithMessage(1, m => m with { Weight = 0 }).WithMessage(3, m => m with { Weight = 0 }),
            "no-assistant-turn", "all 2 assistant turns have weight 0"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidRecords))]
    public void Apply_InvalidRecord_DropsWithRuleAndDetail(ChatRecord record, string rule, string detail)
    {
        var result = Stage.Apply(record);

        Assert.False(result.IsKept);
        Assert.Equal(rule, result.Rule);
        Assert.Equal(detail, result.Detail);
    }

    [Fact]
    public void Apply_DefaultMessagesArray_IsTreatedAsEmpty()
    {
        var record = TestRecords.Of() with { Messages = default };

        Assert.Equal("no-messages", Stage.Apply(record).Rule);
        Assert.Same(record, new NormalizeStage(new NormalizeOptions()).Apply(record).Record);
    }

    [Fact]
    public void Apply_FirstProblemInConversation_IsReported()
    {
        var record = TestRecords.Of(("user", "q"), ("user", ""), ("bot", "x"));

        Assert.Equal("empty-turn", Stage.Apply(record).Rule);
    }

    [Fact]
    public void Apply_LastTurnNotAssistantOn_RejectsTrailingUserTurn()
    {
        var stage = new ValidateStage(new ConversationRules { LastTurnNotAssistant = true });

        var result = stage.Apply(TestRecords.Of(("user", "q1"), ("assistant", "a1"), ("user", "q2")));

        Assert.Equal("last-turn-not-assistant", result.Rule);
        Assert.Equal("the conversation ends with messages[2] (user), not an assistant turn", result.Detail);
        Assert.True(stage.Apply(TestRecords.Chat("q", "a")).IsKept);
    }

    public static TheoryData<ChatRecord, ConversationRules> SwitchedOff() => new()
    {
        { TestRecords.Of(), new ConversationRules { NoMessages = false, NoAssistantTurn = false } },
        { TestRecords.Of(("customer", "hi"), ("assistant", "a")), new ConversationRules { UnknownRole = false } },
        { TestRecords.Chat("hi", "bad \uD800"), new ConversationRules { InvalidUnicode = false } },
        { TestRecords.Chat("hi", "  "), new ConversationRules { EmptyTurn = false } },
        { TestRecords.Of(("user", "hi"), ("system", "late"), ("assistant", "a")), new ConversationRules { SystemNotFirst = false } },
        { TestRecords.Of(("user", "q"), ("user", "q"), ("assistant", "a")), new ConversationRules { ConsecutiveRoles = false } },
        { TestRecords.Of(("user", "q"), ("tool", "r"), ("assistant", "a")), new ConversationRules { OrphanToolTurn = false } },
        { TestRecords.Of(("user", "q")), new ConversationRules { NoAssistantTurn = false } },
    };

    [Theory]
    [MemberData(nameof(SwitchedOff))]
    public void Apply_RuleSwitchedOff_KeepsRecord(ChatRecord record, ConversationRules rules)
    {
        Assert.False(Stage.Apply(record).IsKept);

        Assert.Same(record, new ValidateStage(rules).Apply(record).Record);
    }

    [Fact]
    public void Apply_AfterNormalize_AcceptsAliasedRoles()
    {
        var record = TestRecords.Of(("Human", "  question  "), ("gpt", "answer\r\n"));
        var normalized = new NormalizeStage(new NormalizeOptions()).Apply(record).Record!;

        Assert.False(Stage.Apply(record).IsKept);
        Assert.True(Stage.Apply(normalized).IsKept);
    }

    [Fact]
    public void Apply_WhitespaceOnlyTurnCleanedByNormalize_IsEmpty()
    {
        var record = TestRecords.Chat("q", "\u200B\uFEFF \n");
        var normalized = new NormalizeStage(new NormalizeOptions()).Apply(record).Record!;

        Assert.Equal("", normalized.Messages[1].Content);
        Assert.Equal("empty-turn", Stage.Apply(normalized).Rule);
    }

    [Fact]
    public void Name_DefaultsToKindAndCanBeSet()
    {
        Assert.Equal("validate", Stage.Name);
        Assert.Equal("strict", new ValidateStage(new ConversationRules(), "strict").Name);
    }
}
