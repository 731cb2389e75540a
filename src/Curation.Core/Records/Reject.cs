namespace Curation.Core.Records;

/// <summary>A record a stage dropped, with the stage, the named rule and what was wrong.</summary>
public sealed record Reject(string Stage, string Rule, string Detail, SourceRef Source)
{
    /// <summary>The record as it was when dropped; null when it never became a record (unparseable input).</summary>
    public ChatRecord? Record { get; init; }

    /// <summary>The raw input text when it could not be parsed, so nothing is lost.</summary>
    public string? RawText { get; init; }

    /// <summary>The raw input bytes as base64 when they were not valid UTF-8.</summary>
    public string? RawBase64 { get; init; }
}
