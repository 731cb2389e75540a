using System.Buffers;
using System.Runtime.InteropServices;

namespace Curation.IO.Writers;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}.Shared"/>. <see cref="Detach"/> hands the bytes to a chunk;
/// <see cref="Return"/> gives the array back once the chunk has been written.
/// </summary>
internal sealed class PooledByteBuffer : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _written;

    public PooledByteBuffer(int initialCapacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Write(byte value)
    {
        Ensure(1);
        _buffer[_written++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_written));
        _written += bytes.Length;
    }

    /// <summary>The bytes written; the buffer must not be used afterwards.</summary>
    public ReadOnlyMemory<byte> Detach()
    {
        var bytes = _buffer.AsMemory(0, _written);
        _buffer = [];
        _written = 0;
        return bytes;
    }

    /// <summary>Gives back the pooled array behind bytes that <see cref="Detach"/> returned.</summary>
    public static void Return(ReadOnlyMemory<byte> detached)
    {
        if (MemoryMarshal.TryGetArray(detached, out var segment) && segment.Array is { Length: > 0 } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
