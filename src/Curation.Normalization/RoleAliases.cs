using Curation.Core.Records;

namespace Curation.Normalization;

/// <summary>Role names that other chat formats use, and the canonical role each one means.</summary>
public static class RoleAliases
{
    /// <summary>The aliases the <c>normalize</c> stage applies unless <see cref="NormalizeOptions.DefaultRoleMap"/> is off.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["ai"] = Roles.Assistant,
        ["bot"] = Roles.Assistant,
        ["chatgpt"] = Roles.Assistant,
        ["developer"] = Roles.System,
        ["function"] = Roles.Tool,
        ["function_call"] = Roles.Assistant,
        ["gpt"] = Roles.Assistant,
        ["human"] = Roles.User,
        ["ipython"] = Roles.Tool,
        ["model"] = Roles.Assistant,
        ["observation"] = Roles.Tool,
        ["prompter"] = Roles.User,
    };
}
