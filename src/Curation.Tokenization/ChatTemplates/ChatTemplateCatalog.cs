using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Core.Records;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// The chat templates Curation renders: a model folder's own Jinja template (<see cref="Detect"/>), and the named
/// formats for models without one. Each named format writes what the Hugging Face template of that family writes,
/// without the extras some releases add (a default system prompt, a date header, think blocks), which only the
/// model's own template reproduces.
/// </summary>
public static class ChatTemplateCatalog
{
    // What transformers passes a template from the tokenizer's special tokens (its special_tokens_map).
    private static readonly string[] SpecialTokenNames = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    /// <summary><c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>: Qwen2, SmolLM2, and many fine-tunes.</summary>
    public static NamedChatTemplate ChatMl { get; } = new(
        "chatml", string.Empty, role => $"<|im_start|>{role}\n", _ => "<|im_end|>\n", "<|im_start|>assistant\n", AllRoles());

    /// <summary>Llama 3 Instruct: <c>&lt;|begin_of_text|&gt;</c>, then header, two newlines, trimmed content, <c>&lt;|eot_id|&gt;</c>.</summary>
    public static NamedChatTemplate Llama3 { get; } = new(
        "llama3",
        "<|begin_of_text|>",
        role => $"<|start_header_id|>{role}<|end_header_id|>\n\n",
        _ => "<|eot_id|>",
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
        AllRoles())
    { TrimsContent = true };

    /// <summary>Mistral Instruct: <c>&lt;s&gt;[INST] user [/INST]assistant&lt;/s&gt;</c>; a system prompt is folded into the first user turn.</summary>
    public static NamedChatTemplate Mistral { get; } = new(
        "mistral",
        "<s>",
        role => role == Roles.User ? "[INST] " : string.Empty,
        role => role == Roles.User ? " [/INST]" : "</s>",
        string.Empty,
        new HashSet<string>(StringComparer.Ordinal) { Roles.User, Roles.Assistant })
    { FoldsSystemIntoFirstUser = true, RequiresAlternation = true };

    /// <summary>Gemma: <c>&lt;bos&gt;&lt;start_of_turn&gt;user\n…&lt;end_of_turn&gt;\n</c>, assistant as <c>model</c>; system folded into the first user turn.</summary>
    public static NamedChatTemplate Gemma { get; } = new(
        "gemma",
        "<bos>",
        role => $"<start_of_turn>{(role == Roles.Assistant ? "model" : role)}\n",
        _ => "<end_of_turn>\n",
        "<start_of_turn>model\n",
        new HashSet<string>(StringComparer.Ordinal) { Roles.User, Roles.Assistant })
    { TrimsContent = true, FoldsSystemIntoFirstUser = true, RequiresAlternation = true };

    /// <summary>Phi-3: <c>&lt;|role|&gt;\ncontent&lt;|end|&gt;\n</c>, and <c>&lt;|endoftext|&gt;</c> at the end of a finished conversation.</summary>
    public static NamedChatTemplate Phi3 { get; } = new(
        "phi3",
        string.Empty,
        role => $"<|{role}|>\n",
        _ => "<|end|>\n",
        "<|assistant|>\n",
        new HashSet<string>(StringComparer.Ordinal) { Roles.System, Roles.User, Roles.Assistant })
    { Ending = "<|endoftext|>" };

    /// <summary>No special tokens: <c>role: content\n</c> a turn, for base models without a chat format.</summary>
    public static NamedChatTemplate Plain { get; } = new(
        "plain", string.Empty, role => $"{role}: ", _ => "\n", "assistant: ", AllRoles());

    public static IReadOnlyList<NamedChatTemplate> All { get; } = [ChatMl, Llama3, Mistral, Gemma, Phi3, Plain];

