using Microsoft.Extensions.AI;

namespace Curation.Evaluation.Arms;

/// <summary>An <see cref="ArmCall"/> as Microsoft.Extensions.AI chat messages and options.</summary>
internal static class ApiChatRequest
{
    public static List<ChatMessage> MessagesOf(ArmCall call) =>
        [.. call.Messages.Select(message => new ChatMessage(new ChatRole(message.Role), message.Content) { AuthorName = message.Name })];

    public static ChatOptions OptionsOf(CallParameters parameters) => new()
    {
        MaxOutputTokens = parameters.MaxTokens,
        Temperature = (float)parameters.Temperature,
        TopP = (float)parameters.TopP,
        Seed = parameters.Seed,
    };
}
