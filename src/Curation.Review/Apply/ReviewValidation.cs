using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Normalization;

namespace Curation.Review.Apply;

/// <summary>
/// The check a reviewed record passes before it goes into the data: the <c>validate</c> stage's rules with their
/// defaults and, for a record an earlier stage rejected under one of those rules, that rule too even where it is off
/// by default (<c>last-turn-not-assistant</c>), so that reviewers' accept never brings back the defect the record was
/// rejected for.
/// </summary>
internal sealed class ReviewValidation
{
    private readonly ValidateStage _defaults = new(new ValidateOptions());
    private readonly Dictionary<string, ValidateStage> _withRule = new(StringComparer.Ordinal);

    /// <param name="rejectedFor">The rule an earlier stage rejected the record for; null for a record the run kept.</param>
    public StageResult Check(ChatRecord record, string? rejectedFor)
    {
        if (rejectedFor is null)
        {
            return _defaults.Apply(record);
        }

        if (!_withRule.TryGetValue(rejectedFor, out var stage))
        {
            stage = Enabling(rejectedFor) is { } options ? new ValidateStage(options) : _defaults;
            _withRule[rejectedFor] = stage;
        }

        return stage.Apply(record);
    }

    private static ValidateOptions? Enabling(string rule)
    {
        var options = new ValidateOptions();
        switch (rule)
        {
            case RuleNames.NoMessages: options.NoMessages = true; break;
            case RuleNames.UnknownRole: options.UnknownRole = true; break;
            case RuleNames.InvalidUnicode: options.InvalidUnicode = true; break;
            case RuleNames.EmptyTurn: options.EmptyTurn = true; break;
            case RuleNames.SystemNotFirst: options.SystemNotFirst = true; break;
            case RuleNames.ConsecutiveRoles: options.ConsecutiveRoles = true; break;
            case RuleNames.OrphanToolTurn: options.OrphanToolTurn = true; break;
            case RuleNames.NoAssistantTurn: options.NoAssistantTurn = true; break;
            case RuleNames.LastTurnNotAssistant: options.LastTurnNotAssistant = true; break;
            default: return null;
        }

        return options;
    }
}
