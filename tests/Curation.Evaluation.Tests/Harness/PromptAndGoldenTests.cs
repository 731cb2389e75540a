using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;
using Curation.Evaluation.Config;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Prompts;
using Curation.TestKit;

namespace Curation.Evaluation.Tests.Harness;

public sealed class PromptAndGoldenTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static GoldenItem Item() => new("q1", [new Message(Roles.System, "own system"), new Message(Roles.User, "What is 2+2?")], "4", []);

    [Fact]
    public void Template_ReplacesTheSystemTurnAndWrapsTheQuestion()
    {
        File.WriteAllText(_temp.File("system.md"), "Answer with a number.\n");
        File.WriteAllText(_temp.File("user.md"), "Question: {{input}}\nAnswer:");

        var messages = PromptTemplate.Load(new PromptOptions { System = _temp.File("system.md"), User = _temp.File("user.md") }).Render(Item());

        Assert.Equal([new Message(Roles.System, "Answer with a number."), new Message(Roles.User, "Question: What is 2+2?\nAnswer:")], messages);
    }

    [Fact]
    public void Version_FollowsTheFilesBytes()
    {
        File.WriteAllText(_temp.File("system.md"), "Answer with a number.");
        var options = new PromptOptions { System = _temp.File("system.md") };
        var first = PromptTemplate.Load(options).Version;
        var again = PromptTemplate.Load(options).Version;
        File.WriteAllText(_temp.File("system.md"), "Answer with a number!");
        var changed = PromptTemplate.Load(options).Version;

        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
        Assert.Matches("^[0-9a-f]{12}$", first);
        Assert.Equal("item", PromptTemplate.Load(new PromptOptions()).Version);
    }

    [Fact]
    public void AUserTemplateWithoutThePlaceholder_IsRefused()
    {
        File.WriteAllText(_temp.File("user.md"), "Answer:");

        var error = Assert.Throws<CurationException>(() => PromptTemplate.Load(new PromptOptions { User = _temp.File("user.md") }));

        Assert.Contains("{{input}}", error.Message, StringComparison.Ordinal);
    }

    private static ChatRecord Record(string json, params Message[] messages) => new()
    {
        Id = "r1",
        Messages = [.. messages],
        Source = new SourceRef("golden.jsonl", 3, SourceUnit.Line),
        Metadata = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToImmutableSortedDictionary(StringComparer.Ordinal),
    };

    [Fact]
    public void Item_TakesTheLastAssistantTurnAsExpected_AndTheOptionalFields()
    {
        var record = Record(
            """{"tags": "math, easy", "schema": {"type": "object"}, "pattern": "answer: (\\d+)", "choices": ["A", "B"]}""",
            new Message(Roles.User, "2+2?"),
            new Message(Roles.Assistant, "4"));

        var item = GoldenSetReader.ItemOf(record);

        Assert.Equal("4", item.Expected);
        Assert.Equal([new Message(Roles.User, "2+2?")], item.Prompt);
        Assert.Equal(["math", "easy"], item.Tags);
        Assert.Equal("""{"type": "object"}""", item.Schema);
        Assert.Equal("answer: (\\d+)", item.Pattern);
        Assert.Equal(["A", "B"], item.Choices);
    }

    [Fact]
    public void Item_WithoutAUserTurn_IsRefusedNamingTheRecord()
    {
        var error = Assert.Throws<CurationException>(() => GoldenSetReader.ItemOf(Record("{}", new Message(Roles.Assistant, "4"))));

        Assert.Equal("golden.jsonl:3: field 'messages': expected a user turn before the answer", error.Message);
    }

    [Fact]
    public void Item_WithTagsOfTheWrongType_IsRefused()
    {
        var error = Assert.Throws<CurationException>(() => GoldenSetReader.ItemOf(Record("""{"tags": [1, 2]}""", new Message(Roles.User, "q"))));

        Assert.Equal("golden.jsonl:3: field 'tags': expected a list of strings", error.Message);
    }
}
