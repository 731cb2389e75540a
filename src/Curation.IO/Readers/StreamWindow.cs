using System.Buffers;
using Curation.Core;

namespace Curation.IO.Readers;

/// <summary>
/// A sliding window over a stream for the text readers: a pooled buffer that is refilled in large reads, compacted
/// as the reader consumes it, and doubled only when one line or value does not fit.
/// </summary>
internal sealed class StreamWindow : IDisposable
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly string _file;
    private byte[] _buffer;
    private bool _pooled;
    private int _start;
    private int _end;

    public StreamWindow(Stream stream, string file, int initialBytes = ReaderLimits.ReadBufferBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialBytes, 16);
        _stream = stream;
        _file = file;
        _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
        _pooled = true;
    }

    /// <summary>Offset in the stream of the first byte of <see cref="Span"/>.</summary>
    public long Offset { get; private set; }

    /// <summary>True once the stream returned its last byte; what is left in the window is all there is.</summary>
    public bool EndOfStream { get; private set; }

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _end - _start);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(_start, _end - _start);

    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        _start += count;
        Offset += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    /// <summary>Drops a UTF-8 byte order mark at the current position (call once, at the start).</summary>
    public void SkipUtf8Bom()
    {
        if (Span.StartsWith(Utf8Bom))
        {
            Consume(Utf8Bom.Length);
        }
    }

    /// <summary>
    /// Reads until the buffer is full or the stream ends, after making room: unconsumed bytes move to the front, and
    /// a window that is full of unconsumed bytes doubles. Returns false when nothing more could be read.
    /// </summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (EndOfStream)
        {
            return false;
        }

        MakeRoom();
        var free = _buffer.Length - _end;
        var read = await _stream.ReadAtLeastAsync(_buffer.AsMemory(_end, free), free, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        _end += read;
        if (read < free)
        {
            EndOfStream = true;
        }

        return read > 0;
    }

    public void Dispose()
    {
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _pooled = false;
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        if (_buffer.Length >= Array.MaxLength)
        {
            throw new CurationException($"{_file}: a single line or JSON value is longer than {Array.MaxLength} bytes, which is not supported");
        }

        // Grown buffers are not pooled: a rare giant line should not pin a giant array in the shared pool.
        var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, (long)_buffer.Length * 2));
        _buffer.AsSpan(0, _end).CopyTo(larger);
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
        _pooled = false;
    }
}
