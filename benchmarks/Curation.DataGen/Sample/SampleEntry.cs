using Curation.DataGen.Model;

namespace Curation.DataGen.Sample;

/// <summary>One record (or one broken line) of a sample file, with what was planted in it.</summary>
internal sealed class SampleEntry
{
    public Conversation? Conversation { get; init; }

    public string? Id { get; init; }

    /// <summary>Text written instead of the serialised record (a truncated or non-JSON line).</summary>
    public string? RawText { get; init; }

    /// <summary>Bytes written instead of the serialised record (invalid UTF-8).</summary>
    public byte[]? RawBytes { get; init; }

    public WrongType WrongType { get; init; }

    public PlantedIssue? Issue { get; init; }

    /// <summary>What exactly was planted, for the README appendix.</summary>
    public string Detail { get; init; } = string.Empty;

    /// <summary>The record this one copies or imitates, in the same file.</summary>
    public SampleEntry? Original { get; init; }

    /// <summary>The record this one copies in another file (cross-format duplicates).</summary>
    public (SampleFile File, SampleEntry Entry)? CrossOriginal { get; init; }

    /// <summary>Already the model for a planted copy, so it is not picked again.</summary>
    public bool IsSource { get; set; }

    /// <summary>1-based line, row or element, set once the file's layout is final.</summary>
    public int Position { get; set; }
}
