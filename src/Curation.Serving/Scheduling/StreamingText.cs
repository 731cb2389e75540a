namespace Curation.Serving.Scheduling;

/// <summary>
/// Turns a reply's ids, as they come, into text pieces that are never taken back: a trailing incomplete character
/// (decoded as U+FFFD until its last byte arrives), a stop string and any tail that could still become one wait for
/// the next token, so the pieces joined are exactly the final reply.
/// </summary>
internal sealed class StreamingText(IReadOnlyList<string> stop)
{
    private const char Replacement = '\uFFFD';
    private int _sent;

    /// <summary>The new text that the reply so far (<paramref name="text"/>, its ids decoded) makes safe to send, or null when there is none yet.</summary>
    public string? Next(string text)
    {
        var safe = text.Length;
        while (safe > _sent && text[safe - 1] == Replacement)
        {
            safe--;
        }

        var stopAt = StopStrings.First(text, stop);
        safe = stopAt >= 0 ? Math.Min(safe, stopAt) : safe - StopStrings.PartialTail(text[..safe], stop);
        return Take(text, safe);
    }

    /// <summary>What is left to send of the <paramref name="final"/> reply.</summary>
    public string Rest(string final) => Take(final, final.Length) ?? string.Empty;

    private string? Take(string text, int end)
    {
        if (end <= _sent)
        {
            return null;
        }

        var piece = text[_sent..end];
        _sent = end;
        return piece;
    }
}
