using Curation.Core.Conversations;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Review.Apply;

/// <summary>
/// The check a reviewed record passes before it goes into the data: the <c>validate</c> stage's rules with their
/// defaults and, for a record an earlier stage rejected under one of those rules, that rule too even where it is off
/// by default (<c>last-turn-not-assistant</c>), so that reviewers' accept never brings back the defect the record was
/// rejected for.
/// </summary>
internal sealed class ReviewValidation
{
    private readonly ConversationValidator _defaults = new(new ConversationRules());
    private readonly Dictionary<string, ConversationValidator> _withRule = new(StringComparer.Ordinal);

    /// <param name="rejectedFor">The rule an earlier stage rejected the record for; null for a record the run kept.</param>
    public StageResult Check(ChatRecord record, string? rejectedFor)
    {
        if (rejectedFor is null)
        {
            return _defaults.Check(record);
        }

        if (!_withRule.TryGetValue(rejectedFor, out var validator))
        {
            validator = Enabling(rejectedFor) is { } rules ? new ConversationValidator(rules) : _defaults;
            _withRule[rejectedFor] = validator;
        }

        return validator.Check(record);
    }

    private static ConversationRules? Enabling(string rule) => rule switch
    {
        ConversationRuleNames.NoMessages => new ConversationRules { NoMessages = true },
        ConversationRuleNames.UnknownRole => new ConversationRules { UnknownRole = true },
        ConversationRuleNames.InvalidUnicode => new ConversationRules { InvalidUnicode = true },
        ConversationRuleNames.EmptyTurn => new ConversationRules { EmptyTurn = true },
        ConversationRuleNames.SystemNotFirst => new ConversationRules { SystemNotFirst = true },
        ConversationRuleNames.ConsecutiveRoles => new ConversationRules { ConsecutiveRoles = true },
        ConversationRuleNames.OrphanToolTurn => new ConversationRules { OrphanToolTurn = true },
        ConversationRuleNames.NoAssistantTurn => new ConversationRules { NoAssistantTurn = true },
        ConversationRuleNames.LastTurnNotAssistant => new ConversationRules { LastTurnNotAssistant = true },
        _ => null,
    };
}
