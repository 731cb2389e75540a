using System.Text.Json.Nodes;
using Curation.Core.Records;
using Curation.TestKit;
using Curation.Tokenization.ChatTemplates;

namespace Curation.Tokenization.Tests.ChatTemplates.Jinja;

/// <summary>
/// Turn spans stay well-formed whatever the conversation: in order, inside the text, content inside the turn; or
/// the template refuses the conversation with a <see cref="ChatTemplateException"/>, never anything else.
/// </summary>
public sealed class TurnSpanInvariantTests
{
    private static readonly string[] Contents =
    [
        "Hi", "", "  padded  ", "A longer message that is well over sixteen characters.", "<think>\nhidden\n</think>\n\nShown.",
        "user", "\n", "Yes.", "日本語と emoji 👨‍👩‍👧", "{\"temp\": 21}", "<|im_end|>",
    ];

    public static TheoryData<string> Templates => ["llama-3.1", "mistral-nemo", "gemma", "phi-4", "chatml-generation", "qwen2.5", "qwen3"];

    [SkippableTheory]
    [MemberData(nameof(Templates))]
    public void RandomConversations_GiveOrderedSpansInsideTheText_OrATemplateError(string name)
    {
        var template = Load(name);
        var random = new Random(17);
        var rendered = 0;
        for (var i = 0; i < 300; i++)
        {
            var conversation = Enumerable.Range(0, random.Next(0, 7))
                .Select(_ => new Message(Roles.All[random.Next(Roles.All.Count)], Contents[random.Next(Contents.Length)]))
                .ToArray();
            RenderedChat chat;
            try
            {
                chat = template.Render(conversation, addGenerationPrompt: random.Next(2) == 0);
            }
            catch (ChatTemplateException)
            {
                continue;
            }

            rendered++;
            var previousEnd = 0;
            var previousMessage = -1;
            foreach (var turn in chat.Turns)
            {
                Assert.InRange(turn.Start, previousEnd, chat.Text.Length);
                Assert.InRange(turn.End, turn.Start + 1, chat.Text.Length);
                Assert.InRange(turn.ContentStart, turn.Start, turn.End);
                Assert.InRange(turn.ContentEnd, turn.ContentStart, turn.End);
                Assert.True(turn.Message > previousMessage);
                Assert.Equal(conversation[turn.Message].Role, turn.Role);
                (previousEnd, previousMessage) = (turn.End, turn.Message);
            }
        }

        Assert.True(rendered > 20, $"only {rendered} of 300 conversations rendered");
    }

    private static JinjaChatTemplate Load(string name)
    {
        if (name.StartsWith("qwen", StringComparison.Ordinal))
        {
            var folder = RepositoryPaths.SharedTokenizer(name);
            Skip.If(folder is null, $"shared fixture tokenizers/{name} not found beside the repository");
            return ChatTemplateCatalog.OwnTemplate(folder!);
        }

        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ChatTemplates", "Jinja", "Templates", name + ".jinja"));
        return JinjaChatTemplate.Parse(source, name + ".jinja", new JsonObject { ["bos_token"] = "<s>", ["eos_token"] = "</s>" });
    }
}
