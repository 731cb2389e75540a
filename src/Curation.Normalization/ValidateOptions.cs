namespace Curation.Normalization;

/// <summary>
/// Options of the <c>validate</c> stage: one switch per rule, named after it (<c>consecutive_roles: false</c> turns
/// the <c>consecutive-roles</c> rule off).
/// </summary>
public sealed class ValidateOptions
{
    /// <summary>Reject a conversation without messages.</summary>
    public bool NoMessages { get; set; } = true;

    /// <summary>Reject a role other than system, user, assistant or tool (map aliases in <c>normalize</c> first).</summary>
    public bool UnknownRole { get; set; } = true;

    /// <summary>Reject text holding a lone UTF-16 surrogate.</summary>
    public bool InvalidUnicode { get; set; } = true;

    /// <summary>Reject a turn that is empty or only whitespace.</summary>
    public bool EmptyTurn { get; set; } = true;

    /// <summary>Reject a system turn anywhere but first.</summary>
    public bool SystemNotFirst { get; set; } = true;

    /// <summary>Reject two adjacent turns of the same role (tool after tool is allowed: parallel tool results).</summary>
    public bool ConsecutiveRoles { get; set; } = true;

    /// <summary>Reject a tool turn that does not follow an assistant or another tool turn.</summary>
    public bool OrphanToolTurn { get; set; } = true;

    /// <summary>Reject a conversation with no assistant turn to learn from (every assistant turn weight 0 counts as none).</summary>
    public bool NoAssistantTurn { get; set; } = true;

    /// <summary>
    /// Reject a conversation that does not end with an assistant turn. Off by default: the trailing turns teach
    /// nothing, but the assistant turns before them still do.
    /// </summary>
    public bool LastTurnNotAssistant { get; set; }
}
