using System.Text;
using System.Text.Json.Nodes;
using Curation.Core.Records;
using Curation.TestKit;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tests.ChatTemplates.Jinja;
using Curation.Tokenization.Tokenizers;
using Templates = Curation.Tokenization.ChatTemplates.ChatTemplateCatalog;

namespace Curation.Tokenization.Tests;

/// <summary>
/// Conversations counted from text written turn by turn (<see cref="TurnWriter"/>) against the same conversations
/// rendered by the template and counted as before, over generated conversations with whitespace and newline edges,
/// unicode (supplementary characters, text NFC changes), empty contents, special tokens inside contents, with and
/// without a system message, one to many turns, and roles a format has no place for.
/// </summary>
public sealed class WrittenTurnsTests
{
    private static readonly string[] Fragments =
    [
        "", " ", "  ", "\n", "\n\n", " \n", "\n ", "\t", "\r\n", "   \n\n  ", "hello", " world", "Hello, world!", "x",
        "1234567", " 42.5", "don't", "I'm", "日本語のテキスト", " émigré", "e\u0301", "A\u030A", "👨‍👩‍👧", "🙂🙂", "\U0001F600x",
        "<|im_end|>", "<|im_start|>", "<|endoftext|>", "<think>", "</think>", "<tool_response>", "```python\nprint(1)\n```",
        "    indented code", "trailing   ", "...", "!?", "ÄÖÜ straße", "مرحبا", "\u00A0nbsp", "\u2028", "x\n\n\ny",
    ];

    private static readonly string[] RolesWithOdd = [Roles.User, Roles.Assistant, Roles.System, Roles.Tool, "function"];

    public static TheoryData<string, string> NamedCases => new()
    {
        { "cl100k_base", "chatml" },
        { "o200k_base", "chatml" },
        { "cl100k_base", "llama3" },
        { "o200k_base", "phi3" },
        { "qwen2.5", "chatml" },
        { "qwen3", "chatml" },
    };

    [SkippableTheory]
    [MemberData(nameof(NamedCases))]
    public void NamedFormat_WrittenCounts_EqualRenderedCounts(string tokenizerName, string templateName)
    {
        var tokenizer = LoadTokenizer(tokenizerName);
        var template = Templates.ByName(templateName);
        var written = new ChatTokenCounter(tokenizer, template);
        var rendered = new ChatTokenCounter(tokenizer, template, writeTurns: false);

        // Formats whose markers the encoding has no special tokens for are counted from one encoding, as before.
        Assert.Equal(written.CountsTurnByTurn, written.WritesTurns);
        AssertSameCounts(written, rendered, Conversations(seed: 1, count: 600, oddRoles: templateName == "phi3"));
    }

    [SkippableTheory]
    [InlineData("qwen2.5", true)]
    [InlineData("qwen3", true)]
    public void OwnTemplate_WrittenCounts_EqualRenderedCounts(string family, bool written)
    {
        var folder = RequireFixture(family);
        var tokenizer = TokenizerCatalog.Load(folder, "/");
        var template = Templates.OwnTemplate(folder);
        var counter = new ChatTokenCounter(tokenizer, template);

        Assert.Equal(written, counter.WritesTurns);
        AssertSameCounts(counter, new ChatTokenCounter(tokenizer, template, writeTurns: false), Conversations(seed: 2, count: 250, oddRoles: true));
    }

    [SkippableTheory]
    [InlineData("qwen2.5")]
    [InlineData("qwen3")]
    public void OwnTemplate_WrittenText_IsTheTemplatesRendering_TurnForTurn(string family)
    {
        var folder = RequireFixture(family);
        var template = Templates.OwnTemplate(folder);
        var writer = OwnTemplateWriters.For(template, TokenizerCatalog.Load(folder, "/"));
        Assert.NotNull(writer);
        var text = new TurnText();
        var writtenCount = 0;
        foreach (var conversation in Conversations(seed: 3, count: 300, oddRoles: true))
        {
            if (!writer.TryWrite(conversation, [.. conversation.Select(m => m.Content)], text))
            {
                continue;
            }

            writtenCount++;
            var rendered = template.Render(conversation);
            Assert.Equal(rendered.Text, text.Text.ToString());
            Assert.Equal(rendered.Turns.Select(t => new Range(t.Start, t.End)), Pieces(text)[1..^1]);
        }

        Assert.True(writtenCount > 100, $"{writtenCount} written");
    }

