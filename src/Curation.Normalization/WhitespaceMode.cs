namespace Curation.Normalization;

/// <summary>How much whitespace tidying a turn gets. Fenced code blocks are never touched.</summary>
public enum WhitespaceMode
{
    /// <summary>Trim the start and end of each turn and the trailing whitespace of each line.</summary>
    Trim,

    /// <summary>Trim, and also collapse runs of spaces and tabs inside a line to one space and more than two blank lines to two.</summary>
    Collapse,

    /// <summary>Leave whitespace as written.</summary>
    None,
}
