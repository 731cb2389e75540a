using Curation.Core.Records;
using static Curation.Tokenization.ChatTemplates.OwnTemplateWriters;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// Writes what Qwen3's own chat template renders for a conversation of system, user and assistant messages with no
/// tools and no reasoning (no <c>&lt;/think&gt;</c> in an answer, no user turn of tool results): ChatML turns, the
/// last message, when it is an answer to a user, opening with an empty think block. Turns are where
/// <see cref="JinjaChatTemplate.Render(IReadOnlyList{Message}, bool)"/> locates them: for an earlier answer that the
/// rendering of the conversation up to it writes with a think block, by its content, so such an answer must be long
/// enough to be found by it, and found only where it is.
/// </summary>
internal sealed class Qwen3TurnWriter(int maxLength) : TurnWriter
{
    private const string ThinkingAnswerStart = TurnStart + "assistant\n<think>\n\n</think>\n\n";

    // The shortest content TextAlignment.AlignTurnEnd anchors a turn's end on.
    private const int ShortestAnchor = 16;

    public override bool TryWrite(IReadOnlyList<Message> messages, ReadOnlySpan<string> contents, TurnText text)
    {
        text.Clear();
        var count = messages.Count;
        if (count == 0)
        {
            return false;
        }

        // The template's last query: the last user message (one of tool results would not count, and is left to the template).
        var lastQuery = count - 1;
        for (var i = count - 1; i >= 0; i--)
        {
            if (messages[i].Role == Roles.User)
            {
                lastQuery = i;
                break;
            }
        }

        var userSeen = false;
        for (var i = 0; i < count; i++)
        {
            var (role, content) = (messages[i].Role, contents[i]);
            var thinks = false;
            switch (role)
            {
                case Roles.User when content.StartsWith("<tool_response>", StringComparison.Ordinal):
                    return false;
                case Roles.User:
                    userSeen = true;
                    break;
                case Roles.Assistant when content.Contains("</think>", StringComparison.Ordinal):
                    return false;
                case Roles.Assistant:
                    thinks = i == count - 1 && i > lastQuery;

                    // The template strips the newlines a thinking answer starts with, and the turn is then found differently.
                    if ((thinks && content.StartsWith('\n')) || (!thinks && userSeen && i < count - 1 && !AnchorsAlone(content)))
                    {
                        return false;
                    }

                    break;
                case Roles.System:
                    break;
                default:
                    return false;
            }

            text.StartTurn();
            if (thinks)
            {
                text.Append(ThinkingAnswerStart);
            }
            else
            {
                text.Append(TurnStart);
                text.Append(role);
                text.Append("\n");
            }

            text.Append(content);
            text.Append(TurnEnd);
        }

        text.EndTurns();

        // Longer, the template stops with an error the stage reports.
        return text.Length <= maxLength;
    }

    /// <summary>
    /// Whether an earlier answer's turn end is found from its content: the rendering up to it writes the answer after
    /// an empty think block, the whole conversation's without, and the two are aligned on the content, which must be
    /// long enough, differ from the think block at once, and occur in the think-block turn only where it is written.
    /// </summary>
    private static bool AnchorsAlone(string content)
    {
        if (content.Length < ShortestAnchor || content[0] == ThinkingAnswerStart[TurnStart.Length + "assistant\n".Length])
        {
            return false;
        }

        for (var offset = 0; offset < ThinkingAnswerStart.Length; offset++)
        {
            var rest = ThinkingAnswerStart.AsSpan(offset);
            if (content.AsSpan().StartsWith(rest, StringComparison.Ordinal) || rest.StartsWith(content, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
