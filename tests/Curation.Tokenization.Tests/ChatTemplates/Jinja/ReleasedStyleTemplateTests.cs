using System.Text.Json.Nodes;
using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;

namespace Curation.Tokenization.Tests.ChatTemplates.Jinja;

/// <summary>
/// Templates in the style of other released models (Templates/: Llama 3.1 with its date header and strftime_now,
/// Mistral Nemo with raise_exception and the system prompt in the last user turn, Gemma, Phi-4's im_sep, and a
/// ChatML template with {% generation %} blocks) rendered by us and by Python's Jinja2 in transformers'
/// environment, and where our renderings place each message.
/// </summary>
public sealed class ReleasedStyleTemplateTests
{
    private const string Tool = """{"type": "function", "function": {"name": "get_weather", "description": "Weather now.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}""";

    private static readonly DateTime March5 = new(2025, 3, 5, 9, 30, 0, DateTimeKind.Local);

    private static readonly Dictionary<string, string> SpecialTokens = new(StringComparer.Ordinal)
    {
        ["llama-3.1"] = """{"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}""",
        ["mistral-nemo"] = """{"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}""",
        ["gemma"] = """{"bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>"}""",
        ["phi-4"] = """{"bos_token": "<|endoftext|>", "eos_token": "<|im_end|>"}""",
        ["chatml-generation"] = """{"eos_token": "<|im_end|>"}""",
    };

    private static readonly (string Name, string Messages, string? Tools, bool Prompt)[] Conversations =
    [
        ("answered", """[{"role": "user", "content": "Name a prime."}, {"role": "assistant", "content": "Seven."}]""", null, false),
        ("system-multi-turn", """[{"role": "system", "content": "You are terse."}, {"role": "user", "content": " Hi there "}, {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Goodbye."}]""", null, false),
        ("prompt", """[{"role": "user", "content": "Name a prime."}]""", null, true),
        ("not-alternating", """[{"role": "user", "content": "One."}, {"role": "user", "content": "Two."}]""", null, false),
        ("tool-call", """[{"role": "user", "content": "Weather in Oslo?"}, {"role": "assistant", "tool_calls": [{"id": "abcDEF123", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Oslo"}}}]}, {"role": "tool", "tool_call_id": "abcDEF123", "content": "{\"temp\": -3}"}, {"role": "assistant", "content": "It is -3 °C."}]""", $"[{Tool}]", false),
    ];

    public static TheoryData<string, string> Matrix
    {
        get
        {
            var matrix = new TheoryData<string, string>();
            foreach (var template in SpecialTokens.Keys)
            {
                foreach (var conversation in Conversations)
                {
                    matrix.Add(template, conversation.Name);
                }
            }

            return matrix;
        }
    }

