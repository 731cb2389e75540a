using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Curation.Dedup.MinHash;

/// <summary>
/// Turns text into its set of shingles (n-grams of words or characters), each identified by the 64-bit XxHash3 of
/// its UTF-8 bytes. The text is encoded once and every n-gram is hashed where it lies in that buffer, so no string is
/// allocated per shingle. Immutable, so one instance can serve many threads.
/// </summary>
public sealed class Shingler
{
    public const int DefaultSize = 5;

    private readonly int _separatorLength;

    /// <param name="size">Units per shingle (n).</param>
    /// <param name="unit">Words or characters.</param>
    public Shingler(int size = DefaultSize, ShingleUnit unit = ShingleUnit.Word)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "not a shingle unit");
        }

        Size = size;
        Unit = unit;
        _separatorLength = unit == ShingleUnit.Word ? 1 : 0;
    }

    public int Size { get; }

    public ShingleUnit Unit { get; }

    /// <summary>
    /// The distinct shingle hashes of <paramref name="text"/>, sorted ascending. Text with fewer units than
    /// <see cref="Size"/> is one shingle of all of it; text without any unit (empty, or only whitespace when counting
    /// words) has none.
    /// </summary>
    public ulong[] Shingle(ReadOnlySpan<char> text)
    {
        var shingles = ArrayPool<ulong>.Shared.Rent(MaxShingles(text.Length));
        try
        {
            return shingles.AsSpan(0, Shingle(text, shingles)).ToArray();
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(shingles);
        }
    }

    /// <summary>The most shingles a text of <paramref name="textLength"/> chars can have: never more than one per char.</summary>
    internal static int MaxShingles(int textLength) => textLength;

    /// <summary>
    /// Writes the shingle set of <paramref name="text"/> (see <see cref="Shingle(ReadOnlySpan{char})"/>) to the start of
    /// <paramref name="destination"/>, which holds at least <see cref="MaxShingles"/>, and returns its size.
    /// </summary>
    internal int Shingle(ReadOnlySpan<char> text, Span<ulong> destination)
    {
        if (destination.Length < MaxShingles(text.Length))
        {
            throw new ArgumentException($"needs room for {MaxShingles(text.Length)} shingles, has {destination.Length}", nameof(destination));
        }

        if (text.IsEmpty)
        {
            return 0;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        var starts = ArrayPool<int>.Shared.Rent(text.Length + 1);
        ulong[]? hashes = null;
        try
        {
            var utf8 = bytes.AsSpan(0, Encoding.UTF8.GetBytes(text, bytes));
            var units = Unit == ShingleUnit.Word ? Utf8Units.CompactWords(ref utf8, starts) : Utf8Units.FindRunes(utf8, starts);
            if (units == 0)
            {
                return 0;
            }

            // A word's start plus the separator it would have after it: the n-gram ends one byte before the next start.
            starts[units] = utf8.Length + _separatorLength;
            var window = Math.Min(Size, units);
            var count = units - window + 1;
            hashes = ArrayPool<ulong>.Shared.Rent(count);
            for (var i = 0; i < count; i++)
            {
                hashes[i] = XxHash3.HashToUInt64(utf8[starts[i]..(starts[i + window] - _separatorLength)]);
            }

            return HashSorter.ToSortedSet(hashes.AsSpan(0, count), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<int>.Shared.Return(starts);
            if (hashes is not null)
            {
                ArrayPool<ulong>.Shared.Return(hashes);
            }
        }
    }
}
