namespace Curation.Core.Records;

/// <summary>One turn of a conversation. <see cref="Role"/> is kept as written until role mapping runs.</summary>
public sealed record Message(string Role, string Content)
{
    /// <summary>OpenAI fine-tuning weight (0 or 1); null when the input had none.</summary>
    public double? Weight { get; init; }

    /// <summary>Tool or participant name, when the input had one.</summary>
    public string? Name { get; init; }
}
