namespace Curation.Filters.Quality.Text;

/// <summary>
/// The whitespace-separated words of a text, as <c>string.Split(null, RemoveEmptyEntries)</c> yields them, without
/// allocating: <c>foreach (var word in new WordEnumerator(text))</c>.
/// </summary>
internal ref struct WordEnumerator
{
    private readonly ReadOnlySpan<char> _text;
    private int _next;

    public WordEnumerator(ReadOnlySpan<char> text)
    {
        _text = text;
        Start = -1;
    }

    /// <summary>Where <see cref="Current"/> starts in the text.</summary>
    public int Start { get; private set; }

    public ReadOnlySpan<char> Current { get; private set; }

    /// <summary>How many words <paramref name="text"/> holds.</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in new WordEnumerator(text))
        {
            count++;
        }

        return count;
    }

    public readonly WordEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var at = _next;
        while (at < _text.Length && Whitespace.Is(_text[at]))
        {
            at++;
        }

        if (at == _text.Length)
        {
            _next = at;
            return false;
        }

        var end = at + 1;
        while (end < _text.Length && !Whitespace.Is(_text[end]))
        {
            end++;
        }

        Start = at;
        Current = _text[at..end];
        _next = end;
        return true;
    }
}
