namespace Curation.IO.Formats;

/// <summary>The record fields a field mapping can rename; the values index per-field tables.</summary>
internal enum CanonicalField
{
    Id,
    System,
    Prompt,
    Response,
    Instruction,
    Input,
    Output,
    History,
    Messages,
    Conversations,
    Text,
}
