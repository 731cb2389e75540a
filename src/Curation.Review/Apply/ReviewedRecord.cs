using Curation.Core.Records;
using Curation.Review.Decisions;

namespace Curation.Review.Apply;

/// <summary>A record as reviewers left it: their conversation, or their answer in place of the last assistant turn.</summary>
public static class ReviewedRecord
{
    public static ChatRecord Corrected(ChatRecord record, ReviewDecision decision)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Conversation is { } conversation)
        {
            return record with { Messages = conversation };
        }

        if (decision.Correction is not { } correction)
        {
            return record;
        }

        var messages = record.Messages;
        for (var i = messages.Length - 1; i >= 0; i--)
        {
            if (messages[i].Role == Roles.Assistant)
            {
                return record with { Messages = messages.SetItem(i, messages[i] with { Content = correction }) };
            }
        }

        return record with { Messages = messages.Add(new Message(Roles.Assistant, correction)) };
    }
}