    [SkippableTheory]
    [InlineData("qwen2.5")]
    [InlineData("qwen3")]
    public void OwnTemplate_WrittenText_IsWhatPythonsJinjaRenders(string family)
    {
        var folder = RequireFixture(family, needsPython: true);
        var template = Templates.OwnTemplate(folder);
        var writer = OwnTemplateWriters.For(template, TokenizerCatalog.Load(folder, "/"))!;
        var text = new TurnText();
        var conversations = new List<Message[]>();
        var written = new List<string>();
        foreach (var conversation in Conversations(seed: 4, count: 300, oddRoles: false))
        {
            if (writer.TryWrite(conversation, [.. conversation.Select(m => m.Content)], text))
            {
                conversations.Add(conversation);
                written.Add(text.Text.ToString());
            }
        }

        var results = JinjaReference.Render([.. conversations.Select(conversation => new ReferenceCase(template.Source, new JsonObject
        {
            ["messages"] = new JsonArray([.. conversation.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]),
            ["tools"] = null,
            ["add_generation_prompt"] = false,
        }, ReferenceCase.DefaultNow))]);

        Assert.True(conversations.Count > 100, $"{conversations.Count} written");
        Assert.Equal(written, results.Select(result => result.Text ?? result.Error));
    }

    [SkippableFact]
    public void Qwen25_WritesEveryConversationOfSystemUserAndAssistantMessages()
    {
        var folder = RequireFixture("qwen2.5");
        var writer = OwnTemplateWriters.For(Templates.OwnTemplate(folder), TokenizerCatalog.Load(folder, "/"))!;
        var text = new TurnText();
        foreach (var conversation in Conversations(seed: 7, count: 200, oddRoles: true))
        {
            var expected = conversation.Length > 0 && conversation.All(m => m.Role is Roles.System or Roles.User or Roles.Assistant);
            Assert.Equal(expected, writer.TryWrite(conversation, [.. conversation.Select(m => m.Content)], text));
        }
    }

    [Fact]
    public void NamedWriter_WritesWhatTheFormatRenders_WithTheSameTurns()
    {
        foreach (var template in Templates.All)
        {
            if (NamedTurnWriter.For(template) is not { } writer)
            {
                Assert.True(template.FoldsSystemIntoFirstUser || template.RequiresAlternation, template.Name);
                continue;
            }

            var text = new TurnText();
            foreach (var conversation in Conversations(seed: 5, count: 200, oddRoles: true))
            {
                RenderedChat rendered;
                try
                {
                    rendered = template.Render(conversation);
                }
                catch (ChatTemplateException)
                {
                    Assert.False(writer.TryWrite(conversation, [.. conversation.Select(m => m.Content)], text));
                    continue;
                }

                Assert.True(writer.TryWrite(conversation, [.. conversation.Select(m => m.Content)], text));
                Assert.Equal(rendered.Text, text.Text.ToString());
                var pieces = Pieces(text);
                Assert.Equal(rendered.Turns.Select(t => new Range(t.Start, t.End)), pieces[1..^1]);
                Assert.Equal(rendered.Turns.Count > 0 ? rendered.Turns[0].Start : rendered.Text.Length, pieces[0].End.Value);
            }
        }
    }

    [Fact]
    public void SpecialTokenJoins_WhenATokenCouldSpanTheTurnBoundary()
    {
        Assert.False(OwnTemplateWriters.SpecialTokenJoins(["<|im_start|>", "<|im_end|>", "<|endoftext|>"], "<|im_end|>\n", "<|im_start|>"));
        Assert.True(OwnTemplateWriters.SpecialTokenJoins(["\n<|im_start|>"], "<|im_end|>\n", "<|im_start|>"));
        Assert.True(OwnTemplateWriters.SpecialTokenJoins(["end|>\n<|im"], "<|im_end|>\n", "<|im_start|>"));
        Assert.True(OwnTemplateWriters.SpecialTokenJoins(["x<|im_end|>\n<|im_start|>user"], "<|im_end|>\n", "<|im_start|>"));
        Assert.False(OwnTemplateWriters.SpecialTokenJoins(["<|im_start|>user"], "<|im_end|>\n", "<|im_start|>"));
    }

