namespace Curation.Dedup;

/// <summary>
/// An append-only list of values in fixed chunks of 65,536: growing never copies what is there nor leaves a doubled
/// array half empty, so a list of n values costs about n values of memory, not up to 3n while it grows. Cleared, it
/// keeps its chunks for reuse.
/// </summary>
internal sealed class ChunkedList<T>
    where T : unmanaged
{
    private const int ChunkBits = 16;
    private const int ChunkMask = (1 << ChunkBits) - 1;

    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _chunks[index >> ChunkBits][index & ChunkMask];
        }
    }

    public void Add(T value)
    {
        if ((Count & ChunkMask) == 0 && Count >> ChunkBits == _chunks.Count)
        {
            _chunks.Add(new T[1 << ChunkBits]);
        }

        _chunks[Count >> ChunkBits][Count & ChunkMask] = value;
        Count++;
    }

    /// <summary>Empties the list; its chunks stay allocated for the values added next.</summary>
    public void Clear() => Count = 0;

    /// <summary>Empties the list and lets its chunks go.</summary>
    public void Release()
    {
        _chunks.Clear();
        _chunks.TrimExcess();
        Count = 0;
    }

    /// <summary>How many chunks hold values.</summary>
    public int ChunkCount => (Count + ChunkMask) >> ChunkBits;

    /// <summary>The values in chunk <paramref name="chunk"/>, in order: chunks in order hold the list in order.</summary>
    public ReadOnlySpan<T> Chunk(int chunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chunk, ChunkCount);
        return _chunks[chunk].AsSpan(0, Math.Min(1 << ChunkBits, Count - (chunk << ChunkBits)));
    }

    /// <summary>Copies the values, in order, to the start of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<T> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Count, nameof(destination));
        for (var start = 0; start < Count; start += 1 << ChunkBits)
        {
            var length = Math.Min(1 << ChunkBits, Count - start);
            _chunks[start >> ChunkBits].AsSpan(0, length).CopyTo(destination[start..]);
        }
    }
}
