using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Unicode;

namespace Curation.Core.Conversations;

/// <summary>
/// Rejects conversations a chat fine-tune cannot use. Turn rules are checked turn by turn, so the reject names the
/// first problem in the conversation; then the whole-record rules. Kept records are returned unchanged.
/// </summary>
public sealed class ConversationValidator
{
    private static readonly string RoleChoices = string.Join('|', Roles.All);

    private readonly ConversationRules _options;

    public ConversationValidator(ConversationRules options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public StageResult Check(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var options = _options;
        var messages = record.Messages.IsDefault ? [] : record.Messages;
        if (messages.IsEmpty && options.NoMessages)
        {
            return StageResult.Drop(ConversationRuleNames.NoMessages, "the conversation has no messages");
        }

        var assistantTurns = 0;
        var trainableTurns = 0;
        string? previous = null;
        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i];
            var role = message.Role;
            if (CheckTurn(i, message, previous) is { } problem)
            {
                return problem;
            }

            if (role == Roles.Assistant)
            {
                assistantTurns++;
                if (message.Weight != 0)
                {
                    trainableTurns++;
                }
            }

            previous = role;
        }

        if (options.NoAssistantTurn && trainableTurns == 0)
        {
            return StageResult.Drop(
                ConversationRuleNames.NoAssistantTurn,
                assistantTurns == 0 ? "the conversation has no assistant turn" : $"all {assistantTurns} assistant turns have weight 0");
        }

        if (options.LastTurnNotAssistant && !messages.IsEmpty && messages[^1].Role != Roles.Assistant)
        {
            var last = messages.Length - 1;
            return StageResult.Drop(ConversationRuleNames.LastTurnNotAssistant, $"the conversation ends with messages[{last}] ({messages[last].Role}), not an assistant turn");
        }

        return StageResult.Keep(record);
    }

    private StageResult? CheckTurn(int index, Message message, string? previous)
    {
        var options = _options;
        var role = message.Role;
        if (options.UnknownRole && !Roles.IsKnown(role))
        {
            return StageResult.Drop(ConversationRuleNames.UnknownRole, $"messages[{index}].role: expected one of {RoleChoices}, got '{role}'");
        }

        if (options.InvalidUnicode)
        {
            if (Surrogates.FindLone(message.Content) is var inContent and >= 0)
            {
                return StageResult.Drop(ConversationRuleNames.InvalidUnicode, Surrogates.Describe(index, "content", message.Content, inContent));
            }

            if (message.Name is { } name && Surrogates.FindLone(name) is var inName and >= 0)
            {
                return StageResult.Drop(ConversationRuleNames.InvalidUnicode, Surrogates.Describe(index, "name", name, inName));
            }
        }

        if (options.EmptyTurn && string.IsNullOrWhiteSpace(message.Content))
        {
            return StageResult.Drop(ConversationRuleNames.EmptyTurn, $"messages[{index}] ({role}) is empty");
        }

        if (options.SystemNotFirst && index > 0 && role == Roles.System)
        {
            return StageResult.Drop(ConversationRuleNames.SystemNotFirst, $"messages[{index}] is a system turn; a system turn may only come first");
        }

        if (options.ConsecutiveRoles && role == previous && role != Roles.Tool)
        {
            return StageResult.Drop(ConversationRuleNames.ConsecutiveRoles, $"messages[{index - 1}] and messages[{index}] are both '{role}'");
        }

        if (options.OrphanToolTurn && role == Roles.Tool && previous is not (Roles.Assistant or Roles.Tool))
        {
            return StageResult.Drop(
                ConversationRuleNames.OrphanToolTurn,
                previous is null ? $"messages[{index}] (tool) opens the conversation; a tool turn must follow an assistant turn"
                    : $"messages[{index}] (tool) follows a '{previous}' turn; a tool turn must follow an assistant turn");
        }

        return null;
    }
}
