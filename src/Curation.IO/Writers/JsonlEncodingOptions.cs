namespace Curation.IO.Writers;

/// <summary>
/// What a JSONL data line carries besides the conversation. Both default to true: the id lets later runs and
/// reviewers key on a record, and the metadata keeps the input's other fields. OpenAI's fine-tuning checks look at
/// the keys of each message, not at other top-level keys; turn these off for a consumer that wants only the
/// conversation, or one (such as a columnar loader) that needs every line to have the same metadata types.
/// </summary>
public sealed record JsonlEncodingOptions
{
    public static JsonlEncodingOptions Default { get; } = new();

    /// <summary>Write the record's id as the first key, "id".</summary>
    public bool IncludeId { get; init; } = true;

    /// <summary>Write the record's metadata, when it has any, as the last key, "metadata".</summary>
    public bool IncludeMetadata { get; init; } = true;
}
