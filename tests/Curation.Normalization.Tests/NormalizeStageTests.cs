using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Normalization.Tests;

public class NormalizeStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddNormalizationStages();

    protected override string Kind => StageKinds.Normalize;

    // Support chats as exported, some with aliased roles, CRLF line breaks and stray whitespace for normalize to clean.
    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } =
    [
        .. SampleConversations.Take(30),
        .. SampleConversations.Take(40).Skip(30).Select((record, i) => record with
        {
            Messages = [.. record.Messages.Select(message => message with
            {
                Role = i % 2 == 0 && message.Role == "assistant" ? "gpt" : message.Role,
                Content = "  " + message.Content.Replace("\n", "\r\n", StringComparison.Ordinal) + "\u200B ",
            })],
        }),
    ];

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } = [TestRecords.Chat("hi", "a lone \uD800 surrogate") with { Id = "surrogate" }];

    protected override IStage CreateStage() => FromRegistry(new NormalizeOptions { Whitespace = WhitespaceMode.Collapse });

    private static readonly NormalizeStage Stage = new(new NormalizeOptions());

    [Fact]
    public void Apply_CleanRecord_ReturnsSameInstance()
    {
        var record = TestRecords.Of(
            ("system", "You are helpful."),
            ("user", "What is 2+2?"),
            ("assistant", "It is 4.\n\n```python\nprint(2 + 2)  \n```"));

        var result = Stage.Apply(record);

        Assert.True(result.IsKept);
        Assert.Same(record, result.Record);
    }

    [Fact]
    public void Apply_DirtyTurn_ReplacesOnlyThatMessage()
    {
        var record = TestRecords.Chat("  Hi\r\n", "Caf\u0065\u0301 \u200Bope\uFEFFn").WithMessage(1, m => m with { Weight = 1, Name = "helper" });

        var kept = Stage.Apply(record).Record!;

        Assert.NotSame(record, kept);
        Assert.Equal("Hi", kept.Messages[0].Content);
        Assert.Equal("Caf\u00E9 open", kept.Messages[1].Content);
        Assert.Equal(1, kept.Messages[1].Weight);
        Assert.Equal("helper", kept.Messages[1].Name);
        Assert.Equal(record.Id, kept.Id);
        Assert.Equal(record.Source, kept.Source);
        Assert.Equal("  Hi\r\n", record.Messages[0].Content);
    }

    [Fact]
    public void Apply_UnchangedTurnInChangedRecord_KeepsItsMessageInstance()
    {
        var record = TestRecords.Chat("fine", "needs trim  ");

        var kept = Stage.Apply(record).Record!;

        Assert.Same(record.Messages[0], kept.Messages[0]);
        Assert.Equal("needs trim", kept.Messages[1].Content);
    }

    [Fact]
    public void Apply_LoneSurrogateInContent_DropsAsInvalidUnicode()
    {
        var record = TestRecords.Chat("fine", "broken \uD800 text");

        var result = Stage.Apply(record);

        Assert.False(result.IsKept);
        Assert.Equal("invalid-unicode", result.Rule);
        Assert.Equal("messages[1].content: lone surrogate U+D800 at char offset 7", result.Detail);
    }

    [Fact]
    public void Apply_LoneSurrogateInName_DropsAsInvalidUnicode()
    {
        var record = TestRecords.Chat("fine", "fine").WithMessage(0, m => m with { Name = "x\uDC01" });

        var result = Stage.Apply(record);

        Assert.Equal("invalid-unicode", result.Rule);
        Assert.Equal("messages[0].name: lone surrogate U+DC01 at char offset 1", result.Detail);
    }

    [Theory]
    [InlineData("human", "user")]
    [InlineData("Human", "user")]
    [InlineData(" GPT ", "assistant")]
    [InlineData("bot", "assistant")]
    [InlineData("model", "assistant")]
    [InlineData("AI", "assistant")]
    [InlineData("function", "tool")]
    [InlineData("observation", "tool")]
    [InlineData("developer", "system")]
    [InlineData("User", "user")]
    [InlineData("ASSISTANT", "assistant")]
    [InlineData("narrator", "narrator")]
    public void Apply_RoleAliases_MapToCanonicalRoles(string role, string expected)
    {
        var record = TestRecords.Of((role, "text"));

        Assert.Equal(expected, Stage.Apply(record).Record!.Messages[0].Role);
    }

    [Fact]
    public void Apply_CanonicalRole_KeepsSameInstance()
    {
        var record = TestRecords.Of(("user", "a"), ("assistant", "b"), ("tool", "c"), ("system", "d"));

        Assert.Same(record, Stage.Apply(record).Record);
    }

    [Fact]
    public void Apply_CustomRoleMap_IsCaseInsensitiveAndOverridesDefaults()
    {
        var stage = new NormalizeStage(new NormalizeOptions
        {
            RoleMap = new Dictionary<string, string>(StringComparer.Ordinal) { ["Customer"] = "user", ["bot"] = "User", ["Agent"] = "assistant" },
        });
        var record = TestRecords.Of(("CUSTOMER", "q"), ("agent", "a"), ("BOT", "b"), ("gpt", "c"));

        var roles = stage.Apply(record).Record!.Messages.Select(m => m.Role);

        Assert.Equal(["user", "assistant", "user", "assistant"], roles);
    }

    [Fact]
    public void Apply_RoleMapSwappingCanonicalRoles_SwapsThem()
    {
        var stage = new NormalizeStage(new NormalizeOptions
        {
            RoleMap = new Dictionary<string, string> { ["user"] = "assistant", ["assistant"] = "user" },
        });

        var roles = stage.Apply(TestRecords.Chat("q", "a")).Record!.Messages.Select(m => m.Role);

        Assert.Equal(["assistant", "user"], roles);
    }

    [Fact]
    public void Apply_DefaultRoleMapOff_KeepsAliases()
    {
        var stage = new NormalizeStage(new NormalizeOptions { DefaultRoleMap = false });

        Assert.Equal("gpt", stage.Apply(TestRecords.Of(("gpt", "x"))).Record!.Messages[0].Role);
        Assert.Equal("user", stage.Apply(TestRecords.Of(("User", "x"))).Record!.Messages[0].Role);
    }

    [Fact]
    public void Constructor_RoleMapToUnknownRole_Throws()
    {
        var options = new NormalizeOptions { RoleMap = new Dictionary<string, string> { ["bot"] = "robot" } };

        var error = Assert.Throws<ArgumentException>(() => new NormalizeStage(options));

        Assert.Equal("role_map: 'bot' maps to 'robot', which is not a role; expected one of system|user|assistant|tool", error.Message);
    }

    [Fact]
    public void Constructor_RoleMapWithEmptyName_Throws()
    {
        var options = new NormalizeOptions { RoleMap = new Dictionary<string, string> { [" "] = "user" } };

        Assert.Equal("role_map: a role name is empty", Assert.Throws<ArgumentException>(() => new NormalizeStage(options)).Message);
    }

    [Fact]
    public void Constructor_RoleMapKeysClashingByCase_Throws()
    {
        var options = new NormalizeOptions
        {
            RoleMap = new Dictionary<string, string>(StringComparer.Ordinal) { ["Bot"] = "assistant", ["bot"] = "user" },
        };

        var error = Assert.Throws<ArgumentException>(() => new NormalizeStage(options));

        Assert.Equal("role_map: 'Bot' and 'bot' differ only in case but map to different roles", error.Message);
    }

    [Fact]
    public void Name_DefaultsToKindAndCanBeSet()
    {
        Assert.Equal("normalize", Stage.Name);
        Assert.Equal("clean-text", new NormalizeStage(new NormalizeOptions(), "clean-text").Name);
    }

    [Fact]
    public void Apply_FromManyThreads_GivesTheSameResults()
    {
        var records = Enumerable.Range(0, 200)
            .Select(i => TestRecords.Chat($"  question {i}\r\n", $"cafe\u0301 {i}\u200B  \n```\n  code {i}  \n```"))
            .ToArray();
        var expected = records.Select(r => Stage.Apply(r).Record!.Messages[1].Content).ToArray();

        var actual = new string[records.Length];
        Parallel.For(0, records.Length * 20, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var index = i % records.Length;
            actual[index] = Stage.Apply(records[index]).Record!.Messages[1].Content;
        });

        Assert.Equal(expected, actual);
        Assert.Equal("caf\u00E9 199\n```\n  code 199  \n```", expected[199]);
    }

    [Fact]
    public void Apply_EmptyConversation_KeepsIt()
    {
        var record = TestRecords.Of();

        Assert.Same(record, Stage.Apply(record).Record);
    }
}
