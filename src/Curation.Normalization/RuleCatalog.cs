using Curation.Core.Conversations;
namespace Curation.Normalization;

/// <summary>Every reject rule of the <c>normalize</c> and <c>validate</c> stages, in the order they are checked.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<RuleInfo> Rules { get; } =
    [
        new(ConversationRuleNames.InvalidUnicode, StageKinds.Normalize, "a turn's content or name holds a lone UTF-16 surrogate (e.g. a JSON \"\\ud800\" escape)", true),
        new(ConversationRuleNames.NoMessages, StageKinds.Validate, "the conversation has no messages", true),
        new(ConversationRuleNames.UnknownRole, StageKinds.Validate, "a role is not system, user, assistant or tool (map aliases with normalize's role_map)", true),
        new(ConversationRuleNames.InvalidUnicode, StageKinds.Validate, "a turn's content or name holds a lone UTF-16 surrogate", true),
        new(ConversationRuleNames.EmptyTurn, StageKinds.Validate, "a turn is empty or only whitespace", true),
        new(ConversationRuleNames.SystemNotFirst, StageKinds.Validate, "a system turn comes after the first position", true),
        new(ConversationRuleNames.ConsecutiveRoles, StageKinds.Validate, "two adjacent turns have the same role (tool after tool is allowed)", true),
        new(ConversationRuleNames.OrphanToolTurn, StageKinds.Validate, "a tool turn does not follow an assistant or tool turn", true),
        new(ConversationRuleNames.NoAssistantTurn, StageKinds.Validate, "no assistant turn, or every assistant turn has weight 0", true),
        new(ConversationRuleNames.LastTurnNotAssistant, StageKinds.Validate, "the conversation does not end with an assistant turn", false),
    ];
}
