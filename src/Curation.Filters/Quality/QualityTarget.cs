using Curation.Core.Records;
using Curation.Filters.Quality.Text;

namespace Curation.Filters.Quality;

/// <summary>Which text of a conversation the quality rules read.</summary>
public enum QualityTarget
{
    /// <summary>The assistant turns, joined by blank lines: what the model learns to write.</summary>
    Response,

    /// <summary>Every turn, joined by blank lines.</summary>
    Conversation,
}

internal static class QualityText
{
    private const string Separator = "\n\n";

    [ThreadStatic]
    private static CharScratch? t_joined;

    /// <summary>
    /// The target turns joined by blank lines. A single turn is its own content; several are joined into this thread's
    /// scratch buffer, valid until the thread's next call.
    /// </summary>
    public static ReadOnlySpan<char> Of(ChatRecord record, QualityTarget target)
    {
        var length = 0;
        var turns = 0;
        string? only = null;
        foreach (var message in record.Messages)
        {
            if (Selected(message, target))
            {
                length += message.Content.Length;
                turns++;
                only = message.Content;
            }
        }

        if (turns <= 1)
        {
            return only;
        }

        var joined = (t_joined ??= new CharScratch()).Take(length + ((turns - 1) * Separator.Length));
        var at = 0;
        var first = true;
        foreach (var message in record.Messages)
        {
            if (Selected(message, target))
            {
                if (!first)
                {
                    Separator.CopyTo(joined[at..]);
                    at += Separator.Length;
                }

                first = false;
                message.Content.CopyTo(joined[at..]);
                at += message.Content.Length;
            }
        }

        return joined;
    }

    private static bool Selected(Message message, QualityTarget target) => target == QualityTarget.Conversation || message.Role == Roles.Assistant;
}
