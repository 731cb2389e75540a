namespace Curation.DataGen.Sample;

/// <summary>A field written with the wrong JSON type (or null), for <see cref="PlantedIssue.WrongType"/>.</summary>
internal enum WrongType
{
    None,
    RoleAsNumber,
    MessagesAsString,
    ContentNull,
    FromAsNumber,
    ConversationsAsObject,
    OutputAsNumber,
    InstructionNull,
    HistoryAsString,
    CompletionAsNumber,
    PromptAsArray,
    TextAsNumber,
}
