using System.Runtime.InteropServices;

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
            while (at < text.Length && Whitespace.Is(text[at]))
            {
                at++;
            }

            if (at == text.Length)
            {
                return;
            }

            var start = at;
            while (at < text.Length && !Whitespace.Is(text[at]))
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

    /// <summary>
    /// A hash of the word's length and first and last four chars: it only spreads words over a table, where words of
    /// equal hash are then compared, so reading every char would cost more than the rare extra comparison.
    /// </summary>
    public static int HashOf(ReadOnlySpan<char> word)
    {
        ulong head = 0, tail = 0;
        var bytes = MemoryMarshal.AsBytes(word);
        if (bytes.Length >= sizeof(ulong))
        {
            head = MemoryMarshal.Read<ulong>(bytes);
            tail = MemoryMarshal.Read<ulong>(bytes[^sizeof(ulong)..]);
        }
        else
        {
            foreach (var c in word)
            {
                head = (head << 16) | c;
            }
        }

        var mixed = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)word.Length;
        return (int)(mixed ^ (mixed >> 32));
    }

    public int Hash(int word) => _hashes[word];

    public ReadOnlySpan<char> Word(ReadOnlySpan<char> text, int word) => text.Slice(_starts[word], _lengths[word]);
}
