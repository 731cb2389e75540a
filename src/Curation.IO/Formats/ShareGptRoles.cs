using System.Collections.Frozen;
using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>ShareGPT speaker names and the chat roles they stand for.</summary>
internal static class ShareGptRoles
{
    public const string System = "system";
    public const string Human = "human";
    public const string Gpt = "gpt";

    /// <summary>LLaMA-Factory's name for a tool's answer, the ShareGPT counterpart of a "tool" turn.</summary>
    public const string Observation = "observation";

    private static readonly FrozenDictionary<string, string> ToRole = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Human] = Roles.User,
        ["user"] = Roles.User,
        [Gpt] = Roles.Assistant,
        ["assistant"] = Roles.Assistant,
        ["chatgpt"] = Roles.Assistant,
        ["bard"] = Roles.Assistant,
        ["bing"] = Roles.Assistant,
        ["model"] = Roles.Assistant,
        [System] = Roles.System,
        ["function_call"] = Roles.Assistant,
        [Observation] = Roles.Tool,
        ["tool"] = Roles.Tool,
        ["function"] = Roles.Tool,
        ["ipython"] = Roles.Tool,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The chat role for a speaker name; unknown names stay as written for role validation to judge.</summary>
    public static string ToChatRole(string from) => ToRole.TryGetValue(from, out var role) ? role : from;

    /// <summary>The ShareGPT speaker name for a chat role; null when the role has none.</summary>
    public static string? FromChatRole(string role) => role switch
    {
        Roles.System => System,
        Roles.User => Human,
        Roles.Assistant => Gpt,
        Roles.Tool => Observation,
        _ => null,
    };
}
