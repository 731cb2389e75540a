using System.Text.Json.Nodes;
using Curation.Core.Records;
using Curation.TestKit;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization.Tests.ChatTemplates.Jinja;

/// <summary>
/// The real chat templates of Qwen2.5 and Qwen3 (shared fixtures, see SOURCES.md there) rendered by us and by
/// Python's Jinja2 in transformers' environment: equal text byte for byte, and equal token ids with the models'
/// tokenizers. Skipped, saying why, where the fixtures or python3 with jinja2 are absent.
/// </summary>
public sealed class ReleasedTemplateTests
{
    private const string Weather = """{"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city, in °C.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}}, "required": ["city"]}}}""";

    // Each case: messages, tools (or null), add_generation_prompt, extra template variables.
    private static readonly (string Name, string Messages, string? Tools, bool Prompt, string Extra)[] Cases =
    [
        ("single-turn-prompt", """[{"role": "user", "content": "What is 2 + 2?"}]""", null, true, "{}"),
        ("single-turn-answered", """[{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4."}]""", null, false, "{}"),
        ("multi-turn", """[{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello. How can I help?"}, {"role": "user", "content": "Name a prime."}, {"role": "assistant", "content": "Seven."}]""", null, false, "{}"),
        ("multi-turn-prompt", """[{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Name a prime."}]""", null, true, "{}"),
        ("system-prompt", """[{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Name a prime."}, {"role": "assistant", "content": "Seven."}]""", null, false, "{}"),
        ("whitespace-and-unicode", """[{"role": "system", "content": "  padded system  \n"}, {"role": "user", "content": "\n\nlines\n  and 日本語 👨‍👩‍👧 émigré\t"}, {"role": "assistant", "content": "  ok  "}]""", null, false, "{}"),
        ("tools-no-system", """[{"role": "user", "content": "Weather in Paris?"}]""", $"[{Weather}]", true, "{}"),
        ("tools-with-system", """[{"role": "system", "content": "Use tools when needed."}, {"role": "user", "content": "Weather in Paris?"}]""", $"[{Weather}]", true, "{}"),
        ("tool-call-and-result", """[{"role": "user", "content": "Weather in Paris and Rome?"}, {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}, {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Rome", "unit": "c"}}}]}, {"role": "tool", "name": "get_weather", "content": "{\"temp\": 21}"}, {"role": "tool", "name": "get_weather", "content": "{\"temp\": 25}"}, {"role": "assistant", "content": "Paris 21 °C, Rome 25 °C."}]""", $"[{Weather}]", false, "{}"),
        ("tool-call-with-content", """[{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": "Let me check.", "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Oslo"}}}]}, {"role": "tool", "content": "cold"}]""", $"[{Weather}]", true, "{}"),
        ("tool-call-string-arguments", """[{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "get_weather", "arguments": "{\"city\": \"Oslo\"}"}}]}, {"role": "tool", "content": "cold"}, {"role": "assistant", "content": "Cold."}]""", $"[{Weather}]", false, "{}"),
        ("thinking-disabled", """[{"role": "user", "content": "Name a prime."}]""", null, true, """{"enable_thinking": false}"""),
        ("thinking-enabled", """[{"role": "user", "content": "Name a prime."}]""", null, true, """{"enable_thinking": true}"""),
        ("reasoning-content", """[{"role": "user", "content": "Name a prime."}, {"role": "assistant", "content": "Seven.", "reasoning_content": "Primes: 2, 3, 5, 7."}]""", null, false, "{}"),
        ("reasoning-inline", """[{"role": "user", "content": "Name a prime."}, {"role": "assistant", "content": "<think>\nSmall primes first.\n</think>\n\nTwo."}, {"role": "user", "content": "Another?"}, {"role": "assistant", "content": "<think>\nNot two.\n</think>\n\nThree."}]""", null, false, "{}"),
        ("reasoning-after-tool", """[{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": "", "reasoning_content": "Need the tool.", "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Oslo"}}}]}, {"role": "tool", "content": "cold"}, {"role": "assistant", "content": "It is cold.", "reasoning_content": "The tool said cold."}]""", $"[{Weather}]", false, "{}"),
    ];

