using Curation.Core.Records;
using Curation.TestKit;
using Curation.Tokenization.ChatTemplates;

namespace Curation.Tokenization.Tests.ChatTemplates;

public class ChatTemplateTests
{
    private static readonly Message[] Conversation =
    [
        new(Roles.System, "Be brief."),
        new(Roles.User, " Hi there "),
        new(Roles.Assistant, "Hello!"),
        new(Roles.User, "Bye"),
        new(Roles.Assistant, "Goodbye."),
    ];

    // Expected texts are what each family's Hugging Face chat_template writes for this conversation.
    [Theory]
    [InlineData("chatml", "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n Hi there <|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\nGoodbye.<|im_end|>\n")]
    [InlineData("llama3", "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nGoodbye.<|eot_id|>")]
    [InlineData("mistral", "<s>[INST] Be brief.\n\n Hi there  [/INST]Hello!</s>[INST] Bye [/INST]Goodbye.</s>")]
    [InlineData("gemma", "<bos><start_of_turn>user\nBe brief.\n\nHi there<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\nGoodbye.<end_of_turn>\n")]
    [InlineData("phi3", "<|system|>\nBe brief.<|end|>\n<|user|>\n Hi there <|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\nGoodbye.<|end|>\n<|endoftext|>")]
    [InlineData("plain", "system: Be brief.\nuser:  Hi there \nassistant: Hello!\nuser: Bye\nassistant: Goodbye.\n")]
    public void Render_WritesWhatTheFamilysTemplateWrites(string name, string expected)
    {
        Assert.Equal(expected, ChatTemplateCatalog.ByName(name).Render(Conversation).Text);
    }

    [Theory]
    [InlineData("chatml", "<|im_start|>assistant\n")]
    [InlineData("llama3", "<|start_header_id|>assistant<|end_header_id|>\n\n")]
    [InlineData("gemma", "<start_of_turn>model\n")]
    [InlineData("phi3", "<|assistant|>\n")]
    public void GenerationPrompt_EndsTheTextInsteadOfTheEnding(string name, string prompt)
    {
        var rendered = ChatTemplateCatalog.ByName(name).Render(Conversation[..4], addGenerationPrompt: true);

        Assert.EndsWith("Bye" + (name is "llama3" ? "<|eot_id|>" : name is "gemma" ? "<end_of_turn>\n" : name is "phi3" ? "<|end|>\n" : "<|im_end|>\n") + prompt, rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Turns_LocateEachMessageAndItsContent()
    {
        var rendered = ChatTemplateCatalog.Llama3.Render(Conversation);

        Assert.Equal(5, rendered.Turns.Count);
        var answer = rendered.Turns[2];
        Assert.Equal(2, answer.Message);
        Assert.Equal("<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>", rendered.Text[answer.Start..answer.End]);
        Assert.Equal("Hello!", rendered.Text[answer.ContentStart..answer.ContentEnd]);
    }

    [Fact]
    public void FoldedSystemPrompt_HasNoTurnOfItsOwn()
    {
        var rendered = ChatTemplateCatalog.Mistral.Render(Conversation);

        Assert.Equal([1, 2, 3, 4], rendered.Turns.Select(t => t.Message));
    }

    [Theory]
    [InlineData("mistral", "assistant", "must alternate")]
    [InlineData("gemma", "tool", "no place for role 'tool'")]
    public void Unrenderable_IsATemplateError(string name, string firstRole, string expected)
    {
        Message[] messages = [new(firstRole, "x"), new(Roles.User, "y")];

        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplateCatalog.ByName(name).Render(messages));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}", "chatml")]
    [InlineData("{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}", "llama3")]
    [InlineData("{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}{% endfor %}", "mistral")]
    [InlineData("{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}", "gemma")]
    [InlineData("{{'<|user|>' + '\\n' + message['content'] + '<|end|>' + '\\n'}}", "phi3")]
    [InlineData("{{ '<|im_start|>' + message['role'] + '<|im_sep|>' + message['content'] + '<|im_end|>' }}", null)]
    public void Recognize_NamesTheClosestFormat(string jinja, string? expected)
    {
        Assert.Equal(expected, ChatTemplateCatalog.Recognize(jinja)?.Name);
    }

    [Fact]
    public void Detect_IsTheModelsOwnTemplate_WithItsSpecialTokens()
    {
        using var temp = new TempFolder();
        temp.Write("model/tokenizer_config.json", System.Text.Json.JsonSerializer.Serialize(new
        {
            chat_template = "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{{ eos_token }}{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}",
            bos_token = "<s>",
            eos_token = new { content = "</s>", lstrip = false },
        }));

        var template = ChatTemplateCatalog.Detect(temp.File("model"));

        Assert.IsType<JinjaChatTemplate>(template);
        Assert.Equal("<s><user>Hi</s><assistant>", template.Render([new(Roles.User, "Hi")], addGenerationPrompt: true).Text);
    }

    [Fact]
    public void Detect_PrefersChatTemplateJinja_AndTheDefaultOfNamedTemplates()
    {
        using var temp = new TempFolder();
        temp.Write("file/tokenizer_config.json", """{"chat_template": "from config"}""");
        temp.Write("file/chat_template.jinja", "from file\n");
        temp.Write("named/tokenizer_config.json", """{"chat_template": [{"name": "tool_use", "template": "tools"}, {"name": "default", "template": "plain"}]}""");
        temp.Write("nodefault/tokenizer_config.json", """{"chat_template": [{"name": "tool_use", "template": "tools"}]}""");

        Assert.Equal("from file", ChatTemplateCatalog.Detect(temp.File("file")).Render([]).Text);
        Assert.Equal("plain", ChatTemplateCatalog.Detect(temp.File("named")).Render([]).Text);
        Assert.Contains("none named \"default\"", Assert.Throws<Core.CurationException>(() => ChatTemplateCatalog.Detect(temp.File("nodefault"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_MissingOrInvalidTemplate_IsAClearError()
    {
        using var temp = new TempFolder();
        temp.Write("broken/tokenizer_config.json", """{"chat_template": "{% for m in messages %}\n{{ m.content }"}""");
        temp.Write("none/tokenizer_config.json", """{"bos_token": "<s>"}""");

        var broken = Assert.Throws<Core.CurationException>(() => ChatTemplateCatalog.Detect(temp.File("broken"))).Message;
        Assert.StartsWith(temp.File("broken/tokenizer_config.json") + ": chat_template line 2, column", broken, StringComparison.Ordinal);
        Assert.Contains("set template to one of chatml", broken, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', broken);
        Assert.Contains("has no chat_template", Assert.Throws<Core.CurationException>(() => ChatTemplateCatalog.Detect(temp.File("none"))).Message, StringComparison.Ordinal);
        Assert.Contains("unknown chat template 'vicuna'", Assert.Throws<Core.CurationException>(() => ChatTemplateCatalog.ByName("vicuna")).Message, StringComparison.Ordinal);
    }
}
