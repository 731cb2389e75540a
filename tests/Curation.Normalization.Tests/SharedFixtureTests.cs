using System.Text.Json;
using Curation.Core.Conversations;
using Curation.Core.Records;
using Curation.TestKit;
using Xunit.Abstractions;

namespace Curation.Normalization.Tests;

/// <summary>Normalize then validate on real third-party chat files from the shared fixtures, when present.</summary>
public class SharedFixtureTests(ITestOutputHelper output)
{
    private static readonly NormalizeStage Normalize = new(new NormalizeOptions());
    private static readonly ValidateStage Validate = new(new ConversationRules());

    [SkippableFact]
    public void AxolotlShareGpt_HumanGptConversation_IsKept()
    {
        var record = Load("axolotl/conversation.json");
        Skip.If(record is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var normalized = Normalize.Apply(record).Record!;

        Assert.All(normalized.Messages, m => Assert.True(Roles.IsKnown(m.Role)));
        Assert.Equal(12, normalized.Messages.Length);
        Assert.Same(normalized, Validate.Apply(normalized).Record);
    }

    [SkippableFact]
    public void AxolotlShareGpt_MissingTurn_IsRejectedAsEmptyTurn()
    {
        var record = Load("axolotl/conversation.missingturns.json");
        Skip.If(record is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var result = Validate.Apply(Normalize.Apply(record).Record!);

        Assert.Equal("empty-turn", result.Rule);
        Assert.Equal("messages[1] (assistant) is empty", result.Detail);
    }

    [SkippableFact]
    public void OpenAiHurricaneJsonl_AllLinesAreKeptUnchanged()
    {
        var path = Fixture("label-studio-examples/qa_pairs_openai_wiki_hurricane_dataset_format.jsonl");
        Skip.If(path is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            using var document = JsonDocument.Parse(text);
            var messages = document.RootElement.GetProperty("messages").EnumerateArray()
                .Select(m => new Message(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!));
            var record = new ChatRecord { Id = $"line-{line}", Messages = [.. messages], Source = new SourceRef(path, line, SourceUnit.Line) };

            var normalized = Normalize.Apply(record).Record!;

            Assert.True(Validate.Apply(normalized).IsKept, $"line {line}");
        }

        Assert.Equal(23, line);
    }

    private ChatRecord? Load(string relative)
    {
        if (Fixture(relative) is not { } path)
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var messages = document.RootElement.GetProperty("conversations").EnumerateArray()
            .Select(turn => new Message(turn.GetProperty("from").GetString()!, turn.GetProperty("value").GetString()!));
        return new ChatRecord { Id = relative, Messages = [.. messages], Source = new SourceRef(path, 1, SourceUnit.Element) };
    }

    private string? Fixture(string relative)
    {
        var path = RepositoryPaths.SharedFixtures is { } root ? Path.Combine(root, relative) : null;
        if (path is null || !File.Exists(path))
        {
            output.WriteLine($"shared fixture {relative} not found beside the repository; test skipped");
            return null;
        }

        return path;
    }
}