    public static TheoryData<string, string> Matrix
    {
        get
        {
            var matrix = new TheoryData<string, string>();
            foreach (var family in new[] { "qwen2.5", "qwen3" })
            {
                foreach (var c in Cases)
                {
                    matrix.Add(family, c.Name);
                }
            }

            return matrix;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Matrix))]
    public void Rendering_IsByteForByteWhatTransformersRenders(string family, string name)
    {
        var folder = RequireFixture(family);
        var (_, messages, tools, prompt, extra) = Cases.Single(c => c.Name == name);
        var template = ChatTemplateCatalog.OwnTemplate(folder).WithVariables(JsonNode.Parse(extra)!.AsObject());
        var expected = Reference(folder, messages, tools, prompt, extra);

        var actual = template.RenderText(JsonNode.Parse(messages)!.AsArray(), prompt, tools is null ? null : JsonNode.Parse(tools)!.AsArray());

        Assert.Equal(expected, actual);
        var tokenizer = TokenizerCatalog.Load(folder, folder);
        Assert.Equal(tokenizer.Encode(expected), tokenizer.Encode(actual));
    }

    [SkippableTheory]
    [InlineData("qwen2.5")]
    [InlineData("qwen3")]
    public void RecordsRenderAsTransformersRendersTheirMessages_AndCountTheSameTokens(string family)
    {
        var folder = RequireFixture(family);
        var template = ChatTemplateCatalog.OwnTemplate(folder);
        var tokenizer = TokenizerCatalog.Load(folder, folder);
        Message[] conversation = [new(Roles.User, "Hi!"), new(Roles.Assistant, "Hello."), new(Roles.User, "Name a prime."), new(Roles.Assistant, "Seven.")];
        var expected = Reference(folder, """[{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Name a prime."}, {"role": "assistant", "content": "Seven."}]""", null, false, "{}");

        var rendered = template.Render(conversation);
        var counts = new ChatTokenCounter(tokenizer, template).Count(conversation);

        Assert.Equal(expected, rendered.Text);
        Assert.Equal(tokenizer.Encode(expected).Count, counts.Total);
    }

    [SkippableFact]
    public void Qwen3_TrainsTheLastAnswerWithItsEmptyThinkBlock_AndEarlierAnswersWithout()
    {
        var template = ChatTemplateCatalog.OwnTemplate(RequireFixture("qwen3", needsPython: false));
        Message[] conversation = [new(Roles.User, "Hi!"), new(Roles.Assistant, "Hello."), new(Roles.User, "Name a prime."), new(Roles.Assistant, "Seven.")];

        var rendered = template.Render(conversation);
        var withoutThinking = template.WithVariables(new JsonObject { ["enable_thinking"] = false }).Render(conversation);

        Assert.Equal([0, 1, 2, 3], rendered.Turns.Select(t => t.Message));
        Assert.Equal("<|im_start|>assistant\nHello.<|im_end|>\n", ReleasedStyleTemplateTests.Turn(rendered, 1));
        Assert.Equal("Hello.<|im_end|>\n", ReleasedStyleTemplateTests.Trained(rendered, 1));
        Assert.Equal("<think>\n\n</think>\n\nSeven.<|im_end|>\n", ReleasedStyleTemplateTests.Trained(rendered, 3));
        Assert.Equal("Seven.<|im_end|>\n", ReleasedStyleTemplateTests.Trained(withoutThinking, 3));
        Assert.All(rendered.Turns.Zip(rendered.Turns.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        Assert.Equal((0, rendered.Text.Length), (rendered.Turns[0].Start, rendered.Turns[^1].End));
        Assert.Equal("<|im_end|>\n", template.TurnSuffix(Roles.Assistant));
    }

    [SkippableFact]
    public void Qwen25_ToolResultsInOneUserTurn_SplitBetweenTheirMessages()
    {
        var template = ChatTemplateCatalog.OwnTemplate(RequireFixture("qwen2.5", needsPython: false));
        Message[] conversation =
        [
            new(Roles.User, "Weather in Paris and Rome?"), new(Roles.Assistant, "Checking both."),
            new(Roles.Tool, "{\"city\": \"Paris\", \"temp\": 21}"), new(Roles.Tool, "{\"city\": \"Rome\", \"temp\": 25}"),
            new(Roles.Assistant, "Paris 21 °C, Rome 25 °C."),
        ];

        var rendered = template.Render(conversation);
        var counts = new ChatTokenCounter(TokenizerCatalog.Load(RequireFixture("qwen2.5", needsPython: false), "/"), template).Count(conversation);

        Assert.StartsWith("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n", ReleasedStyleTemplateTests.Turn(rendered, 0), StringComparison.Ordinal);
        Assert.Equal("<|im_start|>user\n<tool_response>\n{\"city\": \"Paris\", \"temp\": 21}\n</tool_response>", ReleasedStyleTemplateTests.Turn(rendered, 2));
        Assert.Equal("\n<tool_response>\n{\"city\": \"Rome\", \"temp\": 25}\n</tool_response><|im_end|>\n", ReleasedStyleTemplateTests.Turn(rendered, 3));
        Assert.Equal("Paris 21 °C, Rome 25 °C.<|im_end|>\n", ReleasedStyleTemplateTests.Trained(rendered, 4));
        Assert.Equal(counts.Total, counts.PerMessage.Sum());
        Assert.Equal(counts.Total, counts.Prompt + counts.Response);
    }

    private static string RequireFixture(string family, bool needsPython = true)
    {
        var folder = RepositoryPaths.SharedTokenizer(family);
        Skip.If(folder is null, $"shared fixture tokenizers/{family} not found beside the repository: the test of its real chat template did not run");
        Skip.If(needsPython && JinjaReference.PythonWithJinja is null, JinjaReference.Missing);
        return folder!;
    }

    /// <summary>Python's rendering, with the variables transformers passes: the special tokens map of tokenizer_config.json and the call's arguments.</summary>
    private static string Reference(string folder, string messages, string? tools, bool prompt, string extra)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!.AsObject();
        var context = new JsonObject
        {
            ["messages"] = JsonNode.Parse(messages),
            ["tools"] = tools is null ? null : JsonNode.Parse(tools),
            ["documents"] = null,
            ["add_generation_prompt"] = prompt,
        };
        foreach (var name in new[] { "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token", "additional_special_tokens" })
        {
            if (config[name] is { } value)
            {
                context[name] = value.DeepClone();
            }
        }

        foreach (var (key, value) in JsonNode.Parse(extra)!.AsObject())
        {
            context[key] = value?.DeepClone();
        }

        var result = JinjaReference.Render([new ReferenceCase(config["chat_template"]!.GetValue<string>(), context, ReferenceCase.DefaultNow)])[0];
        Assert.True(result.Error is null, result.Error);
        return result.Text!;
    }
}
