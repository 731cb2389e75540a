namespace Curation.DataGen.Sample;

/// <summary>A deliberate problem placed in the sample so the pipeline's rejects and filters have something to find.</summary>
internal enum PlantedIssue
{
    ExactDuplicate,
    CrossFormatDuplicate,
    NearDuplicateWord,
    NearDuplicateCasePunctuation,
    NearDuplicateWhitespace,
    NearDuplicateBoilerplate,
    TruncatedJson,
    NotJson,
    InvalidUtf8,
    WrongType,
    EmptyResponse,
    WhitespaceResponse,
    NoAssistantTurn,
    ConsecutiveUserTurns,
    UnknownRole,
    DirtyCrLf,
    DirtyZeroWidth,
    DirtyBomInText,
    DirtyControlChars,
    DirtyDecomposedUnicode,
    DirtyTrailingSpaces,
    OverLongResponse,
    ShortResponse,
    Refusal,
    PiiEmail,
    PiiPhone,
    PiiCardNumber,
    PiiIpv4,
}
