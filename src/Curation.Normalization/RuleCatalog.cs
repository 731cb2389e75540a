namespace Curation.Normalization;

/// <summary>Every reject rule of the <c>normalize</c> and <c>validate</c> stages, in the order they are checked.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<RuleInfo> Rules { get; } =
    [
        new(RuleNames.InvalidUnicode, StageKinds.Normalize, "a turn's content or name holds a lone UTF-16 surrogate (e.g. a JSON \"\\ud800\" escape)", true),
        new(RuleNames.NoMessages, StageKinds.Validate, "the conversation has no messages", true),
        new(RuleNames.UnknownRole, StageKinds.Validate, "a role is not system, user, assistant or tool (map aliases with normalize's role_map)", true),
        new(RuleNames.InvalidUnicode, StageKinds.Validate, "a turn's content or name holds a lone UTF-16 surrogate", true),
        new(RuleNames.EmptyTurn, StageKinds.Validate, "a turn is empty or only whitespace", true),
        new(RuleNames.SystemNotFirst, StageKinds.Validate, "a system turn comes after the first position", true),
        new(RuleNames.ConsecutiveRoles, StageKinds.Validate, "two adjacent turns have the same role (tool after tool is allowed)", true),
        new(RuleNames.OrphanToolTurn, StageKinds.Validate, "a tool turn does not follow an assistant or tool turn", true),
        new(RuleNames.NoAssistantTurn, StageKinds.Validate, "no assistant turn, or every assistant turn has weight 0", true),
        new(RuleNames.LastTurnNotAssistant, StageKinds.Validate, "the conversation does not end with an assistant turn", false),
    ];
}
