namespace Curation.Filters.Quality.Text;

/// <summary>
/// The pieces of a text between runs of at least <c>minimumRun</c> '\n' characters, as <c>Regex.Split</c> with
/// <c>\n+</c> (lines) or <c>\n{2,}</c> (paragraphs) yields them: a separator at either end leaves an empty piece
/// there, and an empty text is one empty piece.
/// </summary>
internal ref struct NewlineRunEnumerator
{
    private readonly ReadOnlySpan<char> _text;
    private readonly int _minimumRun;
    private int _next;

    public NewlineRunEnumerator(ReadOnlySpan<char> text, int minimumRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumRun, 1);
        _text = text;
        _minimumRun = minimumRun;
    }

    /// <summary>Where <see cref="Current"/> starts in the text.</summary>
    public int Start { get; private set; }

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly NewlineRunEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_next > _text.Length)
        {
            return false;
        }

        var separator = NextSeparator(_next);
        Start = _next;
        if (separator < 0)
        {
            Current = _text[_next..];
            _next = _text.Length + 1;
            return true;
        }

        Current = _text[_next..separator];
        var after = separator + _minimumRun;
        while (after < _text.Length && _text[after] == '\n')
        {
            after++;
        }

        _next = after;
        return true;
    }

    private readonly int NextSeparator(int from)
    {
        var at = from;
        while (true)
        {
            var found = _text[at..].IndexOf('\n');
            if (found < 0)
            {
                return -1;
            }

            var start = at + found;
            var end = start + 1;
            while (end < _text.Length && end - start < _minimumRun && _text[end] == '\n')
            {
                end++;
            }

            if (end - start >= _minimumRun)
            {
                return start;
            }

            at = end;
        }
    }
}
