using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

        var end = EndOfWord(_text, at + 1);
        Start = at;
        Current = _text[at..end];
        _next = end;
        return true;
    }

    /// <summary>Where the word that continues at <paramref name="from"/> ends: the next whitespace, or the end of the text.</summary>
    private static int EndOfWord(ReadOnlySpan<char> text, int from)
    {
        var end = from;
        while (end < text.Length)
        {
            // Sixteen ASCII characters at a time; a block holding anything else goes one character at a time.
            if (Vector256.IsHardwareAccelerated && end + Vector256<ushort>.Count <= text.Length)
            {
                var chars = Vector256.Create(MemoryMarshal.Cast<char, ushort>(text.Slice(end, Vector256<ushort>.Count)));
                if (Vector256.LessThanAll(chars, Vector256.Create((ushort)0x80)))
                {
                    var whiteSpace = Vector256.Equals(chars, Vector256.Create((ushort)' '))
                        | Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'\t'), Vector256.Create((ushort)('\r' - '\t')));
                    var found = whiteSpace.ExtractMostSignificantBits();
                    if (found != 0)
                    {
                        return end + BitOperations.TrailingZeroCount(found);
                    }

                    end += Vector256<ushort>.Count;
                    continue;
                }
            }

            for (var stop = Math.Min(end + Vector256<ushort>.Count, text.Length); end < stop; end++)
            {
                if (Whitespace.Is(text[end]))
                {
                    return end;
                }
            }
        }

        return end;
    }
}
