namespace Curation.DataGen.Model;

/// <summary>One turn. <see cref="Role"/> uses OpenAI names (user, assistant, system); writers map them per format.</summary>
internal sealed record Turn(string Role, string Content)
{
    /// <summary>OpenAI fine-tuning weight; null writes no weight field.</summary>
    public int? Weight { get; init; }

    public static Turn User(string content) => new(Roles.User, content);

    public static Turn Assistant(string content) => new(Roles.Assistant, content);
}
