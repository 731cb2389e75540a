namespace Curation.Filters.Quality.Text;

/// <summary>
/// Invariant lower-cased copies of a response and of its prompt in buffers of the calling thread, valid until its next
/// call: the same chars <c>ToLowerInvariant()</c> returns, without a string per turn.
/// </summary>
internal static class LoweredText
{
    [ThreadStatic]
    private static CharScratch? t_response;

    [ThreadStatic]
    private static CharScratch? t_prompt;

    public static ReadOnlySpan<char> Response(ReadOnlySpan<char> text) => Lower(text, t_response ??= new CharScratch());

    public static ReadOnlySpan<char> Prompt(ReadOnlySpan<char> text) => Lower(text, t_prompt ??= new CharScratch());

    private static ReadOnlySpan<char> Lower(ReadOnlySpan<char> text, CharScratch scratch)
    {
        var lowered = scratch.Take(text.Length);
        text.ToLowerInvariant(lowered);
        return lowered;
    }
}
