namespace Curation.Core.Conversations;

/// <summary>The reject rule names of the <c>normalize</c> and <c>validate</c> stages, as written in the rejects file.</summary>
public static class ConversationRuleNames
{
    public const string InvalidUnicode = "invalid-unicode";
    public const string NoMessages = "no-messages";
    public const string UnknownRole = "unknown-role";
    public const string EmptyTurn = "empty-turn";
    public const string SystemNotFirst = "system-not-first";
    public const string ConsecutiveRoles = "consecutive-roles";
    public const string OrphanToolTurn = "orphan-tool-turn";
    public const string NoAssistantTurn = "no-assistant-turn";
    public const string LastTurnNotAssistant = "last-turn-not-assistant";
}
