namespace Curation.Filters.Quality.Text;

/// <summary>The words of one text as offsets and hashes, in arrays reused by the thread that owns the list.</summary>
internal sealed class WordList
{
    private int[] _starts = new int[256];
    private int[] _lengths = new int[256];
    private int[] _hashes = new int[256];

    public int Count { get; private set; }

    /// <summary>The words of <paramref name="text"/>, split as <see cref="WordEnumerator"/> splits them.</summary>
    public void Fill(ReadOnlySpan<char> text)
    {
        Count = 0;
        var at = 0;
        while (true)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }

            if (at == text.Length)
            {
                return;
            }

            var start = at;
            while (at < text.Length && !char.IsWhiteSpace(text[at]))
            {
                at++;
            }

            Add(start, at - start, HashOf(text[start..at]));
        }
    }

    private void Add(int start, int length, int hash)
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
            Array.Resize(ref _hashes, Count * 2);
        }

        _starts[Count] = start;
        _lengths[Count] = length;
        _hashes[Count] = hash;
        Count++;
    }

    /// <summary>FNV-1a of the word's chars: it only spreads words over a table, where equal hashes are then compared.</summary>
    public static int HashOf(ReadOnlySpan<char> word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    public int Hash(int word) => _hashes[word];

    public ReadOnlySpan<char> Word(ReadOnlySpan<char> text, int word) => text.Slice(_starts[word], _lengths[word]);
}
