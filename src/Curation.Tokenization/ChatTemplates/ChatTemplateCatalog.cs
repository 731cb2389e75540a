using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// The chat templates Curation renders, by name, and detection of a model folder's template from the
/// <c>chat_template</c> of its <c>tokenizer_config.json</c>. Each writes what the Hugging Face template of that family
/// writes; no default system prompt is added.
/// </summary>
public static class ChatTemplateCatalog
{
    /// <summary><c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>: Qwen2, SmolLM2, and many fine-tunes.</summary>
    public static ChatTemplate ChatMl { get; } = new(
        "chatml", string.Empty, role => $"<|im_start|>{role}\n", _ => "<|im_end|>\n", "<|im_start|>assistant\n", AllRoles());

    /// <summary>Llama 3 Instruct: <c>&lt;|begin_of_text|&gt;</c>, then header, two newlines, trimmed content, <c>&lt;|eot_id|&gt;</c>.</summary>
    public static ChatTemplate Llama3 { get; } = new(
        "llama3",
        "<|begin_of_text|>",
        role => $"<|start_header_id|>{role}<|end_header_id|>\n\n",
        _ => "<|eot_id|>",
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
        AllRoles())
    { TrimsContent = true };

    /// <summary>Mistral Instruct: <c>&lt;s&gt;[INST] user [/INST]assistant&lt;/s&gt;</c>; a system prompt is folded into the first user turn.</summary>
    public static ChatTemplate Mistral { get; } = new(
        "mistral",
        "<s>",
        role => role == Roles.User ? "[INST] " : string.Empty,
        role => role == Roles.User ? " [/INST]" : "</s>",
        string.Empty,
        new HashSet<string>(StringComparer.Ordinal) { Roles.User, Roles.Assistant })
    { FoldsSystemIntoFirstUser = true, RequiresAlternation = true };

    /// <summary>Gemma: <c>&lt;bos&gt;&lt;start_of_turn&gt;user\n…&lt;end_of_turn&gt;\n</c>, assistant as <c>model</c>; system folded into the first user turn.</summary>
    public static ChatTemplate Gemma { get; } = new(
        "gemma",
        "<bos>",
        role => $"<start_of_turn>{(role == Roles.Assistant ? "model" : role)}\n",
        _ => "<end_of_turn>\n",
        "<start_of_turn>model\n",
        new HashSet<string>(StringComparer.Ordinal) { Roles.User, Roles.Assistant })
    { TrimsContent = true, FoldsSystemIntoFirstUser = true, RequiresAlternation = true };

    /// <summary>Phi-3: <c>&lt;|role|&gt;\ncontent&lt;|end|&gt;\n</c>, and <c>&lt;|endoftext|&gt;</c> at the end of a finished conversation.</summary>
    public static ChatTemplate Phi3 { get; } = new(
        "phi3",
        string.Empty,
        role => $"<|{role}|>\n",
        _ => "<|end|>\n",
        "<|assistant|>\n",
        new HashSet<string>(StringComparer.Ordinal) { Roles.System, Roles.User, Roles.Assistant })
    { Ending = "<|endoftext|>" };

    /// <summary>No special tokens: <c>role: content\n</c> a turn, for base models without a chat format.</summary>
    public static ChatTemplate Plain { get; } = new(
        "plain", string.Empty, role => $"{role}: ", _ => "\n", "assistant: ", AllRoles());

    public static IReadOnlyList<ChatTemplate> All { get; } = [ChatMl, Llama3, Mistral, Gemma, Phi3, Plain];

    /// <exception cref="CurationException">No template has that name.</exception>
    public static ChatTemplate ByName(string name) =>
        All.FirstOrDefault(template => string.Equals(template.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new CurationException($"unknown chat template '{name}'; expected one of {string.Join(", ", All.Select(t => t.Name))}, or auto");

    /// <summary>The template of a Jinja <c>chat_template</c>, recognised by the markers it writes; null when none matches.</summary>
    public static ChatTemplate? Recognize(string jinja)
    {
        ArgumentNullException.ThrowIfNull(jinja);
        return jinja.Contains("<|start_header_id|>", StringComparison.Ordinal) ? Llama3
            : jinja.Contains("<|im_start|>", StringComparison.Ordinal) ? ChatMl
            : jinja.Contains("<start_of_turn>", StringComparison.Ordinal) ? Gemma
            : jinja.Contains("<|end|>", StringComparison.Ordinal) && (jinja.Contains("<|user|>", StringComparison.Ordinal) || jinja.Contains("'<|' + message['role'] + '|>'", StringComparison.Ordinal)) ? Phi3
            : jinja.Contains("[INST]", StringComparison.Ordinal) ? Mistral
            : null;
    }

    /// <summary>The template named by the <c>chat_template</c> of <paramref name="modelFolder"/>/tokenizer_config.json.</summary>
    /// <exception cref="CurationException">The file is missing, has no chat_template, or one that is not recognised.</exception>
    public static ChatTemplate Detect(string modelFolder)
    {
        var path = Path.Combine(modelFolder, "tokenizer_config.json");
        string? jinja;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            jinja = document.RootElement.TryGetProperty("chat_template", out var template) ? template.ValueKind switch
            {
                JsonValueKind.String => template.GetString(),
                JsonValueKind.Array => template.EnumerateArray()
                    .Where(t => t.TryGetProperty("name", out var name) && name.GetString() == "default")
                    .Select(t => t.GetProperty("template").GetString())
                    .FirstOrDefault(),
                _ => null,
            } : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CurationException($"{path}: cannot read the chat template: {ex.Message}", ex);
        }

        if (jinja is null)
        {
            throw new CurationException($"{path}: has no chat_template; set template to one of {string.Join(", ", All.Select(t => t.Name))}");
        }

        return Recognize(jinja) ?? throw new CurationException(
            $"{path}: chat_template is not one Curation knows (ChatML, Llama 3, Mistral, Gemma, Phi-3); set template to the closest of {string.Join(", ", All.Select(t => t.Name))}");
    }

    private static HashSet<string> AllRoles() => new(Roles.All, StringComparer.Ordinal);
}