    /// <exception cref="CurationException">No template has that name.</exception>
    public static NamedChatTemplate ByName(string name) =>
        All.FirstOrDefault(template => string.Equals(template.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new CurationException($"unknown chat template '{name}'; expected one of {string.Join(", ", All.Select(t => t.Name))}, or auto");

    /// <summary>The named format closest to a Jinja <c>chat_template</c>, recognised by the markers it writes; null when none matches.</summary>
    public static NamedChatTemplate? Recognize(string jinja)
    {
        ArgumentNullException.ThrowIfNull(jinja);
        return jinja.Contains("<|start_header_id|>", StringComparison.Ordinal) ? Llama3
            : jinja.Contains("<|im_start|>", StringComparison.Ordinal) && !jinja.Contains("<|im_sep|>", StringComparison.Ordinal) ? ChatMl
            : jinja.Contains("<start_of_turn>", StringComparison.Ordinal) ? Gemma
            : jinja.Contains("<|end|>", StringComparison.Ordinal) && (jinja.Contains("<|user|>", StringComparison.Ordinal) || jinja.Contains("'<|' + message['role'] + '|>'", StringComparison.Ordinal)) ? Phi3
            : jinja.Contains("[INST]", StringComparison.Ordinal) ? Mistral
            : null;
    }

    /// <summary>
    /// The template a <c>template</c> setting chooses: <c>auto</c>, the model's own (see <see cref="OwnTemplate"/>), with
    /// <paramref name="variables"/> passed to it as apply_chat_template's keyword arguments are (<c>enable_thinking</c>);
    /// otherwise the named format.
    /// </summary>
    /// <param name="variables">Names and values; a value that reads as JSON (<c>false</c>, <c>3</c>, <c>["a"]</c>) is that value, any other is text.</param>
    /// <exception cref="CurationException">An unknown name, a model folder without a usable template, or variables for a named format.</exception>
    public static ChatTemplate Resolve(string template, string modelFolder, IReadOnlyDictionary<string, string>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return variables is { Count: > 0 }
                ? throw new CurationException($"template variables ({string.Join(", ", variables.Keys)}) are passed to the model's own chat template; template is '{template}', set it to auto")
                : ByName(template);
        }

        var own = OwnTemplate(modelFolder);
        return variables is { Count: > 0 } ? own.WithVariables(ParseVariables(variables)) : own;
    }

    private static JsonObject ParseVariables(IReadOnlyDictionary<string, string> variables)
    {
        var parsed = new JsonObject();
        foreach (var (name, text) in variables)
        {
            JsonNode? value;
            try
            {
                value = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                value = JsonValue.Create(text);
            }

            parsed[name] = value;
        }

        return parsed;
    }

    /// <summary>The template <c>template: auto</c> renders with: the model's own (see <see cref="OwnTemplate"/>).</summary>
    /// <exception cref="CurationException">No template, an unreadable file, or a template Curation cannot interpret: one line naming the file.</exception>
    public static ChatTemplate Detect(string modelFolder) => OwnTemplate(modelFolder);

    /// <summary>
    /// The model's own chat template, as <c>transformers</c> loads it: <c>chat_template.jinja</c> in the folder, else
    /// the <c>chat_template</c> of its <c>tokenizer_config.json</c> (the one named "default" when it holds several),
    /// else that of a processor's <c>chat_template.json</c>; rendered with the special tokens of tokenizer_config.json.
    /// </summary>
    /// <exception cref="CurationException">No template, an unreadable file, or a template Curation cannot interpret: one line naming the file.</exception>
    public static JinjaChatTemplate OwnTemplate(string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        var configPath = Path.Combine(modelFolder, "tokenizer_config.json");
        var config = File.Exists(configPath) ? ReadJson(configPath) : null;
        var (source, origin) = ReadTemplate(modelFolder, configPath, config);
        var variables = new JsonObject();
        if (config is not null)
        {
            foreach (var name in SpecialTokenNames)
            {
                if (TokenText(config[name]) is { } token)
                {
                    variables[name] = token;
                }
            }

            if (config["additional_special_tokens"] is JsonArray additional)
            {
                variables["additional_special_tokens"] = new JsonArray([.. additional.Select(TokenText).Where(t => t is not null).Select(t => (JsonNode)t!)]);
            }
        }

        try
        {
            return JinjaChatTemplate.Parse(source, origin, variables);
        }
        catch (CurationException ex)
        {
            throw new CurationException($"{ex.Message}; set template to one of {string.Join(", ", All.Select(t => t.Name))} to use a named format instead", ex);
        }
    }

    private static (string Source, string Origin) ReadTemplate(string modelFolder, string configPath, JsonObject? config)
    {
        var jinjaPath = Path.Combine(modelFolder, "chat_template.jinja");
        if (File.Exists(jinjaPath))
        {
            try
            {
                return (File.ReadAllText(jinjaPath), jinjaPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CurationException($"{jinjaPath}: cannot read the chat template: {ex.Message}", ex);
            }
        }

        if (config is not null && TemplateIn(config["chat_template"], configPath) is { } fromConfig)
        {
            return (fromConfig, configPath);
        }

        var processorPath = Path.Combine(modelFolder, "chat_template.json");
        if (File.Exists(processorPath) && TemplateIn(ReadJson(processorPath)["chat_template"], processorPath) is { } fromProcessor)
        {
            return (fromProcessor, processorPath);
        }

        if (config is null)
        {
            throw new CurationException($"{configPath}: not found, and no chat_template.jinja beside it; set template to one of {string.Join(", ", All.Select(t => t.Name))}");
        }

        throw new CurationException($"{configPath}: has no chat_template; set template to one of {string.Join(", ", All.Select(t => t.Name))}");
    }

    /// <summary>A chat_template value: a string, or a list of named templates of which "default" is used.</summary>
    private static string? TemplateIn(JsonNode? node, string path) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray named => named.OfType<JsonObject>().FirstOrDefault(t => t["name"] is JsonValue name && name.TryGetValue<string>(out var n) && n == "default")?["template"]?.GetValue<string>()
            ?? throw new CurationException($"{path}: chat_template holds named templates ({string.Join(", ", named.OfType<JsonObject>().Select(t => t["name"]?.ToString()))}) but none named \"default\""),
        null => null,
        _ => throw new CurationException($"{path}: chat_template is neither a string nor a list of named templates"),
    };

    /// <summary>A special token's text: a string, or the "content" of an added-token object.</summary>
    private static string? TokenText(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonObject token when token["content"] is JsonValue content && content.TryGetValue<string>(out var text) => text,
        _ => null,
    };

    private static JsonObject ReadJson(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new CurationException($"{path}: expected a JSON object");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            throw new CurationException($"{path}: cannot read the chat template: {ex.Message}", ex);
        }
    }

    private static HashSet<string> AllRoles() => new(Roles.All, StringComparer.Ordinal);
}
