using Curation.Core.Records;

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
    public static string Of(ChatRecord record, QualityTarget target) => string.Join(
        "\n\n",
        record.Messages.Where(message => target == QualityTarget.Conversation || message.Role == Roles.Assistant).Select(message => message.Content));

    /// <summary>Whitespace-separated words (the published rules use a word tokenizer; whitespace is the portable approximation).</summary>
    public static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// How many of <paramref name="items"/> repeat an earlier one, and their characters: datatrove's
    /// <c>find_duplicates</c>.
    /// </summary>
    public static (int Count, int Characters) Duplicates(IEnumerable<string> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int count = 0, characters = 0;
        foreach (var item in items)
        {
            if (!seen.Add(item))
            {
                count++;
                characters += item.Length;
            }
        }

        return (count, characters);
    }
}
