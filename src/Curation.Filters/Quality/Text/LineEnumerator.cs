namespace Curation.Filters.Quality.Text;

/// <summary>
/// The pieces of a text between '\n' characters, empty ones included, as <c>string.Split('\n')</c> yields them,
/// without allocating.
/// </summary>
internal ref struct LineEnumerator
{
    private readonly ReadOnlySpan<char> _text;
    private int _next;

    public LineEnumerator(ReadOnlySpan<char> text)
    {
        _text = text;
    }

    /// <summary>Where <see cref="Current"/> starts in the text.</summary>
    public int Start { get; private set; }

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly LineEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_next > _text.Length)
        {
            return false;
        }

        Start = _next;
        var rest = _text[_next..];
        var end = rest.IndexOf('\n');
        if (end < 0)
        {
            Current = rest;
            _next = _text.Length + 1;
        }
        else
        {
            Current = rest[..end];
            _next += end + 1;
        }

        return true;
    }
}