    [Fact]
    public void Counting_AllocatesLittleBeyondTheCounts()
    {
        var counter = new ChatTokenCounter(TokenizerCatalog.Load("cl100k_base", "."), Templates.ChatMl);
        var conversations = Conversations(seed: 6, count: 300, oddRoles: false).Where(c => c.Length > 0).ToList();
        foreach (var conversation in conversations)
        {
            counter.Count(conversation);
        }

        var input = conversations.Sum(c => c.Sum(m => Encoding.UTF8.GetByteCount(m.Content)));
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var conversation in conversations)
        {
            counter.Count(conversation);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The counts themselves: a record and an int per message.
        var counts = conversations.Sum(c => 64 + 24 + (4 * c.Length));
        Assert.True(allocated <= counts, $"{allocated} bytes allocated for {conversations.Count} conversations ({input} bytes of content), expected at most {counts}");
    }

    private static void AssertSameCounts(ChatTokenCounter written, ChatTokenCounter rendered, IEnumerable<Message[]> conversations)
    {
        foreach (var conversation in conversations)
        {
            var expected = Outcome(rendered, conversation);
            var actual = Outcome(written, conversation);
            Assert.True(expected == actual, $"{Describe(conversation)}\nrendered: {expected}\nwritten:  {actual}");
        }
    }

    private static string Outcome(ChatTokenCounter counter, Message[] conversation)
    {
        try
        {
            var counts = counter.Count(conversation);
            return $"total {counts.Total}, per message [{string.Join(", ", counts.PerMessage)}], prompt {counts.Prompt}, response {counts.Response}";
        }
        catch (ChatTemplateException ex)
        {
            return "unrenderable: " + ex.Message;
        }
    }

    private static string Describe(Message[] conversation) =>
        string.Join(" | ", conversation.Select(m => $"{m.Role}: {System.Text.Json.JsonSerializer.Serialize(m.Content)}"));

    private static Range[] Pieces(TurnText text)
    {
        var pieces = new Range[text.TurnCount + 2];
        text.WritePieces(pieces);
        return pieces;
    }

    /// <summary>Conversations from a seed: an optional system message first, then turns mostly alternating user and assistant, contents joined from edge-case fragments.</summary>
    private static List<Message[]> Conversations(int seed, int count, bool oddRoles)
    {
        var random = new Random(seed);
        var conversations = new List<Message[]> { Array.Empty<Message>() };
        while (conversations.Count < count)
        {
            var messages = new List<Message>();
            if (random.Next(3) == 0)
            {
                messages.Add(new Message(Roles.System, Content(random)));
            }

            var turns = random.Next(1, 8);
            for (var t = 0; t < turns; t++)
            {
                var role = t % 2 == 0 ? Roles.User : Roles.Assistant;
                if (random.Next(12) == 0)
                {
                    role = oddRoles ? RolesWithOdd[random.Next(RolesWithOdd.Length)] : Roles.System;
                }

                messages.Add(new Message(role, Content(random)) { Name = random.Next(10) == 0 ? "someone" : null });
            }

            conversations.Add([.. messages]);
        }

        return conversations;
    }

    private static string Content(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(0, 7);
        for (var i = 0; i < parts; i++)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
            if (random.Next(3) == 0)
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }

    private static TextTokenizer LoadTokenizer(string name) =>
        TokenizerCatalog.Encodings.Contains(name) ? TokenizerCatalog.Load(name, ".") : TokenizerCatalog.Load(RequireFixture(name), "/");

    private static string RequireFixture(string family, bool needsPython = false)
    {
        var folder = RepositoryPaths.SharedTokenizer(family);
        Skip.If(folder is null, $"shared fixture tokenizers/{family} not found beside the repository: the comparison did not run");
        Skip.If(needsPython && JinjaReference.PythonWithJinja is null, JinjaReference.Missing);
        return folder!;
    }
}