    private static string Source(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ChatTemplates", "Jinja", "Templates", name + ".jinja"));

    private static JinjaChatTemplate Template(string name) =>
        JinjaChatTemplate.Parse(Source(name), name + ".jinja", JsonNode.Parse(SpecialTokens[name])!.AsObject()).WithClock(new FixedClock(March5));

    [SkippableTheory]
    [MemberData(nameof(Matrix))]
    public void Rendering_IsWhatPythonsJinja2Renders(string template, string conversation)
    {
        Skip.If(JinjaReference.PythonWithJinja is null, JinjaReference.Missing);
        var (_, messages, tools, prompt) = Conversations.Single(c => c.Name == conversation);
        var context = JsonNode.Parse(SpecialTokens[template])!.AsObject();
        context["messages"] = JsonNode.Parse(messages);
        context["tools"] = tools is null ? null : JsonNode.Parse(tools);
        context["documents"] = null;
        context["add_generation_prompt"] = prompt;
        var expected = JinjaReference.Render([new ReferenceCase(Source(template), context, March5)])[0];

        string? actual = null;
        string? error = null;
        try
        {
            actual = Template(template).RenderText(JsonNode.Parse(messages)!.AsArray(), prompt, tools is null ? null : JsonNode.Parse(tools)!.AsArray());
        }
        catch (ChatTemplateException ex)
        {
            error = ex.Message;
        }

        Assert.Equal(expected.Error is null, error is null);
        Assert.Equal(expected.Text, actual);
    }

    [SkippableFact]
    public void GenerationBlocks_AreWhereJinja2PutsThem_AndMarkWhatIsTrained()
    {
        Skip.If(JinjaReference.PythonWithJinja is null, JinjaReference.Missing);
        var messages = """[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": " Hello! "}, {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Goodbye."}]""";
        var context = new JsonObject { ["messages"] = JsonNode.Parse(messages), ["add_generation_prompt"] = false, ["eos_token"] = "<|im_end|>" };
        var expected = JinjaReference.Render([new ReferenceCase(Source("chatml-generation"), context, March5)])[0];

        var rendered = Template("chatml-generation").Render(Records(messages));

        Assert.Equal(expected.Text, rendered.Text);
        Assert.Equal(expected.Generation, rendered.Generated!.Select(span => (span.Start, span.End)));
        Assert.Equal(["Hello!<|im_end|>", "Goodbye.<|im_end|>"], rendered.Generated!.Select(span => rendered.Text[span.Start..span.End]));
    }

    [Fact]
    public void Llama31_DateHeaderPrecedesTheTurns_AndTheAnswerIsTrainedWithItsEndMarker()
    {
        var rendered = Template("llama-3.1").Render([new(Roles.System, "You are terse."), new(Roles.User, " Name a prime. "), new(Roles.Assistant, "Seven.")]);

        Assert.StartsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Mar 2025\n\nYou are terse.<|eot_id|>", rendered.Text, StringComparison.Ordinal);
        Assert.Equal(["system", "user", "assistant"], rendered.Turns.Select(t => t.Role));
        Assert.Equal("Name a prime.", Content(rendered, 1));
        Assert.Equal("<|start_header_id|>user<|end_header_id|>\n\nName a prime.<|eot_id|>", Turn(rendered, 1));
        Assert.Equal("Seven.<|eot_id|>", Trained(rendered, 2));
        Assert.Equal(rendered.Text.Length, rendered.Turns[^1].End);
    }

    [Fact]
    public void MistralNemo_SystemPromptInTheLastUserTurn_HasNoTurnOfItsOwn()
    {
        var template = Template("mistral-nemo");
        var messages = Records(Conversations[1].Messages);

        var prompt = template.Render(messages[..4], addGenerationPrompt: true);
        var answered = template.Render(messages);

        Assert.Equal("<s>[INST] Hi there [/INST]Hello!</s>[INST]You are terse.\n\nBye[/INST]", prompt.Text);
        Assert.Equal([1, 2, 3], prompt.Turns.Select(t => t.Message));
        Assert.Equal("[INST]You are terse.\n\nBye[/INST]", Turn(prompt, 2));
        Assert.Equal("Hello!</s>", Trained(prompt, 1));

        // Nemo writes the system prompt only into a conversation's last message, so an answered one has none.
        Assert.Equal("<s>[INST] Hi there [/INST]Hello!</s>[INST]Bye[/INST]Goodbye.</s>", answered.Text);
        Assert.Equal([1, 2, 3, 4], answered.Turns.Select(t => t.Message));
        Assert.Equal("Goodbye.</s>", Trained(answered, 3));
        Assert.Equal("</s>", template.TurnSuffix(Roles.Assistant));
    }

    [Fact]
    public void Phi4_ImSepTemplate_IsRenderedAsWritten_NotAsChatMl()
    {
        var template = Template("phi-4");

        var rendered = template.Render([new(Roles.User, "Hi"), new(Roles.Assistant, "Hello")], addGenerationPrompt: false);

        Assert.Null(ChatTemplateCatalog.Recognize(Source("phi-4")));
        Assert.Equal("<|im_start|>user<|im_sep|>Hi<|im_end|><|im_start|>assistant<|im_sep|>Hello<|im_end|>", rendered.Text);
        Assert.Equal("Hello<|im_end|>", Trained(rendered, 1));
        Assert.Equal("<|im_start|>assistant<|im_sep|>", template.TurnPrefix(Roles.Assistant));
    }

    [Fact]
    public void TemplatesRefusal_IsAChatTemplateException()
    {
        var error = Assert.Throws<ChatTemplateException>(() => Template("gemma").Render([new(Roles.System, "Be brief."), new(Roles.User, "Hi")]));

        Assert.Equal("gemma.jinja: the chat template refuses the conversation: System role not supported", error.Message);
    }

    internal static Message[] Records(string json) =>
        [.. JsonNode.Parse(json)!.AsArray().Select(m => new Message(m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>()))];

    internal static string Turn(RenderedChat rendered, int turn) => rendered.Text[rendered.Turns[turn].Start..rendered.Turns[turn].End];

    internal static string Content(RenderedChat rendered, int turn) => rendered.Text[rendered.Turns[turn].ContentStart..rendered.Turns[turn].ContentEnd];

    /// <summary>What the trainer supervises of an assistant turn: from where the model starts writing to the turn's end.</summary>
    internal static string Trained(RenderedChat rendered, int turn) => rendered.Text[rendered.Turns[turn].ContentStart..rendered.Turns[turn].End];

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(now, DateTimeKind.Utc));

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
