using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Curation.Filters.Quality.Text;

/// <summary>
/// Counts the pieces of one text (lines, paragraphs) that repeat an earlier piece, and their characters: datatrove's
/// <c>find_duplicates</c> over spans instead of strings. One instance per thread, reused from text to text.
/// </summary>
internal sealed class DuplicatePieces
{
    [ThreadStatic]
    private static DuplicatePieces? t_forThread;

    private const int MinimumSize = 64;

    private int[] _slots = new int[MinimumSize];
    private int[] _starts = new int[MinimumSize / 2];
    private int[] _lengths = new int[MinimumSize / 2];
    private int _count;
    private int _mask = MinimumSize - 1;

    public int Count { get; private set; }

    public int Characters { get; private set; }

    /// <summary>This thread's instance, emptied, for pieces of one text.</summary>
    public static DuplicatePieces Begin()
    {
        var pieces = t_forThread ??= new DuplicatePieces();
        pieces.Clear();
        return pieces;
    }

    /// <summary>Adds the piece <paramref name="text"/>[<paramref name="start"/>..+<paramref name="length"/>], counting it when seen before.</summary>
    public void Add(ReadOnlySpan<char> text, int start, int length)
    {
        var piece = text.Slice(start, length);
        var slot = Hash(piece) & _mask;
        while (_slots[slot] != 0)
        {
            var index = _slots[slot] - 1;
            if (piece.SequenceEqual(text.Slice(_starts[index], _lengths[index])))
            {
                Count++;
                Characters += length;
                return;
            }

            slot = (slot + 1) & _mask;
        }

        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }

        _starts[_count] = start;
        _lengths[_count] = length;
        _slots[slot] = ++_count;
        if (_count * 2 > _mask + 1)
        {
            Grow(text);
        }
    }

    // Only a prefix of the slots, sized for the pieces so far, is used: a small text after a large one clears little.
    private void Clear()
    {
        if (_count > 0)
        {
            _slots.AsSpan(0, _mask + 1).Clear();
        }

        _mask = MinimumSize - 1;
        _count = 0;
        Count = 0;
        Characters = 0;
    }

    private void Grow(ReadOnlySpan<char> text)
    {
        var size = (_mask + 1) * 2;
        if (size > _slots.Length)
        {
            _slots = new int[size];
        }
        else
        {
            _slots.AsSpan(0, size).Clear();
        }

        _mask = size - 1;
        for (var index = 0; index < _count; index++)
        {
            var slot = Hash(text.Slice(_starts[index], _lengths[index])) & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = index + 1;
        }
    }

    // Not string.GetHashCode: its randomised Marvin hash was the slowest part of counting repeated lines.
    private static int Hash(ReadOnlySpan<char> piece) => (int)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(piece));
}
