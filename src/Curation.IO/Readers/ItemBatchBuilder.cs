using System.Buffers;
using System.Runtime.InteropServices;
using Curation.Core.Records;

namespace Curation.IO.Readers;

/// <summary>
/// Collects item bytes in a pooled staging buffer and hands them out as one batch backed by a single new array, so the
/// items stay valid after the reader moves on without one allocation per item. Items are either copied in whole with
/// <see cref="Add"/> or written through the <see cref="IBufferWriter{T}"/> interface and closed with <see cref="Commit"/>.
/// </summary>
internal sealed class ItemBatchBuilder : IBufferWriter<byte>, IDisposable
{
    private const int InitialBytes = 64 * 1024;
    private const int KeepBytes = 4 * ReaderLimits.BatchBytes;

    private readonly int _maxItems;
    private readonly int _maxBytes;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private readonly SourceRef[] _sources;
    private byte[] _buffer;
    private int _length;
    private int _itemStart;
    private int _count;

    public ItemBatchBuilder(int maxItems = ReaderLimits.BatchItems, int maxBytes = ReaderLimits.BatchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _maxItems = maxItems;
        _maxBytes = maxBytes;
        _starts = new int[maxItems];
        _lengths = new int[maxItems];
        _sources = new SourceRef[maxItems];
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
    }

    /// <summary>Items committed and not yet flushed.</summary>
    public int Count => _count;

    /// <summary>True once the batch reached its item or byte limit; flush before adding more.</summary>
    public bool IsFull => _count >= _maxItems || _length >= _maxBytes;

    public void Add(ReadOnlySpan<byte> item, SourceRef source)
    {
        item.CopyTo(GetSpan(item.Length));
        Advance(item.Length);
        Commit(source);
    }

    /// <summary>Closes the item written since the last commit.</summary>
    public void Commit(SourceRef source)
    {
        if (_count >= _maxItems)
        {
            throw new InvalidOperationException("The batch is full; flush it first.");
        }

        _starts[_count] = _itemStart;
        _lengths[_count] = _length - _itemStart;
        _sources[_count] = source;
        _count++;
        _itemStart = _length;
    }

    /// <summary>Forgets bytes written since the last commit.</summary>
    public void DiscardUncommitted() => _length = _itemStart;

    /// <summary>
    /// Returns the committed items, backed by one array rented from the shared pool, and starts an empty batch.
    /// Hand the batch to <see cref="Return"/> once nothing reads its items any more; if it never is, the array is
    /// simply collected.
    /// </summary>
    public RawItem[] Flush()
    {
        if (_count == 0)
        {
            return [];
        }

        // The staging buffer itself becomes the batch's array and a fresh one takes its place: only the bytes of an
        // item still being written move, not the whole batch.
        var bytes = _buffer;
        var items = new RawItem[_count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new RawItem(new ReadOnlyMemory<byte>(bytes, _starts[i], _lengths[i]), _sources[i]);
        }

        var pending = _length - _itemStart;
        var size = bytes.Length > KeepBytes && pending < InitialBytes ? InitialBytes : bytes.Length;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, pending));
        bytes.AsSpan(_itemStart, pending).CopyTo(_buffer);
        _length = pending;
        _itemStart = 0;
        _count = 0;
        return items;
    }

    /// <summary>Gives the array behind a batch from <see cref="Flush"/> back to the pool and empties the batch.</summary>
    public static void Return(RawItem[] batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Length > 0 && MemoryMarshal.TryGetArray(batch[0].Utf8Json, out var segment) && segment.Array is { Length: > 0 } array)
        {
            Array.Clear(batch);
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 256);
        if (_buffer.Length - _length >= needed)
        {
            return;
        }

        var required = (long)_length + needed;
        if (required > Array.MaxLength)
        {
            throw new InvalidOperationException($"A batch cannot hold more than {Array.MaxLength} bytes.");
        }

        var size = (int)Math.Min(Array.MaxLength, Math.Max(required, (long)_buffer.Length * 2));
        var larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        Replace(larger);
    }

    private void Replace(byte[] buffer)
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = buffer;
    }
}
