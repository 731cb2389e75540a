namespace Curation.Normalization;

/// <summary>What happens to line breaks other than LF.</summary>
public enum LineEndingMode
{
    /// <summary>CRLF, lone CR, NEL, VT, FF, LINE SEPARATOR and PARAGRAPH SEPARATOR all become LF.</summary>
    Lf,

    /// <summary>Leave every line break as written.</summary>
    Keep,
}
