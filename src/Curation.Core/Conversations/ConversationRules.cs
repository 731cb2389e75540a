namespace Curation.Core.Conversations;

/// <summary>
/// Which structural rules a conversation must pass: one switch per rule, named after it (<c>consecutive_roles: false</c>
/// turns the <c>consecutive-roles</c> rule off). The options of the <c>validate</c> stage, and what reviewed records pass.
/// </summary>
public sealed class ConversationRules
{
    /// <summary>Reject a conversation without messages.</summary>
    public bool NoMessages { get; init; } = true;

    /// <summary>Reject a role other than system, user, assistant or tool (map aliases in <c>normalize</c> first).</summary>
    public bool UnknownRole { get; init; } = true;

    /// <summary>Reject text holding a lone UTF-16 surrogate.</summary>
    public bool InvalidUnicode { get; init; } = true;

    /// <summary>Reject a turn that is empty or only whitespace.</summary>
    public bool EmptyTurn { get; init; } = true;

    /// <summary>Reject a system turn anywhere but first.</summary>
    public bool SystemNotFirst { get; init; } = true;

    /// <summary>Reject two adjacent turns of the same role (tool after tool is allowed: parallel tool results).</summary>
    public bool ConsecutiveRoles { get; init; } = true;

    /// <summary>Reject a tool turn that does not follow an assistant or another tool turn.</summary>
    public bool OrphanToolTurn { get; init; } = true;

    /// <summary>Reject a conversation with no assistant turn to learn from (every assistant turn weight 0 counts as none).</summary>
    public bool NoAssistantTurn { get; init; } = true;

    /// <summary>
    /// Reject a conversation that does not end with an assistant turn. Off by default: the trailing turns teach
    /// nothing, but the assistant turns before them still do.
    /// </summary>
    public bool LastTurnNotAssistant { get; init; }
}
