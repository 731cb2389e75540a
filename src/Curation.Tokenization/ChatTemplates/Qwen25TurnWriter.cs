using Curation.Core.Records;
using static Curation.Tokenization.ChatTemplates.OwnTemplateWriters;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// Writes what Qwen2.5's own chat template renders for a conversation of system, user and assistant messages, with
/// no tools: ChatML turns (<c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>), after the template's default
/// system turn when the first message is not a system message. That default turn is part of the first message's
/// turn, as <see cref="JinjaChatTemplate.Render(IReadOnlyList{Message}, bool)"/> locates it (the template cannot
/// render an empty conversation, so the first turn starts at the beginning).
/// </summary>
internal sealed class Qwen25TurnWriter(int maxLength) : TurnWriter
{
    private const string DefaultSystemTurn = TurnStart + "system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant." + TurnEnd;

    public override bool TryWrite(IReadOnlyList<Message> messages, ReadOnlySpan<string> contents, TurnText text)
    {
        text.Clear();
        if (messages.Count == 0)
        {
            return false;
        }

        text.StartTurn();
        if (messages[0].Role != Roles.System)
        {
            text.Append(DefaultSystemTurn);
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i].Role;
            if (role is not (Roles.System or Roles.User or Roles.Assistant))
            {
                return false;
            }

            if (i > 0)
            {
                text.StartTurn();
            }

            text.Append(TurnStart);
            text.Append(role);
            text.Append("\n");
            text.Append(contents[i]);
            text.Append(TurnEnd);
        }

        text.EndTurns();

        // Longer, the template stops with an error the stage reports.
        return text.Length <= maxLength;
    }
}
