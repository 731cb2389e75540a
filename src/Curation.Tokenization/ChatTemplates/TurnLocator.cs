using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates.Jinja.Library;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// Finds where each message of a conversation landed in a template's rendering, for templates that say nothing
/// about it: message k's turn starts where the rendering of the first k messages ends (aligned into the full text,
/// which can write earlier turns differently), an assistant turn's content starts where the rendering of the
/// messages before it with a generation prompt ends (what the model writes from there is what it is trained on),
/// and a message whose text only appears in another turn (a system prompt folded into a user turn), or a system
/// prompt the template leaves out, has no turn.
/// </summary>
internal static class TurnLocator
{
    /// <param name="render">The text of the first <c>count</c> messages, with or without a generation prompt; null when the template fails on them.</param>
    public static List<TurnSpan> Locate(IReadOnlyList<Message> messages, string full, string withoutPrompt, Func<int, bool, string?> render)
    {
        var count = messages.Count;
        var bounds = new int[count + 1];
        var end = TextAlignment.AlignEnd(withoutPrompt, full);
        bounds[count] = end;
        bounds[0] = render(0, false) is { } preamble ? Math.Min(TextAlignment.AlignEnd(preamble, full), end) : 0;
        for (var k = 1; k < count; k++)
        {
            var at = render(k, false) is { } prefix ? TextAlignment.AlignTurnEnd(prefix, full, messages[k - 1].Content, bounds[k - 1]) : bounds[k - 1];
            bounds[k] = Math.Clamp(at, bounds[k - 1], end);
        }

        var turns = new List<TurnSpan>(count);
        for (var k = 0; k < count; k++)
        {
            var (start, stop) = (bounds[k], bounds[k + 1]);
            if (stop <= start)
            {
                continue;
            }

            var message = messages[k];
            var contentStart = start;
            if (message.Role == Roles.Assistant && render(k, true) is { } prompt)
            {
                contentStart = Math.Clamp(TextAlignment.CommonPrefixLength(prompt, full), start, stop);
            }

            // A system prompt the template moved into another turn, or left out (Mistral Nemo writes it only into a
            // last user turn), is no turn of its own; other roles keep theirs when the template rewrote their text.
            var content = FindContent(full, message.Content, contentStart, stop);
            if (content is null && message.Content.Length > 0 && (message.Role == Roles.System || IsElsewhere(full, message.Content, start, stop)))
            {
                continue;
            }

            var contentEnd = content?.End ?? (message.Role == Roles.Assistant ? stop : contentStart);
            if (message.Role != Roles.Assistant && content is { } found)
            {
                contentStart = found.Start;
            }

            turns.Add(new TurnSpan(k, message.Role, start, stop, contentStart, contentEnd));
        }

        return turns;
    }

    /// <summary>The content as written, or stripped of surrounding whitespace (templates that trim), within [from, stop).</summary>
    private static TextSpan? FindContent(string full, string content, int from, int stop)
    {
        foreach (var candidate in new[] { content, PythonText.Strip(content) })
        {
            if (candidate.Length == 0)
            {
                continue;
            }

            var at = full.IndexOf(candidate, from, stop - from, StringComparison.Ordinal);
            if (at >= 0)
            {
                return new TextSpan(at, at + candidate.Length);
            }
        }

        return null;
    }

    private static bool IsElsewhere(string full, string content, int start, int stop)
    {
        var at = full.IndexOf(content, StringComparison.Ordinal);
        return at >= 0 && (at < start || at + content.Length > stop || full.IndexOf(content, stop, StringComparison.Ordinal) >= 0);
    }
}
